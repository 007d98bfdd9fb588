"""Moving running cases to another version of their diagram (X3): a preview, then one move.

The preview says, case by case, whether it can move and why not (a node it waits on removed,
a completed node changed) and each deadline before and after: deadlines stay anchored to the
notice date, recomputed with the new working days, never restarted. The move takes the chosen
cases in the caller's transaction: each moved case logs ``case_migrated`` and its open task
rows follow the new version; a refused case is not touched; a failure rolls every case back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from keyproj.codes import CaseStatus, DefinitionStatus, DiagramChangeKind
from keyproj.db.models import Case, EarlyWarning, HumanTask, ProcessDefinition, Project, Unit
from keyproj.engine import CaseInstance
from keyproj.engine.migration import Blocker, DeadlineChange, migrate, plan_migration
from keyproj.errors import Conflict
from keyproj.services.access import Viewer
from keyproj.services.cases import migration_events, repository, step
from keyproj.services.cases.definitions import compiled_by_sha
from keyproj.services.cases.repository import deadline_fn, decode_state
from keyproj.services.diagrams.versions import log_change, require_editor, version

# The dates deadlines count from, as users know them (a diagram's anchor keys).
ANCHORS = {"notice_issued_at": "通知下达之日", "started_at": "立案之日"}


@dataclass(frozen=True)
class DeadlineRow:
    """A deadline change as the preview shows it: the task it guards, whose part, the dates."""

    what: str
    unit: str | None  # the unit whose own part it is (LP13); None: the case's own record
    before: str | None  # ISO, Beijing
    after: str
    anchor: str  # what it counts from, in Chinese


@dataclass(frozen=True)
class CasePreview:
    """One running case of the source version: whether it can move, why not, its deadlines."""

    case_id: int
    notice_number: str | None
    project_name: str | None
    waiting: tuple[str, ...]  # the titles of the tasks it waits on
    blockers: tuple[Blocker, ...]
    deadlines: tuple[DeadlineChange, ...]
    rows: tuple[DeadlineRow, ...] = ()

    @property
    def movable(self) -> bool:
        """True when nothing stops the move."""
        return not self.blockers


@dataclass(frozen=True)
class MigrationPreview:
    """The running cases of ``source`` and what moving each to ``target`` would do."""

    source: ProcessDefinition
    target: ProcessDefinition
    cases: list[CasePreview]


@dataclass
class MigrationResult:
    """The cases moved, and those refused with their reasons."""

    moved: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)


def preview(
    session: Session, viewer: Viewer, key: str, source: int, target: int
) -> MigrationPreview:
    """What moving each running case of version ``source`` to version ``target`` would do."""
    require_editor(viewer)
    old, new = _versions(session, viewer, key, source, target)
    compiled = compiled_by_sha(session, new.id, new.sha256)
    old_compiled = compiled_by_sha(session, old.id, old.sha256)
    deadline = deadline_fn(session)
    rows = session.execute(
        select(Case, Project.name)
        .join(EarlyWarning, EarlyWarning.id == Case.warning_id)
        .outerjoin(Project, Project.id == EarlyWarning.project_id)
        .where(Case.definition_id == old.id, Case.status == CaseStatus.OPEN)
        .order_by(Case.id)
    )
    out = []
    guarded = {t.due_key: t.title for t in compiled.user_tasks.values() if t.due_key}
    for case, project_name in rows:
        instance = CaseInstance.load(old_compiled, decode_state(case.state), deadline)
        plan = plan_migration(instance, compiled)
        waiting = tuple(t.title for t in instance.ready_user_tasks())
        shown = tuple(
            DeadlineRow(
                f"{guarded.get(d.key, '办理')}期限",
                _unit_names(session, plan.deadlines).get(d.part_unit_id or 0),
                d.before,
                d.after,
                ANCHORS.get(d.anchor, "原起算日"),
            )
            for d in plan.deadlines
        )
        out.append(
            CasePreview(
                case.id,
                case.notice_number,
                project_name,
                waiting,
                tuple(plan.blockers),
                tuple(plan.deadlines),
                shown,
            )
        )
    return MigrationPreview(old, new, out)


def _unit_names(session: Session, changes: Sequence[DeadlineChange]) -> dict[int, str]:
    wanted = sorted({d.part_unit_id for d in changes if d.part_unit_id is not None})
    if not wanted:
        return {}
    rows = session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(wanted)))
    return {unit_id: name for unit_id, name in rows}


def apply(
    session: Session,
    viewer: Viewer,
    key: str,
    source: int,
    target: int,
    case_ids: Sequence[int],
    now: datetime,
) -> MigrationResult:
    """Move the chosen running cases of version ``source`` to ``target``, in the caller's
    transaction (the caller commits; anything raised leaves every case as it was)."""
    require_editor(viewer)
    old, new = _versions(session, viewer, key, source, target)
    compiled = compiled_by_sha(session, new.id, new.sha256)
    result = MigrationResult()
    for case_id in sorted(set(case_ids)):
        opened = repository.open_case(session, case_id, now)
        assert opened is not None
        case = opened.case
        if case.definition_id != old.id or case.status != CaseStatus.OPEN:
            result.refused[case_id] = f"不是第 {old.version} 版上的在办案件"
            continue
        plan = plan_migration(opened.instance, compiled)
        if not plan.movable:
            result.refused[case_id] = "；".join(f"{b.name}{b.reason}" for b in plan.blockers)
            continue
        moved, plan = migrate(opened.instance, compiled, opened.deadline)
        opened.instance = moved
        opened.record(
            migration_events.case_migrated(
                viewer, (old.id, old.version), (new.id, new.version),
                [asdict(d) for d in plan.deadlines],
            )
        )  # fmt: skip
        step.resync_tasks(session, opened)
        step.fire_timers(session, opened)  # a recomputed deadline already past takes effect now
        _move_rows(session, opened.case, opened.tasks, moved, new.id)
        repository.save(session, opened)
        result.moved.append(case_id)
    if result.moved:
        log_change(
            session, DiagramChangeKind.MIGRATE, old, viewer, now, target=new,
            details={"moved": result.moved, "refused": sorted(result.refused)},
        )  # fmt: skip
    session.flush()
    return result


def _move_rows(
    session: Session, case: Case, tasks: list[HumanTask], moved: CaseInstance, target_id: int
) -> None:
    """The case row names the new version; the open task rows keep their ids, with the
    deadlines the new version gives them."""
    session.execute(update(Case).where(Case.id == case.id).values(definition_id=target_id))
    set_committed_value(case, "definition_id", target_id)
    due = {t.task_id: t.due_at for t in moved.ready_user_tasks()}
    for row in tasks:
        if row.engine_task_id in due and due[row.engine_task_id] != row.due_at:
            new_due = due[row.engine_task_id]
            session.execute(update(HumanTask).where(HumanTask.id == row.id).values(due_at=new_due))
            set_committed_value(row, "due_at", new_due)


def _versions(
    session: Session, viewer: Viewer, key: str, source: int, target: int
) -> tuple[ProcessDefinition, ProcessDefinition]:
    if source == target:
        raise Conflict("源版本与目标版本相同")
    old, new = version(session, viewer, key, source), version(session, viewer, key, target)
    if new.status != DefinitionStatus.ACTIVE:
        raise Conflict(f"第 {target} 版已停用，不能作为迁移的目标版本")
    return old, new
