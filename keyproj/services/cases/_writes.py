"""The repository's Core statements: case rows, units, task rows, sealed events, warnings.

Private to ``cases.repository``; everything else saves through it. These write batches (one
executemany a table) and, on SQLite, single cases too; a single case on PostgreSQL is saved
in one statement (``cases._one_statement``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, bindparam, delete, insert, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from keyproj.audit import EventRecord, seal
from keyproj.codes import CaseUnitRole
from keyproj.db.models import (
    Case,
    CaseEvent,
    CaseUnit,
    EarlyWarning,
    HumanTask,
    HumanTaskCandidate,
)
from keyproj.errors import Conflict

if TYPE_CHECKING:
    from keyproj.services.cases.repository import NewTask, PendingEvent

_TASKS = cast(Table, HumanTask.__table__)
_CANDIDATES = cast(Table, HumanTaskCandidate.__table__)
_EVENTS = cast(Table, CaseEvent.__table__)
_CASE_UNITS = cast(Table, CaseUnit.__table__)
_WARNINGS = cast(Table, EarlyWarning.__table__)

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
TASK_COLUMNS = ("status", "claimed_by_id", "claimed_at", "completed_by_id", "completed_at")

CONFLICT_MESSAGE = "案件已被他人同时处理，请刷新后重试"

_UPDATE_CASE = (
    update(Case)
    .where(Case.id == bindparam("_id"), Case.version == bindparam("_version"))
    .values({c: bindparam(c) for c in CASE_COLUMNS})
)
_UPDATE_TASK = (
    update(_TASKS)
    .where(_TASKS.c.id == bindparam("_id"))
    .values({c: bindparam(c) for c in TASK_COLUMNS})
)
_CLOSE_WARNING = (
    update(_WARNINGS)
    .where(_WARNINGS.c.id == bindparam("_id"))
    .values(status=bindparam("status"), closed_at=bindparam("closed_at"))
)
_NEW_TASK_COLUMNS = (
    "case_id",
    "engine_task_id",
    "name",
    "title",
    "lane",
    "form",
    "status",
    "due_at",
    "ready_at",
)
_INSERT_TASK = insert(_TASKS).returning(_TASKS.c.id, sort_by_parameter_order=True)
_INSERT_CANDIDATE = insert(_CANDIDATES).inline()
_INSERT_EVENT = insert(_EVENTS).inline()
_DELETE_CASE_UNITS = delete(_CASE_UNITS).where(_CASE_UNITS.c.case_id == bindparam("case_id"))
_INSERT_CASE_UNIT = insert(_CASE_UNITS).inline()


def _one_or_many(rows: list[dict[str, Any]]) -> dict[str, Any] | list[dict[str, Any]]:
    # One row goes through a plain execute: executemany's batching only pays off for several.
    return rows[0] if len(rows) == 1 else rows


def update_cases(session: Session, rows: list[dict[str, Any]]) -> None:
    """Update case rows still at the version loaded; a Conflict if another writer got there first."""
    result = session.connection().execute(_UPDATE_CASE, _one_or_many(rows))
    if result.rowcount != len(rows):
        raise Conflict(CONFLICT_MESSAGE)


def set_loaded(obj: Any, column: str, value: Any) -> None:
    """Make a loaded object show what was written, without marking it changed."""
    set_committed_value(obj, column, value)


def replace_case_units(
    session: Session, named: list[tuple[int, list[tuple[int, CaseUnitRole]]]]
) -> None:
    """Replace the responsible units of cases whose change named them: (case, [(unit, role)])."""
    if not named:
        return
    connection = session.connection()
    connection.execute(_DELETE_CASE_UNITS, [{"case_id": case_id} for case_id, _ in named])
    units = [
        {"case_id": case_id, "unit_id": unit_id, "role": role}
        for case_id, pairs in named
        for unit_id, role in pairs
    ]
    if units:
        connection.execute(_INSERT_CASE_UNIT, units)


def close_warnings(session: Session, closing: list[tuple[int, dict[str, Any], datetime]]) -> None:
    """Mark the warnings of cases that just closed handled, with their outcome: (warning, changes, now).

    A Core update: loading the warnings first would cost a query.
    """
    rows = closed_warning_rows(session, closing)
    if rows:
        session.connection().execute(_CLOSE_WARNING, _one_or_many(rows))


def closed_warning_rows(
    session: Session, closing: list[tuple[int, dict[str, Any], datetime]]
) -> list[dict[str, Any]]:
    """The rows that close these warnings; warnings loaded in the session show them already."""
    rows = [
        {"_id": warning_id, "status": changes["outcome"], "closed_at": now}
        for warning_id, changes, now in closing
    ]
    for row in rows:
        loaded = session.identity_map.get(identity_key(EarlyWarning, row["_id"]))
        if loaded is not None:
            set_committed_value(loaded, "status", row["status"])
            set_committed_value(loaded, "closed_at", row["closed_at"])
    return rows


def update_tasks(session: Session, changes: list[tuple[HumanTask, dict[str, Any]]]) -> None:
    """Apply the queued changes of loaded task rows."""
    rows = task_change_rows(changes)
    if rows:
        # Core, not the ORM's bulk update: the ORM path costs more than the statement.
        session.connection().execute(_UPDATE_TASK, _one_or_many(rows))


def task_change_rows(changes: list[tuple[HumanTask, dict[str, Any]]]) -> list[dict[str, Any]]:
    """The loaded task rows with their queued changes applied, as rows to write."""
    rows = []
    for row, values in changes:
        for column, value in values.items():
            set_committed_value(row, column, value)
        rows.append({"_id": row.id, **{c: getattr(row, c) for c in TASK_COLUMNS}})
    return rows


def insert_tasks(session: Session, tasks: list[tuple[int, datetime, NewTask]]) -> None:
    """Insert the task rows born in steps, (case, when, task), and their candidate units."""
    if not tasks:
        return
    connection = session.connection()
    rows = [task_row(case_id, now, task) for case_id, now, task in tasks]
    ids = connection.execute(_INSERT_TASK, _one_or_many(rows)).scalars().all()
    candidates = [
        {"task_id": i, "unit_id": u}
        for i, (_, _, task) in zip(ids, tasks, strict=True)
        for u in task.units
    ]
    if candidates:
        connection.execute(_INSERT_CANDIDATE, candidates)


def task_row(case_id: int, now: datetime, task: NewTask) -> dict[str, Any]:
    """A new task's row (its candidate units apart)."""
    return {
        "case_id": case_id,
        "engine_task_id": task.engine_task_id,
        "name": task.name,
        "title": task.title,
        "lane": task.lane,
        "form": task.form,
        "status": task.status,
        "due_at": task.due_at,
        "ready_at": now,
    }


def insert_events(session: Session, events: list[dict[str, Any]]) -> None:
    """Append sealed events."""
    if events:
        # Core, not the ORM bulk path, which splits rows by which keys are None.
        session.connection().execute(_INSERT_EVENT, events)


def seal_events(case: Case, pending: list[PendingEvent], now: datetime) -> list[dict[str, Any]]:
    """The rows of the queued events, numbered after the case's last and hash-chained to it."""
    seq, last = case.event_count, case.last_event_hash
    rows = []
    for queued in pending:
        event = queued.event
        seq += 1
        record = seal(
            EventRecord(
                case_id=case.id,
                seq=seq,
                kind=event.kind.value,
                actor_id=event.actor_id,
                unit_id=event.unit_id,
                task_id=event.task_id,
                task_name=event.task_name,
                data=event.data,
                occurred_at=now,
                state_hash=queued.state_hash,
            ),
            last,
        )
        rows.append(record.row())
        last = record.hash
    return rows
