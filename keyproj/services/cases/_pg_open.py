"""Opening cases on PostgreSQL: the locked rows and their open tasks in one statement, no ORM loading.

One prepared statement locks the cases (FOR UPDATE, or SKIP LOCKED for the sweep) and reads
them with their diagram's sha256, the calendar revision, the office lanes' units, the case's
own units and their open tasks with the candidate units, a row per task. Rows become the session's model
objects through ``keyproj.db.attach``, exactly as the ORM would have loaded them, at a
fraction of the cost.

Under READ COMMITTED a lock that had to wait returns the case row as the other writer left
it, but the tasks (and units) as they were before the wait; the case's version as the
statement's snapshot saw it tells such a case, whose tasks are then read again, after the
lock, and whose units are left to be read when asked for.

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
    "task_id": "= (SELECT k.case_id FROM human_tasks AS k WHERE k.id = %(key)s)",
}
_CANDIDATES = (
    "ARRAY(SELECT hc.unit_id FROM human_task_candidates AS hc WHERE hc.task_id = t.id "
    "ORDER BY hc.unit_id)"
)

# The case's responsible units (lead and phase): most steps ask for them (access, lanes).
_UNITS = (
    "ARRAY(SELECT cu.unit_id FROM case_units AS cu WHERE cu.case_id = c.id ORDER BY cu.unit_id)"
)


def _open_statement(by: str, skip_locked: bool) -> str:
    offices = ", ".join(
        f"ARRAY(SELECT u.id FROM units AS u WHERE u.kind = %(office_{i})s AND u.active ORDER BY u.id)"
        for i in range(len(_OFFICES))
    )
    return (
        f"SELECT {', '.join('c.' + name for name in _CASE_COLUMNS)}, d.sha256, "
        "(SELECT count(y.year) FROM calendar_years AS y), "
        f"(SELECT max(y.loaded_at) FROM calendar_years AS y), {offices}, "
        "(SELECT seen.version FROM cases AS seen WHERE seen.id = c.id), "
        f"{_UNITS}, "
        f"{', '.join('t.' + name for name in _TASK_COLUMNS)}, {_CANDIDATES} "
        "FROM cases AS c JOIN process_definitions AS d ON d.id = c.definition_id "
        "LEFT JOIN human_tasks AS t ON t.case_id = c.id AND t.status = ANY(%(open)s) "
        f"WHERE c.id {_WHERE[by]} ORDER BY c.id, t.id "
        f"FOR UPDATE OF c{' SKIP LOCKED' if skip_locked else ''}"
    )


# The open tasks of cases, read again after a lock that waited.
_TASKS = (
    f"SELECT {', '.join('t.' + name for name in _TASK_COLUMNS)}, {_CANDIDATES} "
    "FROM human_tasks AS t WHERE t.case_id = ANY(%(key)s) AND t.status = ANY(%(open)s) "
    "ORDER BY t.case_id, t.id"
)
# Built once, by how cases are named and whether to skip locked ones.
_STATEMENTS = {(by, skip): _open_statement(by, skip) for by in _WHERE for skip in (False, True)}
_FIXED = {
    "open": [str(status) for status in OPEN_TASK],
    **{f"office_{i}": str(kind) for i, (_, kind) in enumerate(_OFFICES)},
}
# Where each part of a row starts: the case, its diagram and revision, the offices, the version
# seen, the case's units, the task.
_SHA = len(_CASE_COLUMNS)
_OFFICE = _SHA + 3
_SEEN = _OFFICE + len(_OFFICES)
_UNIT_IDS = _SEEN + 1
_TASK = _UNIT_IDS + 1


@dataclass
class Opened:
    """What the round trip read: each case with its diagram's sha256 and open tasks, the
    calendar revision, the office lanes' units (empty when no case was found) and the
    cases' own units (sorted; not for a case changed while the lock waited)."""

    cases: list[tuple[Case, str, list[HumanTask]]]
    revision: tuple[int, datetime | None]
    office_units: dict[str, list[int]]
    case_units: dict[int, list[int]]


def read(session: Session, by: str, key: int | list[int], skip_locked: bool) -> Opened:
    """Lock and read the cases named ``by`` ``key`` ("case_ids" or "task_id")."""
    if session.autoflush:  # as an ORM query would: the session's pending changes first
        session.flush()
    rows = _fetch(session, _STATEMENTS[by, skip_locked], {"key": key, **_FIXED})
    if not rows:
        return Opened([], (0, None), {}, {})
    found: dict[int, tuple[Case, str, list[HumanTask]]] = {}
    units: dict[int, list[int]] = {}
    stale = []
    for row in rows:
        entry = found.get(row[0])
        if entry is None:
            case = attach(session, Case, dict(zip(_CASE_COLUMNS, row[:_SHA], strict=True)))
            entry = found[case.id] = (case, row[_SHA], [])
            if row[_SEEN] != case.version:
                stale.append(case.id)
            else:
                units[case.id] = list(row[_UNIT_IDS])
        if row[_TASK] is not None:
            entry[2].append(_task(session, row[_TASK:]))
    if stale:  # changed while we waited for the lock: their tasks again, as it left them
        for case_id in stale:
            found[case_id][2].clear()
        for row in _fetch(session, _TASKS, {"key": stale, **_FIXED}):
            found[row[1]][2].append(_task(session, row))
    first = rows[0]
    loaded = first[_SHA + 2]
    return Opened(
        list(found.values()),
        (int(first[_SHA + 1]), loaded.astimezone(UTC) if loaded is not None else None),
        {
            lane: list(units)
            for (lane, _), units in zip(_OFFICES, first[_OFFICE:_SEEN], strict=True)
        },
        units,
    )


def _fetch(session: Session, statement: str, params: dict[str, Any]) -> list[Any]:
    """The rows of a statement prepared on the session's connection; errors as SQLAlchemy's."""
    driver = session.connection().connection.driver_connection
    dbapi = session.get_bind().dialect.loaded_dbapi
    try:
        return driver.execute(statement, params, prepare=True).fetchall()  # type: ignore[union-attr, no-any-return]
    except dbapi.Error as error:  # raised as SQLAlchemy raises it, for the callers' handlers
        raise DBAPIError.instance(statement, params, error, dbapi.Error) from error


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
