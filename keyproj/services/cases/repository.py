"""The case repository, the one way in and out of a case: open (locked) by case, by task or
many at once; save one or a batch; the stored form of the engine state.

Opening reads the case row, its diagram and its open tasks; a step (``cases.step``) changes
the instance and records what happened on the OpenCase; saving writes it all, in the
caller's transaction, through the Core statements of ``cases._writes``.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session, aliased, joinedload

from keyproj.calendar import WorkCalendar
from keyproj.codes import OPEN_TASK, CaseStatus, CaseUnitRole, Lane, TaskStatus
from keyproj.db.models import Case, CaseUnit, HumanTask, ProcessDefinition
from keyproj.engine import CaseInstance
from keyproj.engine.serialization import SERIALIZER_VERSION
from keyproj.errors import Conflict, NotFound
from keyproj.services.cases import _one_statement, _writes, lanes, warm
from keyproj.services.cases.definitions import compiled_by_sha
from keyproj.services.cases.events import NewEvent
from keyproj.services.reference.calendar import REVISION_COLUMNS, CalendarRevision, cached_calendar

STATE_ENCODING = f"{SERIALIZER_VERSION}+json+zlib"
DeadlineFn = Callable[[str, int], str]


# --- the state codec ---------------------------------------------------------------------


def encode_state(state: dict[str, Any]) -> bytes:
    """The stored form of an engine state: compact JSON, compressed (about a fifth of the size)."""
    return zlib.compress(orjson.dumps(state, option=orjson.OPT_NON_STR_KEYS), 1)


def decode_state(blob: bytes) -> dict[str, Any]:
    """The engine state back from its stored form."""
    result: dict[str, Any] = orjson.loads(zlib.decompress(blob))
    return result


def deadline_fn(session: Session, revision: CalendarRevision | None = None) -> DeadlineFn:
    """The scripts' ``working_deadline``: the calendar is loaded only if a script asks.

    ``revision``, when the caller read it already, saves the query that checks the cache.
    """
    calendar: list[WorkCalendar] = []

    def working_deadline(start: str, days: int) -> str:
        if not calendar:
            calendar.append(cached_calendar(session, revision))
        return calendar[0].deadline(datetime.fromisoformat(start), int(days)).isoformat()

    return working_deadline


# --- the open case -----------------------------------------------------------------------


@dataclass(frozen=True)
class PendingEvent:
    """An event to append when the case is saved, with the state hash as the step left it."""

    event: NewEvent
    state_hash: str


@dataclass
class NewTask:
    """A task row born in a step: written (with its candidate units) when the case is saved."""

    engine_task_id: str
    name: str
    title: str
    lane: str
    form: str
    due_at: datetime | None
    units: list[int]
    status: TaskStatus = TaskStatus.READY


@dataclass
class OpenCase:
    """A case loaded for writing: its instance, and the changes and events its save will write."""

    case: Case
    instance: CaseInstance
    now: datetime
    deadline: DeadlineFn
    tasks: list[HumanTask] = field(default_factory=list)  # ready or claimed when opened
    events: list[PendingEvent] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)
    # (unit, lead|phase) when this change names the responsible units
    named_units: list[tuple[int, CaseUnitRole]] | None = None
    task_changes: dict[int, tuple[HumanTask, dict[str, Any]]] = field(default_factory=dict)
    new_tasks: list[NewTask] = field(default_factory=list)
    stored_units: list[int] | None = None  # the case's units, once read (or known at start)

    def record(self, event: NewEvent) -> None:
        """Queue an event carrying the state as it is now (replay checks each step's hash)."""
        self.events.append(PendingEvent(event, self.instance.digest()))

    def update_task(self, row: HumanTask, **values: Any) -> None:
        """Change a task row when the case is saved."""
        self.task_changes.setdefault(row.id, (row, {}))[1].update(values)

    def task_status(self, row: HumanTask) -> str:
        """A loaded task's status as this change leaves it."""
        change = self.task_changes.get(row.id)
        status = change[1].get("status", row.status) if change else row.status
        return str(status)

    def get(self, column: str) -> Any:
        """A case column as this change leaves it."""
        return self.changes.get(column, getattr(self.case, column))

    def responsible_units(self, session: Session) -> list[int]:
        """The lead and phase units (lane 责任单位), including ones this change just named."""
        if self.named_units is not None:
            return sorted(unit_id for unit_id, _ in self.named_units)
        if self.stored_units is None:
            # A 责任单位 task already loaded has exactly these candidates: no query needed.
            loaded = next((t for t in self.tasks if t.lane == Lane.RESPONSIBLE), None)
            if loaded is not None:
                self.stored_units = sorted(c.unit_id for c in loaded.candidates)
        if self.stored_units is None:
            self.stored_units = sorted(
                session.scalars(select(CaseUnit.unit_id).where(CaseUnit.case_id == self.case.id))
            )
        return self.stored_units


# --- opening -----------------------------------------------------------------------------


_SEEN = aliased(Case, name="seen")
# The case's version as the statement's snapshot saw it. Under READ COMMITTED a row lock that
# had to wait returns the row as the other writer left it, but every other table (the tasks
# here) as it was before the wait; a version newer than the one seen tells the tasks are stale.
_SEEN_VERSION = select(_SEEN.version).where(_SEEN.id == Case.id).scalar_subquery()


def _case_query(where: Any, lock: str) -> Any:
    """The cases, locked, with their diagram, the calendar revision and their open tasks (with
    candidates), in one round trip; on PostgreSQL also the units behind the office lanes,
    which a step that makes an office task ready needs."""
    offices = [lanes.office_units_array(lane) for lane in lanes.OFFICE_LANES] if lock else []
    query = (
        select(
            Case, ProcessDefinition.sha256, *REVISION_COLUMNS, _SEEN_VERSION, *offices, HumanTask
        )
        .join(ProcessDefinition, ProcessDefinition.id == Case.definition_id)
        .outerjoin(HumanTask, and_(HumanTask.case_id == Case.id, HumanTask.status.in_(OPEN_TASK)))
        .options(joinedload(HumanTask.candidates))
        .where(where)
        .order_by(Case.id, HumanTask.id)
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update(of=Case, skip_locked=lock == "skip_locked")
    return query


# correlate(None): the outer query joins human_tasks too, which must not stand in for this one.
_TASK_CASE = select(HumanTask.case_id).where(HumanTask.id == bindparam("task_id")).correlate(None)
# Built once: a statement made per call spends more on construction and cache keys than on SQL.
_CASE_QUERIES = {
    (by, lock): _case_query(where, lock)
    for by, where in (
        ("case_id", Case.id == bindparam("case_id")),
        ("task_id", Case.id == _TASK_CASE.scalar_subquery()),
        ("case_ids", Case.id.in_(bindparam("case_ids", expanding=True))),
    )
    for lock in ("", "wait", "skip_locked")
}


def open_case(
    session: Session, case_id: int, now: datetime, skip_locked: bool = False
) -> OpenCase | None:
    """Lock and load a case (SELECT … FOR UPDATE on PostgreSQL); None if skipped as locked."""
    found = _open(session, "case_id", case_id, now, skip_locked)
    if not found and not skip_locked:
        raise NotFound(f"案件 {case_id} 不存在或无权查看")
    return found[0] if found else None


def open_case_of_task(session: Session, task_id: int, now: datetime) -> OpenCase | None:
    """Lock and load the case a task belongs to, in one round trip; None if there is no such task."""
    found = _open(session, "task_id", task_id, now, skip_locked=False)
    return found[0] if found else None


def open_cases(session: Session, case_ids: list[int], now: datetime) -> list[OpenCase]:
    """Lock and load several cases at once, skipping any another writer holds (the sweep's batch)."""
    return _open(session, "case_ids", case_ids, now, skip_locked=True)


def _open(
    session: Session, by: str, key: int | list[int], now: datetime, skip_locked: bool
) -> list[OpenCase]:
    lock = ""
    if session.get_bind().dialect.name == "postgresql":
        lock = "skip_locked" if skip_locked else "wait"
    rows = session.execute(_CASE_QUERIES[by, lock], {by: key}).unique().all()
    if not rows:
        return []
    if lock:  # the office lanes' units came with the cases
        lanes.remember_office_units(
            session, dict(zip(lanes.OFFICE_LANES, rows[0][5:-1], strict=True))
        )
    found: dict[int, tuple[Case, str, list[HumanTask]]] = {}
    stale = []
    for case, digest, _, _, seen_version, *_offices, task in rows:
        if case.id not in found:
            found[case.id] = (case, digest, [])
            if seen_version != case.version:
                stale.append(case.id)
        if task is not None:
            found[case.id][2].append(task)
    if stale:  # changed while we waited for the lock: read their tasks again, after it
        fresh = open_task_rows(session, stale)
        for case_id in stale:
            found[case_id][2][:] = [t for t in fresh if t.case_id == case_id]
    deadline = deadline_fn(session, (int(rows[0][2]), rows[0][3]))
    opened = []
    for case, digest, tasks in found.values():
        definition = compiled_by_sha(session, case.definition_id, digest)
        instance = warm.take(session, case, deadline) or CaseInstance.load(
            definition, decode_state(case.state), deadline
        )
        opened.append(OpenCase(case, instance, now, deadline, tasks))
    return opened


_OPEN_TASKS = (
    select(HumanTask)
    .where(HumanTask.case_id.in_(bindparam("ids", expanding=True)), HumanTask.status.in_(OPEN_TASK))
    .options(joinedload(HumanTask.candidates))  # one round trip, not two
    .execution_options(populate_existing=True)
)


def open_task_rows(session: Session, case_ids: int | list[int]) -> list[HumanTask]:
    """The tasks of one or more cases that are ready or claimed, read afresh (after the lock)."""
    ids = [case_ids] if isinstance(case_ids, int) else case_ids
    return list(session.scalars(_OPEN_TASKS, {"ids": ids}).unique())


# --- saving ------------------------------------------------------------------------------


def save(session: Session, opened: OpenCase) -> None:
    """Write one case's state, tasks, next timer and queued events (see ``save_batch``)."""
    save_batch(session, [opened])


def save_batch(session: Session, batch: list[OpenCase]) -> None:
    """Write the state, tasks, next timer and queued events of cases, in the caller's transaction.

    A case row is updated only if its version is still the one loaded: a second writer
    (possible on SQLite, which has no row locks) gets a Conflict and writes nothing.
    Writes are Core statements, one per table for the whole batch: the ORM unit of work and
    per-row round trips cost more than the SQL itself. Nothing is decided here: the steps
    recorded the events and the task rows already.
    """
    if not batch:
        return
    rows, events = [], []
    for opened in batch:
        sealed = _writes.seal_events(opened.case, opened.events, opened.now)
        events += sealed
        rows.append(_case_values(opened, sealed))
    if len(batch) == 1:  # a case saved on its own is likely stepped next by this process
        warm.keep(session, batch[0].case.id, rows[0]["state"], batch[0].instance)
    _write(session, batch, rows, events)
    for opened, values in zip(batch, rows, strict=True):
        for column in _writes.CASE_COLUMNS:
            _writes.set_loaded(opened.case, column, values[column])
        opened.events.clear()
        opened.changes.clear()
        opened.task_changes.clear()
        opened.new_tasks.clear()


def _write(
    session: Session,
    batch: list[OpenCase],
    rows: list[dict[str, Any]],
    events: list[dict[str, Any]],
) -> None:
    """Write a batch, one statement a table; one case on PostgreSQL in a single statement."""
    if len(batch) == 1 and session.get_bind().dialect.name == "postgresql":
        _write_one(session, batch[0], rows[0], events)
        return
    _writes.update_cases(session, rows)
    _writes.replace_case_units(
        session, [(o.case.id, o.named_units) for o in batch if o.named_units is not None]
    )
    _writes.close_warnings(
        session, [(o.case.warning_id, o.changes, o.now) for o in batch if _closes(o)]
    )
    _writes.update_tasks(session, [c for o in batch for c in o.task_changes.values()])
    _writes.insert_tasks(session, [(o.case.id, o.now, t) for o in batch for t in o.new_tasks])
    _writes.insert_events(session, events)


def _write_one(
    session: Session, opened: OpenCase, row: dict[str, Any], events: list[dict[str, Any]]
) -> None:
    """An interactive step's save on PostgreSQL: every write in one round trip."""
    closing = _closes(opened)
    if closing:
        _writes.closed_warning_rows(session, [(opened.case.warning_id, opened.changes, opened.now)])
    updated = _one_statement.save_case(
        session,
        row,
        opened.case.warning_id,
        closing,
        opened.named_units,
        _writes.task_change_rows(list(opened.task_changes.values())),
        [
            {**_writes.task_row(opened.case.id, opened.now, task), "units": task.units}
            for task in opened.new_tasks
        ],
        events,
    )
    if updated != 1:
        raise Conflict(_writes.CONFLICT_MESSAGE)


def _closes(opened: OpenCase) -> bool:
    """True when this change closes the case (its warning is then marked handled)."""
    return (
        opened.changes.get("status") == CaseStatus.CLOSED and opened.case.status == CaseStatus.OPEN
    )


def _case_values(opened: OpenCase, events: list[dict[str, Any]]) -> dict[str, Any]:
    case, instance = opened.case, opened.instance
    return {
        "_id": case.id,
        "_version": case.version,
        "state": encode_state(instance.dump()),
        "serializer_version": STATE_ENCODING,
        "state_hash": instance.digest(),
        "next_timer_at": None if instance.completed else instance.next_timer_at(),
        "event_count": events[-1]["seq"] if events else case.event_count,
        "last_event_hash": events[-1]["hash"] if events else case.last_event_hash,
        "version": case.version + 1,
        **{c: opened.get(c) for c in ("status", "outcome", "closed_at", "notice_number")},
    }
