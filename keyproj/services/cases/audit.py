"""Auditing a case (X4): verify its hash chain, and replay it step by step against the log."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.audit import ChainProblem, EventRecord, verify_chain
from keyproj.db.models import Case, CaseEvent
from keyproj.engine import CaseInstance, CompiledDefinition, ReadyTask
from keyproj.engine.migration import migrate
from keyproj.errors import NotFound
from keyproj.services.cases import events, migration_events
from keyproj.services.cases.definitions import compiled_by_id
from keyproj.services.cases.events import ENGINE_INPUTS, EventKind
from keyproj.services.cases.repository import DeadlineFn, deadline_fn, decode_state


@dataclass(frozen=True)
class ReplayStep:
    """One event replayed: the hash in the log and the hash of the rebuilt state."""

    seq: int
    kind: str
    task_name: str | None
    occurred_at: datetime
    logged_hash: str
    rebuilt_hash: str

    @property
    def matches(self) -> bool:
        """True when the rebuilt state is the one the log recorded."""
        return self.logged_hash == self.rebuilt_hash


@dataclass(frozen=True)
class ReplayReport:
    """Every step of a replay, whether the final state equals the stored one, and the chain check."""

    steps: list[ReplayStep]
    final_matches_stored: bool
    chain_problem: ChainProblem | None

    @property
    def first_mismatch(self) -> ReplayStep | None:
        """The first step whose rebuilt state differs from the log."""
        return next((s for s in self.steps if not s.matches), None)


def case_records(session: Session, case_id: int) -> list[EventRecord]:
    """A case's events as stored, in storage order."""
    rows = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
    )
    return [record_of(r) for r in rows]


def record_of(row: CaseEvent) -> EventRecord:
    """A stored event as the hash chain reads it."""
    return EventRecord(
        case_id=row.case_id,
        seq=row.seq,
        kind=row.kind,
        actor_id=row.actor_id,
        unit_id=row.unit_id,
        task_id=row.task_id,
        task_name=row.task_name,
        data=row.data,
        occurred_at=row.occurred_at,
        state_hash=row.state_hash,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


def verify_case(session: Session, case_id: int) -> ChainProblem | None:
    """The first edited, deleted, reordered or inserted event of a case, or None when intact."""
    case = _case(session, case_id)
    return verify_chain(case_records(session, case_id), case.event_count, case.last_event_hash)


def replay_case(session: Session, case_id: int, upto_seq: int | None = None) -> ReplayReport:
    """Re-run the recorded inputs against the pinned diagram at the recorded times."""
    case = _case(session, case_id)
    records = case_records(session, case_id)
    first, targets = versions_of(session, case, records)
    deadline = deadline_fn(session)
    instance: CaseInstance | None = None
    steps: list[ReplayStep] = []
    for record, instance in replayed(records, first, deadline, targets):
        if upto_seq is not None and record.seq > upto_seq:
            break
        rebuilt = instance.digest() if instance is not None else ""
        steps.append(
            ReplayStep(
                record.seq,
                record.kind,
                record.task_name,
                record.occurred_at,
                record.state_hash,
                rebuilt,
            )
        )
    current = compiled_by_id(session, case.definition_id)
    stored = CaseInstance.load(current, decode_state(case.state), deadline).digest()
    final = instance is not None and upto_seq is None and instance.digest() == stored
    return ReplayReport(steps, final, verify_chain(records, case.event_count, case.last_event_hash))


def versions_of(
    session: Session, case: Case, records: Sequence[EventRecord]
) -> tuple[CompiledDefinition, dict[int, CompiledDefinition]]:
    """The version a case started on and each version a move took it to (X3: a migrated
    case started on the version its first move left)."""
    moves = [
        migration_events.read_migrated(r) for r in records if r.kind == EventKind.CASE_MIGRATED
    ]
    first = moves[0].from_definition_id if moves else case.definition_id
    targets = {m.to_definition_id: compiled_by_id(session, m.to_definition_id) for m in moves}
    return compiled_by_id(session, first), targets


def replayed(
    records: Iterable[EventRecord],
    definition: CompiledDefinition,
    deadline: DeadlineFn,
    targets: dict[int, CompiledDefinition] | None = None,
) -> Iterator[tuple[EventRecord, CaseInstance | None]]:
    """Each record with the rebuilt instance just after it (one instance, advanced in place:
    read what a step needs before asking for the next); ``targets`` are the versions the
    case's moves went to."""
    instance: CaseInstance | None = None
    ids: dict[str, str] = {}  # logged engine task id -> the rebuilt instance's
    for record in records:
        instance = _apply(instance, record, definition, deadline, ids, targets or {})
        yield record, instance


def _apply(
    instance: CaseInstance | None,
    record: EventRecord,
    definition: CompiledDefinition,
    deadline: DeadlineFn,
    ids: dict[str, str],
    targets: dict[int, CompiledDefinition],
) -> CaseInstance | None:
    """Feed one recorded input to the rebuilt instance (a missing task leaves it unchanged)."""
    if record.kind == EventKind.CASE_STARTED:
        start = events.read_started(record).start
        return CaseInstance.start(definition, start, deadline, record.occurred_at)
    if instance is None:
        return instance
    if record.kind == EventKind.TASK_READY:
        _match_ready(instance, record, ids)
    if record.kind not in ENGINE_INPUTS:
        return instance
    if record.kind == EventKind.CASE_MIGRATED:  # X3: the same move, on the rebuilt instance
        target = targets[migration_events.read_migrated(record).to_definition_id]
        return migrate(instance, target, deadline)[0]
    if record.kind == EventKind.TIMER_FIRED:
        instance.fire_due_timers(record.occurred_at)
    else:
        # Task ids differ in a rebuilt instance: pair by the task's ready event, else by its
        # diagram name and the unit whose part it was (LP13).
        done = events.read_completed(record)
        task = _rebuilt_task(instance, record, ids, done.part_unit_id)
        if task is not None:
            instance.complete(task.task_id, done.engine_input, record.occurred_at)
    return instance


def _match_ready(instance: CaseInstance, record: EventRecord, ids: dict[str, str]) -> None:
    """Pair a logged ready task with the rebuilt one: the first of its name not yet paired
    (tasks become ready, and are logged, in the diagram's order)."""
    taken = set(ids.values())
    for task in instance.ready_user_tasks():
        if task.name == record.task_name and task.task_id not in taken:
            ids[record.task_id or ""] = task.task_id
            return


def _rebuilt_task(
    instance: CaseInstance, record: EventRecord, ids: dict[str, str], part_unit_id: int | None
) -> ReadyTask | None:
    """The rebuilt ready task a logged completion was about. Task ids differ in a rebuilt
    instance: by the pairing of its ready event (several items of a multi-instance subprocess
    share a name, LP16), else by its diagram name."""
    ready = instance.ready_user_tasks()
    paired = ids.get(record.task_id or "")
    found = next((t for t in ready if paired is not None and t.task_id == paired), None)
    named = [t for t in ready if t.name == record.task_name]
    own = next((t for t in named if t.part_unit_id == part_unit_id), None)
    return found or own or next(iter(named), None)


def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"案件 {case_id} 不存在")
    return case
