"""Opening cases on PostgreSQL: the locked rows and their open tasks in one round trip, no ORM loading.

Two prepared statements go out in one pipeline: the first locks the cases (FOR UPDATE, or
SKIP LOCKED for the sweep) and reads them with their diagram's sha256, the calendar revision
and the office lanes' units; the second reads their open tasks with the candidate units. The
second starts after the first holds its locks, so under READ COMMITTED it sees the tasks as
the last writer of each case left them. Rows become the session's model objects through
``keyproj.db.attach``, exactly as the ORM would have loaded them, at a fraction of the cost.

Private to ``cases.repository``; SQLite opens through the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from keyproj.codes import OPEN_TASK
from keyproj.db.attach import attach
from keyproj.db.models import Case, HumanTask, HumanTaskCandidate
from keyproj.services.cases import lanes

_CASE_COLUMNS = [c.name for c in cast(Table, Case.__table__).columns]
_TASK_COLUMNS = [c.name for c in cast(Table, HumanTask.__table__).columns]
_OFFICES = list(lanes.OFFICE_LANES.items())

# Which cases a statement reads: by their ids, or the case of one task.
_WHERE = {
    "case_ids": "= ANY(%(key)s)",
    "task_id": "= (SELECT t.case_id FROM human_tasks AS t WHERE t.id = %(key)s)",
}


def _lock_statement(by: str, skip_locked: bool) -> str:
    offices = ", ".join(
        f"ARRAY(SELECT u.id FROM units AS u WHERE u.kind = %(office_{i})s AND u.active ORDER BY u.id)"
        for i in range(len(_OFFICES))
    )
    return (
        f"SELECT {', '.join('c.' + name for name in _CASE_COLUMNS)}, d.sha256, "
        "(SELECT count(y.year) FROM calendar_years AS y), "
        f"(SELECT max(y.loaded_at) FROM calendar_years AS y), {offices} "
        "FROM cases AS c JOIN process_definitions AS d ON d.id = c.definition_id "
        f"WHERE c.id {_WHERE[by]} ORDER BY c.id "
        f"FOR UPDATE OF c{' SKIP LOCKED' if skip_locked else ''}"
    )


def _tasks_statement(by: str) -> str:
    return (
        f"SELECT {', '.join('t.' + name for name in _TASK_COLUMNS)}, "
        "ARRAY(SELECT c.unit_id FROM human_task_candidates AS c WHERE c.task_id = t.id "
        "ORDER BY c.unit_id) "
        f"FROM human_tasks AS t WHERE t.case_id {_WHERE[by]} AND t.status = ANY(%(open)s) "
        "ORDER BY t.case_id, t.id"
    )


# Built once: (lock statement, tasks statement) by how cases are named and whether to skip.
_STATEMENTS = {
    (by, skip): (_lock_statement(by, skip), _tasks_statement(by))
    for by in _WHERE
    for skip in (False, True)
}
_FIXED = {
    "open": [str(status) for status in OPEN_TASK],
    **{f"office_{i}": str(kind) for i, (_, kind) in enumerate(_OFFICES)},
}


@dataclass
class Opened:
    """What the round trip read: each case with its diagram's sha256 and open tasks, the
    calendar revision and the office lanes' units (empty when no case was found)."""

    cases: list[tuple[Case, str, list[HumanTask]]]
    revision: tuple[int, datetime | None]
    office_units: dict[str, list[int]]


def read(session: Session, by: str, key: int | list[int], skip_locked: bool) -> Opened:
    """Lock and read the cases named ``by`` ``key`` ("case_ids" or "task_id")."""
    lock, tasks = _STATEMENTS[by, skip_locked]
    params = {"key": key, **_FIXED}
    if session.autoflush:  # as an ORM query would: the session's pending changes first
        session.flush()
    driver = session.connection().connection.driver_connection
    assert driver is not None
    dbapi = session.get_bind().dialect.loaded_dbapi
    try:
        with driver.pipeline():  # type: ignore[attr-defined]
            locked = driver.execute(lock, params, prepare=True)  # type: ignore[attr-defined]
            open_tasks = driver.execute(tasks, params, prepare=True)  # type: ignore[attr-defined]
        case_rows, task_rows = locked.fetchall(), open_tasks.fetchall()
    except dbapi.Error as error:  # raised as SQLAlchemy raises it, for the callers' handlers
        raise DBAPIError.instance(lock, params, error, dbapi.Error) from error
    if not case_rows:
        return Opened([], (0, None), {})
    width = len(_CASE_COLUMNS)
    first = case_rows[0]
    found: dict[int, tuple[Case, str, list[HumanTask]]] = {}
    for row in case_rows:
        case = attach(session, Case, dict(zip(_CASE_COLUMNS, row[:width], strict=True)))
        found[case.id] = (case, row[width], [])
    for row in task_rows:
        entry = found.get(row[1])  # a case skipped as locked is not ours to read
        if entry is not None:
            entry[2].append(_task(session, row))
    loaded = first[width + 2]
    return Opened(
        list(found.values()),
        (int(first[width + 1]), loaded.astimezone(UTC) if loaded is not None else None),
        {lane: list(units) for (lane, _), units in zip(_OFFICES, first[width + 3 :], strict=True)},
    )


def _task(session: Session, row: Any) -> HumanTask:
    """A task row and its candidates as the session's objects (as joinedload would give them)."""
    width = len(_TASK_COLUMNS)
    task = attach(session, HumanTask, dict(zip(_TASK_COLUMNS, row[:width], strict=True)))
    candidates = [
        attach(session, HumanTaskCandidate, {"task_id": task.id, "unit_id": unit_id})
        for unit_id in row[width]
    ]
    set_committed_value(task, "candidates", candidates)
    return task
