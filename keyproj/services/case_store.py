"""Opening a case for writing and saving it in one transaction: state, tasks, timer, events."""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, cast

import orjson
from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from keyproj.audit import EventRecord, seal
from keyproj.calendar import WorkCalendar
from keyproj.clock import BEIJING
from keyproj.db.models import (
    Case,
    CaseEvent,
    CaseUnit,
    HumanTask,
    HumanTaskCandidate,
    ProcessDefinition,
)
from keyproj.engine import CaseInstance, ReadyTask
from keyproj.engine.serialization import SERIALIZER_VERSION
from keyproj.errors import Conflict, NotFound
from keyproj.services import lanes
from keyproj.services.calendar import REVISION_COLUMNS, CalendarRevision, cached_calendar
from keyproj.services.definitions import compiled_by_sha

STATE_ENCODING = f"{SERIALIZER_VERSION}+json+zlib"
# The tables the save path writes through Core statements.
_TASKS = cast(Table, HumanTask.__table__)
_CANDIDATES = cast(Table, HumanTaskCandidate.__table__)
_EVENTS = cast(Table, CaseEvent.__table__)
_CASE_UNITS = cast(Table, CaseUnit.__table__)
OPEN_TASK = ("ready", "claimed")
DeadlineFn = Callable[[str, int], str]


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


def encode_state(state: dict[str, Any]) -> bytes:
    """The stored form of an engine state: compact JSON, compressed (about a fifth of the size)."""
    return zlib.compress(orjson.dumps(state, option=orjson.OPT_NON_STR_KEYS), 1)


def decode_state(blob: bytes) -> dict[str, Any]:
    """The engine state back from its stored form."""
    result: dict[str, Any] = orjson.loads(zlib.decompress(blob))
    return result


@dataclass
class PendingEvent:
    """An event to append when the case is saved."""

    kind: str
    state_hash: str
    data: dict[str, Any] = field(default_factory=dict)
    actor_id: int | None = None
    unit_id: int | None = None
    task_id: str | None = None
    task_name: str | None = None


@dataclass
class OpenCase:
    """A case loaded for writing: its instance, the column changes and events its save will write."""

    case: Case
    instance: CaseInstance
    now: datetime
    deadline: DeadlineFn
    tasks: list[HumanTask] = field(default_factory=list)  # ready or claimed when opened
    events: list[PendingEvent] = field(default_factory=list)
    changes: dict[str, Any] = field(default_factory=dict)
    # (unit, lead|phase) when this change names the responsible units
    named_units: list[tuple[int, str]] | None = None
    task_changes: dict[int, tuple[HumanTask, dict[str, Any]]] = field(default_factory=dict)
    _stored_units: list[int] | None = None

    def record(self, kind: str, **kwargs: Any) -> None:
        """Queue an event carrying the state as it is now (replay checks each step's hash)."""
        self.events.append(PendingEvent(kind, self.instance.digest(), **kwargs))

    def update_task(self, row: HumanTask, **values: Any) -> None:
        """Change a task row when the case is saved."""
        self.task_changes.setdefault(row.id, (row, {}))[1].update(values)

    def get(self, column: str) -> Any:
        """A case column as this change leaves it."""
        return self.changes.get(column, getattr(self.case, column))

    def responsible_units(self, session: Session) -> list[int]:
        """The lead and phase units (lane 责任单位), including ones this change just named."""
        if self.named_units is not None:
            return sorted(unit_id for unit_id, _ in self.named_units)
        if self._stored_units is None:
            # A 责任单位 task already loaded has exactly these candidates: no query needed.
            loaded = next((t for t in self.tasks if t.lane == "责任单位"), None)
            if loaded is not None:
                self._stored_units = sorted(c.unit_id for c in loaded.candidates)
        if self._stored_units is None:
            self._stored_units = sorted(
                session.scalars(select(CaseUnit.unit_id).where(CaseUnit.case_id == self.case.id))
            )
        return self._stored_units


def _case_query(where: Any, lock: str) -> Any:
    query = (
        select(Case, ProcessDefinition.sha256, *REVISION_COLUMNS)
        .join(ProcessDefinition, ProcessDefinition.id == Case.definition_id)
        .where(where)
        .order_by(Case.id)
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update(of=Case, skip_locked=lock == "skip_locked")
    return query


_TASK_CASE = select(HumanTask.case_id).where(HumanTask.id == bindparam("task_id"))
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
        raise NotFound(f"案件 {case_id} 不存在")
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
    rows = session.execute(_CASE_QUERIES[by, lock], {by: key}).all()
    if not rows:
        return []
    tasks = open_task_rows(session, [case.id for case, *_ in rows])
    deadline = deadline_fn(session, (int(rows[0][2]), rows[0][3]))
    opened = []
    for case, digest, *_ in rows:
        definition = compiled_by_sha(session, case.definition_id, digest)
        instance = CaseInstance.load(definition, decode_state(case.state), deadline)
        opened.append(
            OpenCase(case, instance, now, deadline, [t for t in tasks if t.case_id == case.id])
        )
    return opened


def save_case(session: Session, opened: OpenCase, completed: HumanTask | None = None) -> None:
    """Write one case's state, tasks, next timer and queued events (see ``save_cases``)."""
    save_cases(session, [opened], completed)


def save_cases(session: Session, batch: list[OpenCase], completed: HumanTask | None = None) -> None:
    """Write state, tasks, next timer and queued events of cases in the caller's transaction.

    A case row is updated only if its version is still the one loaded: a second writer
    (possible on SQLite, which has no row locks) gets a Conflict and writes nothing.
    Writes are Core statements, one per kind for the whole batch: the ORM unit of work and
    per-row round trips cost more than the SQL itself.
    """
    if not batch:
        return
    rows, new_tasks, events = [], [], []
    for opened in batch:
        new_tasks += _materialize_tasks(session, opened, completed)
        sealed = _seal_events(opened)
        events += sealed
        rows.append(_case_values(opened, sealed))
    _update_cases(session, rows)
    for opened in batch:
        if opened.named_units is not None:
            connection = session.connection()
            connection.execute(_DELETE_CASE_UNITS, {"case_id": opened.case.id})
            units = [
                {"case_id": opened.case.id, "unit_id": u, "role": r} for u, r in opened.named_units
            ]
            connection.execute(_INSERT_CASE_UNIT, units)
    _update_tasks(session, batch)
    _insert_tasks(session, new_tasks)
    if events:
        # Core, not the ORM bulk path, which splits rows by which keys are None.
        session.connection().execute(_INSERT_EVENT, events)
    for opened, values in zip(batch, rows, strict=True):
        for column in CASE_COLUMNS:
            set_committed_value(opened.case, column, values[column])
        opened.changes.clear()


CASE_COLUMNS = (
    "state",
    "serializer_version",
    "state_hash",
    "next_timer_at",
    "event_count",
    "last_event_hash",
    "version",
    "status",
    "outcome",
    "closed_at",
    "notice_number",
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


_UPDATE_CASE = (
    update(Case)
    .where(Case.id == bindparam("_id"), Case.version == bindparam("_version"))
    .values({c: bindparam(c) for c in CASE_COLUMNS})
)


def _update_cases(session: Session, rows: list[dict[str, Any]]) -> None:
    # One row goes through a plain execute: executemany's batching only pays off for several.
    result = session.connection().execute(_UPDATE_CASE, rows[0] if len(rows) == 1 else rows)
    if result.rowcount != len(rows):
        raise Conflict("案件已被他人同时处理，请刷新后重试")


def new_task_rows(
    session: Session, opened: OpenCase, ready: list[ReadyTask]
) -> list[tuple[dict[str, Any], list[int]]]:
    """Rows (and candidate units) for tasks that just became ready, with their deadlines."""
    rows = []
    for task in ready:
        due = task.due_at
        if due is None and task.due_working_days is not None:
            start = opened.now.astimezone(BEIJING).isoformat()
            due = datetime.fromisoformat(opened.deadline(start, task.due_working_days))
        row = {
            "case_id": opened.case.id,
            "engine_task_id": task.task_id,
            "name": task.name,
            "title": task.title,
            "lane": task.lane,
            "form": task.form,
            "status": "ready",
            "due_at": due,
            "ready_at": opened.now,
        }
        if task.lane == "责任单位":
            units = opened.responsible_units(session)
        else:
            units = lanes.office_units(session, task.lane)
        rows.append((row, units))
        opened.record(
            "task_ready",
            task_id=task.task_id,
            task_name=task.name,
            data={
                "title": task.title,
                "lane": task.lane,
                "due_at": due.isoformat() if due else None,
            },
        )
    return rows


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


def _materialize_tasks(
    session: Session, opened: OpenCase, completed: HumanTask | None
) -> list[tuple[dict[str, Any], list[int]]]:
    ready = {t.task_id: t for t in opened.instance.ready_user_tasks()}
    known: set[str] = set()
    for row in opened.tasks:
        known.add(row.engine_task_id)
        if row.engine_task_id not in ready and row is not completed:
            opened.update_task(row, status="cancelled")  # a timer took the case elsewhere
    return new_task_rows(session, opened, [t for tid, t in ready.items() if tid not in known])


TASK_COLUMNS = ("status", "claimed_by_id", "claimed_at", "completed_by_id", "completed_at")
_UPDATE_TASK = (
    update(_TASKS)
    .where(_TASKS.c.id == bindparam("_id"))
    .values({c: bindparam(c) for c in TASK_COLUMNS})
)


def _update_tasks(session: Session, batch: list[OpenCase]) -> None:
    rows = []
    for opened in batch:
        for task_id, (row, values) in opened.task_changes.items():
            for column, value in values.items():
                set_committed_value(row, column, value)
            rows.append({"_id": task_id, **{c: getattr(row, c) for c in TASK_COLUMNS}})
        opened.task_changes.clear()
    if rows:
        # Core, not the ORM's bulk update: the ORM path costs more than the statement.
        session.connection().execute(_UPDATE_TASK, rows[0] if len(rows) == 1 else rows)


_INSERT_TASK = insert(_TASKS).returning(_TASKS.c.id, sort_by_parameter_order=True)
_INSERT_CANDIDATE = insert(_CANDIDATES)
_INSERT_EVENT = insert(_EVENTS)
_DELETE_CASE_UNITS = delete(_CASE_UNITS).where(_CASE_UNITS.c.case_id == bindparam("case_id"))
_INSERT_CASE_UNIT = insert(_CASE_UNITS)


def _insert_tasks(session: Session, tasks: list[tuple[dict[str, Any], list[int]]]) -> None:
    if not tasks:
        return
    connection = session.connection()
    rows = [row for row, _ in tasks]
    ids = connection.execute(_INSERT_TASK, rows[0] if len(rows) == 1 else rows).scalars().all()
    candidates = [
        {"task_id": i, "unit_id": u}
        for i, (_, units) in zip(ids, tasks, strict=True)
        for u in units
    ]
    if candidates:
        connection.execute(_INSERT_CANDIDATE, candidates)


def _seal_events(opened: OpenCase) -> list[dict[str, Any]]:
    case = opened.case
    seq, last = case.event_count, case.last_event_hash
    rows = []
    for pending in opened.events:
        seq += 1
        record = seal(
            EventRecord(
                case_id=case.id,
                seq=seq,
                kind=pending.kind,
                actor_id=pending.actor_id,
                unit_id=pending.unit_id,
                task_id=pending.task_id,
                task_name=pending.task_name,
                data=pending.data,
                occurred_at=opened.now,
                state_hash=pending.state_hash,
            ),
            last,
        )
        rows.append(asdict(record))
        last = record.hash
    opened.events.clear()
    return rows
