"""Saving an opened case in one transaction: state, task rows, next timer and sealed events."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from keyproj.audit import EventRecord, seal
from keyproj.clock import BEIJING
from keyproj.codes import Lane, TaskStatus
from keyproj.db.models import (
    Case,
    CaseEvent,
    CaseUnit,
    HumanTask,
    HumanTaskCandidate,
)
from keyproj.engine import ReadyTask
from keyproj.errors import Conflict
from keyproj.services.cases import lanes
from keyproj.services.cases.repository import STATE_ENCODING, OpenCase, encode_state

# The tables the save path writes through Core statements.
_TASKS = cast(Table, HumanTask.__table__)
_CANDIDATES = cast(Table, HumanTaskCandidate.__table__)
_EVENTS = cast(Table, CaseEvent.__table__)
_CASE_UNITS = cast(Table, CaseUnit.__table__)


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
            "status": TaskStatus.READY,
            "due_at": due,
            "ready_at": opened.now,
        }
        if task.lane == Lane.RESPONSIBLE:
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


def _materialize_tasks(
    session: Session, opened: OpenCase, completed: HumanTask | None
) -> list[tuple[dict[str, Any], list[int]]]:
    ready = {t.task_id: t for t in opened.instance.ready_user_tasks()}
    known: set[str] = set()
    for row in opened.tasks:
        known.add(row.engine_task_id)
        if row.engine_task_id not in ready and row is not completed:
            opened.update_task(row, status=TaskStatus.CANCELLED)  # a timer took the case elsewhere
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
