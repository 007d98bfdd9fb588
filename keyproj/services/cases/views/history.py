"""A case's history for auditors (X4): at every step of its log, the path taken through the
pinned diagram, where the case stood, the data known, who acted for which unit, when, and the
deadlines then in force; the hash chain verified and every step re-executed."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from keyproj.audit import ChainProblem, EventRecord, verify_chain
from keyproj.codes import Role
from keyproj.db.models import Case, CaseEvent, HumanTask, Unit, User
from keyproj.engine import CaseInstance, CompiledDefinition, elements_of
from keyproj.services.access import Viewer, require_role
from keyproj.services.cases.audit import record_of, replayed, versions_of
from keyproj.services.cases.definitions import compiled_by_id, title_of
from keyproj.services.cases.repository import deadline_fn, decode_state
from keyproj.services.cases.views.history_data import DataItem, readable
from keyproj.services.cases.views.pages import visible_case
from keyproj.services.cases.views.timeline import TaskInfo, TimelineEntry, entries_of

# X4: auditors replay case histories; administrators may audit too. The key office is not
# given the audit: its own actions are what the log records.
HISTORY_READERS = (Role.AUDITOR, Role.ADMIN)
PROBLEM_KINDS = {
    "edited": "被修改",
    "deleted": "被删除",
    "reordered": "顺序被调换",
    "inserted": "被插入",
    "truncated": "被截断",
}


@dataclass(frozen=True)
class OpenTask:
    """A task waiting at a step, whose unit's part it is, and its deadline then in force."""

    name: str
    title: str
    unit: str | None
    due_at: datetime | None


@dataclass(frozen=True)
class HistoryStep:
    """One event of the log as the auditor sees it, with the replayed state just after it."""

    index: int  # 1-based position in the log as stored (the slider's value)
    seq: int
    kind: str
    entry: TimelineEntry  # what happened, who, for which unit, when (the timeline's words)
    path: list[str] = field(default_factory=list)  # diagram elements completed so far
    position: list[str] = field(default_factory=list)  # diagram elements open after the step
    open_tasks: list[OpenTask] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # top-level case data after the step
    shown: list[DataItem] = field(default_factory=list)
    logged_hash: str = ""
    rebuilt_hash: str = ""
    trusted: bool = True  # False from the first broken event of the chain on
    error: str | None = None  # why the step could not be re-executed

    @property
    def matches(self) -> bool:
        """True when re-executing reproduced the state hash the log recorded."""
        return self.error is None and self.logged_hash == self.rebuilt_hash

    def shown_after(
        self, before: HistoryStep | None, definition: CompiledDefinition, units: dict[int, str]
    ) -> HistoryStep:
        """The step with its data made readable, what changed since the step ``before`` marked."""
        if self.error is not None:
            return self
        previous = before.data if before is not None else {}
        kept = {item.key: item for item in before.shown} if before is not None else {}
        return replace(self, shown=readable(self.data, definition, previous, units, kept))


@dataclass(frozen=True)
class CaseHistory:
    """Every step of a case's log, the chain's verification and the re-execution's result."""

    case: Case
    diagram: str  # the diagram's key
    diagram_title: str
    definition_version: int
    steps: list[HistoryStep]
    problem: ChainProblem | None
    final_matches_stored: bool

    @property
    def problem_kind(self) -> str:
        """How the log was altered, in Chinese (empty when intact)."""
        return PROBLEM_KINDS.get(self.problem.kind, "") if self.problem else ""

    @property
    def first_mismatch(self) -> HistoryStep | None:
        """The first step whose re-executed state differs from the recorded one."""
        return next((s for s in self.steps if not s.matches), None)

    @property
    def broken_step(self) -> HistoryStep | None:
        """The first step that is no longer trusted (None when the chain is intact)."""
        return next((s for s in self.steps if not s.trusted), None)

    def step(self, index: int | None) -> HistoryStep | None:
        """Step ``index`` (1-based, clamped to the log; the last when None)."""
        if not self.steps:
            return None
        at = len(self.steps) if index is None else min(max(index, 1), len(self.steps))
        return self.steps[at - 1]


def require_auditor(viewer: Viewer) -> None:
    """PermissionDenied unless the viewer may audit case histories (X4)."""
    require_role(viewer, *HISTORY_READERS)


def case_history(session: Session, viewer: Viewer, case_id: int) -> CaseHistory:
    """The case's log verified and replayed step by step against its pinned diagram (X4)."""
    require_auditor(viewer)
    case, _, _ = visible_case(session, viewer, case_id)
    rows = _rows(session, case.id)
    records = [record_of(row) for row, *_ in rows]
    problem = verify_chain(records, case.event_count, case.last_event_hash)
    broken = _broken_index(records, problem)
    tasks = _task_infos(session, case.id)
    entries = entries_of(session, rows, tasks)
    definition = compiled_by_id(session, case.definition_id)
    first, targets = versions_of(session, case, records)
    deadline = deadline_fn(session)
    units: dict[int, str] = {i: n for i, n in session.execute(select(Unit.id, Unit.name))}
    steps: list[HistoryStep] = []
    walk = replayed(records, first, deadline, targets)
    instance: CaseInstance | None = None
    failed: str | None = None
    for index, (record, entry) in enumerate(zip(records, entries, strict=True), start=1):
        trusted = broken is None or index - 1 < broken
        if failed is None:
            try:
                _, instance = next(walk)
            except Exception as exc:  # a tampered input may not run at all: say so, stop
                failed = f"无法重新执行：{type(exc).__name__}: {exc}"
        step = _step(index, record, entry, instance, failed, trusted, definition, units, tasks)
        steps.append(step.shown_after(steps[-1] if steps else None, definition, units))
    stored = CaseInstance.load(definition, decode_state(case.state), deadline).digest()
    final = failed is None and instance is not None and instance.digest() == stored
    title = title_of(session, case.definition_id)
    return CaseHistory(
        case, case.definition.key, title, case.definition.version, steps, problem, final
    )


def _rows(session: Session, case_id: int) -> list[tuple[CaseEvent, str | None, str | None]]:
    """The case's events in storage order, with the actor's and the unit's names."""
    actor, unit = aliased(User), aliased(Unit)
    query = (
        select(CaseEvent, actor.display_name, unit.name)
        .outerjoin(actor, actor.id == CaseEvent.actor_id)
        .outerjoin(unit, unit.id == CaseEvent.unit_id)
        .where(CaseEvent.case_id == case_id)
        .order_by(CaseEvent.id)
    )
    return [(e, a, u) for e, a, u in session.execute(query)]


def _task_infos(session: Session, case_id: int) -> dict[str, TaskInfo]:
    query = select(HumanTask.name, HumanTask.title, HumanTask.form).where(
        HumanTask.case_id == case_id
    )
    return {name: TaskInfo(title, form) for name, title, form in session.execute(query)}


def _broken_index(records: list[EventRecord], problem: ChainProblem | None) -> int | None:
    """The storage position (0-based) from which the log is not trusted: the first event at
    or after the place of the problem's event (a missing event's place is its seq's)."""
    if problem is None or problem.seq is None:
        return None
    found = [i for i, r in enumerate(records) if r.seq == problem.seq]
    return min([*found, problem.seq - 1])


def _step(
    index: int,
    record: EventRecord,
    entry: TimelineEntry,
    instance: CaseInstance | None,
    failed: str | None,
    trusted: bool,
    definition: CompiledDefinition,
    units: dict[int, str],
    tasks: dict[str, TaskInfo],
) -> HistoryStep:
    if failed is not None or instance is None:
        why = failed or "案件启动事件缺失，无法重新执行"
        return HistoryStep(
            index,
            record.seq,
            record.kind,
            entry,
            logged_hash=record.state_hash,
            trusted=trusted,
            error=why,
        )
    # A copy: the one rebuilt instance moves on to the next step in place.
    data = orjson.loads(orjson.dumps(instance.data, default=str))
    open_tasks = [
        OpenTask(
            t.name,
            tasks[t.name].title if t.name in tasks else t.title,
            units.get(t.part_unit_id or t.unit_id or 0),
            t.due_at,
        )
        for t in instance.ready_user_tasks()
    ]
    elements = elements_of(instance)
    return HistoryStep(
        index,
        record.seq,
        record.kind,
        entry,
        elements.path,
        elements.position,
        open_tasks,
        data,
        [],
        record.state_hash,
        instance.digest(),
        trusted,
    )
