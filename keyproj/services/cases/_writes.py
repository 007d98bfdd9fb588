"""The repository's Core statements: case rows, units, task rows, sealed events, warnings.

Private to ``cases.repository``; everything else saves through it. On PostgreSQL a save's
statements go out together in one pipeline (``sent_together``) and none of them asks for a
reply before the end, instead of each waiting for its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import ARRAY, Integer, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import DBAPIError
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
# PostgreSQL: a task and its candidates in one statement, which needs no reply (the new id
# stays in the server), so it can wait in the pipeline with the rest of the save.
_NEW_TASK = (
    insert(_TASKS)
    .values({c: bindparam(c) for c in _NEW_TASK_COLUMNS})
    .returning(_TASKS.c.id)
    .cte("new_task")
)
_INSERT_TASK_WITH_CANDIDATES = (
    insert(_CANDIDATES)
    .from_select(
        ["task_id", "unit_id"],
        select(_NEW_TASK.c.id, func.unnest(bindparam("units", type_=ARRAY(Integer)))),
    )
    .inline()
)
# inline(): no RETURNING of the new key, whose reading would end the pipeline early.
_INSERT_EVENT = insert(_EVENTS).inline()
_DELETE_CASE_UNITS = delete(_CASE_UNITS).where(_CASE_UNITS.c.case_id == bindparam("case_id"))
_INSERT_CASE_UNIT = insert(_CASE_UNITS).inline()


_PIPELINE = "keyproj.pipeline"  # session.info key: statements are being sent in a pipeline


def pipelined(session: Session) -> bool:
    """True while the session's statements are sent in a pipeline (see ``sent_together``)."""
    return bool(session.info.get(_PIPELINE))


@contextmanager
def sent_together(session: Session, wanted: bool = True) -> Iterator[None]:
    """On PostgreSQL, send the statements executed inside in one pipeline and wait once, at the
    end; a database error of any of them is raised there, as SQLAlchemy would have raised it.
    Elsewhere, or when not ``wanted``, the statements run one by one."""
    connection = session.connection()
    if not wanted or connection.dialect.name != "postgresql":
        yield
        return
    driver = connection.connection.driver_connection
    dbapi = connection.dialect.loaded_dbapi
    session.info[_PIPELINE] = True
    try:
        with driver.pipeline():  # type: ignore[union-attr]
            yield
    except dbapi.Error as error:
        raise DBAPIError.instance(None, None, error, dbapi.Error) from error
    finally:
        session.info.pop(_PIPELINE, None)


def _one_or_many(rows: list[dict[str, Any]]) -> dict[str, Any] | list[dict[str, Any]]:
    # One row goes through a plain execute: executemany's batching only pays off for several.
    return rows[0] if len(rows) == 1 else rows


def update_cases(session: Session, rows: list[dict[str, Any]]) -> Callable[[], None]:
    """Update case rows still at the version loaded; returns the check, to be called once the
    replies are in, that raises a Conflict if another writer got there first.

    Without a pipeline the check runs at once too, before the next statement can fail instead.
    """
    connection = session.connection()
    if pipelined(session):
        # One statement a row, each counted from its own cursor once the pipeline is synced:
        # SQLAlchemy's rowcount was read before the reply came. No round trip more.
        results = [connection.execute(_UPDATE_CASE, row) for row in rows]

        def updated() -> int:
            return sum(result.context.cursor.rowcount for result in results)

    else:
        result = connection.execute(_UPDATE_CASE, _one_or_many(rows))

        def updated() -> int:
            return result.rowcount

    def check() -> None:
        if updated() != len(rows):
            raise Conflict("案件已被他人同时处理，请刷新后重试")

    if not pipelined(session):
        check()
    return check


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

    A Core update: loading the warnings first would cost a query; loaded ones are refreshed.
    """
    if not closing:
        return
    rows = [
        {"_id": warning_id, "status": changes["outcome"], "closed_at": now}
        for warning_id, changes, now in closing
    ]
    session.connection().execute(_CLOSE_WARNING, _one_or_many(rows))
    for row in rows:
        loaded = session.identity_map.get(identity_key(EarlyWarning, row["_id"]))
        if loaded is not None:
            set_committed_value(loaded, "status", row["status"])
            set_committed_value(loaded, "closed_at", row["closed_at"])


def update_tasks(session: Session, changes: list[tuple[HumanTask, dict[str, Any]]]) -> None:
    """Apply the queued changes of loaded task rows."""
    rows = []
    for row, values in changes:
        for column, value in values.items():
            set_committed_value(row, column, value)
        rows.append({"_id": row.id, **{c: getattr(row, c) for c in TASK_COLUMNS}})
    if rows:
        # Core, not the ORM's bulk update: the ORM path costs more than the statement.
        session.connection().execute(_UPDATE_TASK, _one_or_many(rows))


def insert_tasks(session: Session, tasks: list[tuple[int, datetime, NewTask]]) -> None:
    """Insert the task rows born in steps, (case, when, task), and their candidate units."""
    if not tasks:
        return
    connection = session.connection()
    if pipelined(session):
        rows_with_units = [
            {"units": task.units, **_task_row(case_id, now, task)} for case_id, now, task in tasks
        ]
        connection.execute(_INSERT_TASK_WITH_CANDIDATES, _one_or_many(rows_with_units))
        return
    rows = [_task_row(case_id, now, task) for case_id, now, task in tasks]
    ids = connection.execute(_INSERT_TASK, _one_or_many(rows)).scalars().all()
    candidates = [
        {"task_id": i, "unit_id": u}
        for i, (_, _, task) in zip(ids, tasks, strict=True)
        for u in task.units
    ]
    if candidates:
        connection.execute(_INSERT_CANDIDATE, candidates)


def _task_row(case_id: int, now: datetime, task: NewTask) -> dict[str, Any]:
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
