"""The repository's Core statements: case rows, units, task rows, sealed events, warnings.

Private to ``cases.repository``; everything else saves through it. ``batch_writes`` gathers what a
save writes; ``write`` writes it on SQLite, one statement (or executemany) a table, and
PostgreSQL writes it in one statement (``cases._one_statement``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, bindparam, delete, insert, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from keyproj.audit import EventRecord, seal
from keyproj.codes import CaseStatus
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
    from keyproj.services.cases.repository import NewTask, OpenCase, PendingEvent

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
# A new case's row has these too (an update leaves them as they are).
NEW_CASE_COLUMNS = ("warning_id", "definition_id", "opened_at")
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
# Every warning the case covers (its primary and those joined to it) takes its outcome.
_CLOSE_WARNINGS = (
    update(_WARNINGS)
    .where(_WARNINGS.c.case_id == bindparam("_case_id"))
    .values(status=bindparam("status"), closed_at=bindparam("closed_at"))
)
_JOIN_WARNING = (
    update(_WARNINGS).where(_WARNINGS.c.id == bindparam("_id")).values(case_id=bindparam("case_id"))
)
_INSERT_TASK = insert(_TASKS).returning(_TASKS.c.id, sort_by_parameter_order=True)
_INSERT_CANDIDATE = insert(_CANDIDATES).inline()
_INSERT_EVENT = insert(_EVENTS).inline()
_DELETE_CASE_UNITS = delete(_CASE_UNITS).where(_CASE_UNITS.c.case_id == bindparam("case_id"))
_INSERT_CASE_UNIT = insert(_CASE_UNITS).inline()


def _one_or_many(rows: list[dict[str, Any]]) -> dict[str, Any] | list[dict[str, Any]]:
    # One row goes through a plain execute: executemany's batching only pays off for several.
    return rows[0] if len(rows) == 1 else rows


def batch_writes(
    session: Session,
    batch: list[OpenCase],
    rows: list[dict[str, Any]],
    events: list[dict[str, Any]],
) -> dict[str, list[Any]]:
    """Everything the save of ``batch`` writes, table by table, given its case rows and sealed
    events: the form both writers take (``write`` here, ``cases._one_statement`` on PostgreSQL).

    Task rows and warnings loaded in the session are made to show what is written.
    """
    named = [o for o in batch if o.named_units is not None]
    return {
        "cases": rows,
        "naming": [o.case.id for o in named],
        "units": [
            {"case_id": o.case.id, "unit_id": unit_id, "role": role}
            for o in named
            for unit_id, role in o.named_units or ()
        ],
        "joining": joined_warning_rows(
            session, [(warning_id, o.case.id) for o in batch for warning_id in o.joining]
        ),
        "closing": closed_warning_rows(
            session, [(o.case.id, o.changes, o.now) for o in batch if closes(o)]
        ),
        "task_changes": task_change_rows([c for o in batch for c in o.task_changes.values()]),
        "tasks": [
            {**task_row(o.case.id, o.now, task), "units": task.units}
            for o in batch
            for task in o.new_tasks
        ],
        "events": events,
    }


def closes(opened: OpenCase) -> bool:
    """True when this change closes the case (its warnings then take its outcome)."""
    return (
        opened.changes.get("status") == CaseStatus.CLOSED and opened.case.status == CaseStatus.OPEN
    )


def write(session: Session, writes: dict[str, list[Any]]) -> None:
    """Write a batch gathered by ``batch_writes``, one statement (or executemany) a table.

    The case rows first: a case saved by another writer since it was loaded raises Conflict
    before anything else is written.
    """
    connection = session.connection()
    rows = writes["cases"]
    if connection.execute(_UPDATE_CASE, _one_or_many(rows)).rowcount != len(rows):
        raise Conflict(CONFLICT_MESSAGE)
    if writes["naming"]:
        connection.execute(_DELETE_CASE_UNITS, [{"case_id": i} for i in writes["naming"]])
    if writes["units"]:
        connection.execute(_INSERT_CASE_UNIT, writes["units"])
    if writes["joining"]:
        connection.execute(
            _JOIN_WARNING,
            _one_or_many([{"_id": r["id"], "case_id": r["case_id"]} for r in writes["joining"]]),
        )
    if writes["closing"]:
        connection.execute(
            _CLOSE_WARNINGS,
            _one_or_many(
                [
                    {"_case_id": r["case_id"], "status": r["status"], "closed_at": r["closed_at"]}
                    for r in writes["closing"]
                ]
            ),
        )
    if writes["task_changes"]:
        connection.execute(_UPDATE_TASK, _one_or_many(writes["task_changes"]))
    _insert_tasks(session, writes["tasks"])
    if writes["events"]:
        # Core, not the ORM bulk path, which splits rows by which keys are None.
        connection.execute(_INSERT_EVENT, writes["events"])


def set_loaded(obj: Any, column: str, value: Any) -> None:
    """Make a loaded object show what was written, without marking it changed."""
    set_committed_value(obj, column, value)


def closed_warning_rows(
    session: Session, closing: list[tuple[int, dict[str, Any], datetime]]
) -> list[dict[str, Any]]:
    """The rows that close the warnings of these cases (by case id); warnings loaded in the
    session show them already."""
    rows = [
        {"case_id": case_id, "status": changes["outcome"], "closed_at": now}
        for case_id, changes, now in closing
    ]
    if rows:
        by_case = {row["case_id"]: row for row in rows}
        for loaded in list(session.identity_map.values()):
            row = by_case.get(getattr(loaded, "case_id", None) or 0)
            if row is not None and isinstance(loaded, EarlyWarning):
                set_committed_value(loaded, "status", row["status"])
                set_committed_value(loaded, "closed_at", row["closed_at"])
    return rows


def joined_warning_rows(session: Session, joining: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """The rows that put warnings under their case; warnings loaded in the session show it."""
    rows = [{"id": warning_id, "case_id": case_id} for warning_id, case_id in joining]
    for row in rows:
        loaded = session.identity_map.get(identity_key(EarlyWarning, row["id"]))
        if loaded is not None:
            set_committed_value(loaded, "case_id", row["case_id"])
    return rows


def task_change_rows(changes: list[tuple[HumanTask, dict[str, Any]]]) -> list[dict[str, Any]]:
    """The loaded task rows with their queued changes applied, as rows to write."""
    rows = []
    for row, values in changes:
        for column, value in values.items():
            set_committed_value(row, column, value)
        rows.append({"_id": row.id, **{c: getattr(row, c) for c in TASK_COLUMNS}})
    return rows


def _insert_tasks(session: Session, tasks: list[dict[str, Any]]) -> None:
    """Insert the task rows born in steps and their candidate units."""
    if not tasks:
        return
    connection = session.connection()
    rows = [{k: v for k, v in t.items() if k != "units"} for t in tasks]
    ids = connection.execute(_INSERT_TASK, _one_or_many(rows)).scalars().all()
    candidates = [
        {"task_id": i, "unit_id": u}
        for i, task in zip(ids, tasks, strict=True)
        for u in task["units"]
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
        "part_unit_id": task.part_unit_id,
    }


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
