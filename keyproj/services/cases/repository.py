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
from sqlalchemy.orm import Session, joinedload

from keyproj.calendar import WorkCalendar
from keyproj.codes import OPEN_TASK, CaseUnitRole, Lane, TaskStatus
from keyproj.db.attach import adopt
from keyproj.db.models import Case, CaseUnit, HumanTask, ProcessDefinition
from keyproj.engine import CaseInstance
from keyproj.engine.serialization import SERIALIZER_VERSION
from keyproj.errors import Conflict, NotFound
from keyproj.services.cases import _one_statement, _pg_open, _writes, lanes, warm
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
    part_unit_id: int | None = None  # the unit whose part (LP13) the task belongs to


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
    joining: list[int] = field(default_factory=list)  # warnings this change puts under the case
    # A new case its starter steps and saves in the same transaction (a notice issued at the
    # start, LP13): its insert leaves the state empty, for the save right after writes it.
    state_later: bool = False

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
            user_tasks = self.instance.definition.user_tasks
            loaded = next(
                (
                    t
                    for t in self.tasks
                    if t.lane == Lane.RESPONSIBLE
                    and t.name in user_tasks
                    and user_tasks[t.name].unit_key is None
                ),
                None,
            )
            if loaded is not None:
                self.stored_units = sorted(c.unit_id for c in loaded.candidates)
        if self.stored_units is None:
            self.stored_units = sorted(
                session.scalars(select(CaseUnit.unit_id).where(CaseUnit.case_id == self.case.id))
            )
        return self.stored_units


# --- opening -----------------------------------------------------------------------------


def _case_query(where: Any) -> Any:
    """The cases with their diagram, the calendar revision and their open tasks (with
    candidates), in one round trip: SQLite's opening (PostgreSQL's is ``cases._pg_open``)."""
    return (
        select(Case, ProcessDefinition.sha256, *REVISION_COLUMNS, HumanTask)
        .join(ProcessDefinition, ProcessDefinition.id == Case.definition_id)
        .outerjoin(HumanTask, and_(HumanTask.case_id == Case.id, HumanTask.status.in_(OPEN_TASK)))
        .options(joinedload(HumanTask.candidates))
        .where(where)
        .order_by(Case.id, HumanTask.id)
        .execution_options(populate_existing=True)
    )


# correlate(None): the outer query joins human_tasks too, which must not stand in for this one.
_TASK_CASE = select(HumanTask.case_id).where(HumanTask.id == bindparam("task_id")).correlate(None)
# Built once: a statement made per call spends more on construction and cache keys than on SQL.
_CASE_QUERIES = {
    "case_ids": _case_query(Case.id.in_(bindparam("case_ids", expanding=True))),
    "task_id": _case_query(Case.id == _TASK_CASE.scalar_subquery()),
}


def open_case(
    session: Session, case_id: int, now: datetime, skip_locked: bool = False
) -> OpenCase | None:
    """Lock and load a case (SELECT … FOR UPDATE on PostgreSQL); None if skipped as locked."""
    found = _open(session, "case_ids", [case_id], now, skip_locked)
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
    units: dict[int, list[int]] = {}
    if session.get_bind().dialect.name == "postgresql":
        opened = _pg_open.read(session, by, key, skip_locked)
        found, revision, units = opened.cases, opened.revision, opened.case_units
        if found:  # the office lanes' units came with the cases
            lanes.remember_office_units(session, opened.office_units)
    else:  # no row locks to take: the version check at the save stops a second writer
        found, revision = _orm_open(session, by, key)
    if not found:
        return []
    deadline = deadline_fn(session, revision)
    result = []
    for case, digest, tasks in found:
        definition = compiled_by_sha(session, case.definition_id, digest)
        instance = warm.take(session, case, deadline) or CaseInstance.load(
            definition, decode_state(case.state), deadline
        )
        result.append(
            OpenCase(case, instance, now, deadline, tasks, stored_units=units.get(case.id))
        )
    return result


def _orm_open(
    session: Session, by: str, key: int | list[int]
) -> tuple[list[tuple[Case, str, list[HumanTask]]], CalendarRevision]:
    """The cases, their diagrams' sha256 and open tasks, and the calendar revision, by the ORM."""
    rows = session.execute(_CASE_QUERIES[by], {by: key}).unique().all()
    found: dict[int, tuple[Case, str, list[HumanTask]]] = {}
    for case, digest, _, _, task in rows:
        entry = found.setdefault(case.id, (case, digest, []))
        if task is not None:
            entry[2].append(task)
    revision = (int(rows[0][2]), rows[0][3]) if rows else (0, None)
    return list(found.values()), revision


_OPEN_TASKS = (
    select(HumanTask)
    .where(HumanTask.case_id.in_(bindparam("ids", expanding=True)), HumanTask.status.in_(OPEN_TASK))
    .options(joinedload(HumanTask.candidates))  # one round trip, not two
    # In the order the tasks were born: each unit's part of a step, lead first (LP13).
    .order_by(HumanTask.id)
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


def save_batch(session: Session, batch: list[OpenCase], keep_warm: bool = False) -> None:
    """Write the state, tasks, next timer and queued events of cases, in the caller's transaction.

    A case row is updated only if its version is still the one loaded: a second writer
    (possible on SQLite, which has no row locks) gets a Conflict and writes nothing.
    Writes are plain statements: on PostgreSQL one for the whole batch, elsewhere one per
    table; the ORM unit of work and per-row round trips cost more than the SQL itself.
    Nothing is decided here: the steps recorded the events and the task rows already.
    """
    if not batch:
        return
    rows, writes = _gather(session, batch, keep_warm)
    if session.get_bind().dialect.name == "postgresql":
        if _one_statement.save_cases(session, writes) != len(batch):
            raise Conflict(_writes.CONFLICT_MESSAGE)
    else:
        _writes.write(session, writes)
    _written(batch, rows)


def insert_new(session: Session, batch: list[OpenCase], keep_warm: bool = False) -> None:
    """Write cases just started (not yet in the database) with their first tasks and events.

    ``keep_warm``: the caller opens these cases next (a notice issued at the start, LP13):
    their instances are kept (``cases.warm``), so opening them skips decoding the states.

    On PostgreSQL the ids come from the table's sequence first (the events' hash chain
    names its case) and every row goes in with one statement, each case row with its final
    state; the model objects then join the session as persisted. Elsewhere the ORM inserts
    the cases and the save writes the rest.
    """
    if session.get_bind().dialect.name != "postgresql":
        session.add_all([opened.case for opened in batch])
        session.flush()
        save_batch(session, batch, keep_warm)
        return
    session.flush()  # the session's pending changes first, as the ORM's insert would
    for opened, case_id in zip(
        batch, _one_statement.new_case_ids(session, len(batch)), strict=True
    ):
        opened.case.id = case_id
        for unit in opened.case.units:
            unit.case_id = case_id
    rows, writes = _gather(session, batch, keep_warm)
    for row, opened in zip(rows, batch, strict=True):
        row.update({c: getattr(opened.case, c) for c in _writes.NEW_CASE_COLUMNS})
        writes["units"] += [
            {"case_id": u.case_id, "unit_id": u.unit_id, "role": u.role} for u in opened.case.units
        ]
    _one_statement.insert_cases(session, writes)
    _written(batch, rows)
    for opened in batch:
        for unit in opened.case.units:
            adopt(session, unit)
        adopt(session, opened.case)  # its units are persistent already: they stay as they are


def _gather(
    session: Session, batch: list[OpenCase], keep_warm: bool = False
) -> tuple[list[dict[str, Any]], dict[str, list[Any]]]:
    """The case rows of a batch and everything its save writes (events sealed)."""
    rows, events = [], []
    for opened in batch:
        sealed = _writes.seal_events(opened.case, opened.events, opened.now)
        events += sealed
        rows.append(_case_values(opened, sealed))
    # A case saved on its own is likely stepped next by this process.
    if keep_warm or len(batch) == 1:
        for opened, row in zip(batch, rows, strict=True):
            if not opened.state_later:
                warm.keep(session, opened.case.id, row["state"], opened.instance)
    return rows, _writes.batch_writes(session, batch, rows, events)


def _written(batch: list[OpenCase], rows: list[dict[str, Any]]) -> None:
    """The batch's objects show what was written; their changes and events are spent."""
    for opened, values in zip(batch, rows, strict=True):
        for column in _writes.CASE_COLUMNS:
            _writes.set_loaded(opened.case, column, values[column])
        opened.events.clear()
        opened.changes.clear()
        opened.task_changes.clear()
        opened.new_tasks.clear()
        opened.joining.clear()
        opened.state_later = False  # written once: the next save writes the state


def _case_values(opened: OpenCase, events: list[dict[str, Any]]) -> dict[str, Any]:
    case, instance = opened.case, opened.instance
    return {
        "_id": case.id,
        "_version": case.version,
        "state": b"" if opened.state_later else encode_state(instance.dump()),
        "serializer_version": STATE_ENCODING,
        "state_hash": instance.digest(),
        "next_timer_at": None if instance.completed else instance.next_timer_at(),
        "event_count": events[-1]["seq"] if events else case.event_count,
        "last_event_hash": events[-1]["hash"] if events else case.last_event_hash,
        "version": case.version + 1,
        **{c: opened.get(c) for c in ("status", "outcome", "closed_at", "notice_number")},
    }
