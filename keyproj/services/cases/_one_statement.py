"""Cases saved on PostgreSQL as one statement: one round trip, one prepared plan, for one case or many.

A step (a claim, a completion, an update) writes up to six tables; a sweep or a batch of
new cases, the same for hundreds of cases. Sent as separate statements (or an executemany a
table), most of the time went into the client and the server's per-statement work:
building, sending, planning and reading back each one. Here the writes are the
data-modifying parts of one ``WITH`` statement whose rows come as JSON recordsets, executed
on the session's own connection (so in its transaction) as a prepared statement. The
statement answers with the number of case rows written: a save checks it against the
number of cases, as a case another writer saved first is not updated.

Private to ``cases.repository``; SQLite saves through ``cases._writes``.
"""

from __future__ import annotations

import base64
from datetime import datetime
from enum import Enum
from typing import Any

import orjson
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

_CASE_FIELDS = """id int, old_version int, warning_id int, definition_id int, state text,
        serializer_version text, state_hash text, next_timer_at timestamptz, event_count int,
        last_event_hash text, version int, status text, outcome text, closed_at timestamptz,
        notice_number text, opened_at timestamptz"""

# The writes besides the case rows, shared by saving and inserting. Every data-modifying part
# runs exactly once, whether or not the final SELECT reads it; a part whose recordset is
# empty writes nothing.
_OTHER_WRITES = """
named AS (
    SELECT u.case_id, u.unit_id, u.role
    FROM json_to_recordset(%(units)s::json) AS u(case_id int, unit_id int, role text)
), units_gone AS (
    DELETE FROM case_units AS cu
    WHERE cu.case_id = ANY(%(naming)s)
      AND NOT EXISTS (
          SELECT 1 FROM named WHERE named.case_id = cu.case_id AND named.unit_id = cu.unit_id)
), units_named AS (
    INSERT INTO case_units (case_id, unit_id, role)
    SELECT case_id, unit_id, role FROM named
    ON CONFLICT (case_id, unit_id) DO UPDATE SET role = EXCLUDED.role
), warnings_joined AS (
    UPDATE warnings AS w SET case_id = x.case_id
    FROM json_to_recordset(%(joining)s::json) AS x(id int, case_id int)
    WHERE w.id = x.id AND w.id = ANY(%(joining_ids)s)
), warnings_closed AS (
    -- every warning the case covers takes its outcome (a case never joins and closes at once)
    UPDATE warnings AS w SET status = x.status, closed_at = x.closed_at
    FROM json_to_recordset(%(closing)s::json) AS x(case_id int, status text, closed_at timestamptz)
    WHERE w.case_id = x.case_id AND w.case_id = ANY(%(closing_ids)s)
), tasks_changed AS (
    UPDATE human_tasks AS t SET
        status = x.status, claimed_by_id = x.claimed_by_id, claimed_at = x.claimed_at,
        completed_by_id = x.completed_by_id, completed_at = x.completed_at
    FROM json_to_recordset(%(task_changes)s::json) AS x(
        _id int, status text, claimed_by_id int, claimed_at timestamptz,
        completed_by_id int, completed_at timestamptz)
    WHERE t.id = x._id AND t.id = ANY(%(task_ids)s)  -- the ids again: the index is then used
), tasks_born AS (
    INSERT INTO human_tasks (
        case_id, engine_task_id, name, title, lane, form, status, due_at, ready_at,
        part_unit_id)
    SELECT x.case_id, x.engine_task_id, x.name, x.title, x.lane, x.form, x.status,
           x.due_at, x.ready_at, x.part_unit_id
    FROM json_to_recordset(%(new_tasks)s::json) AS x(
        case_id int, engine_task_id text, name text, title text, lane text, form text,
        status text, due_at timestamptz, ready_at timestamptz, part_unit_id int)
    RETURNING id, case_id, engine_task_id
), candidates AS (
    INSERT INTO human_task_candidates (task_id, unit_id)
    SELECT born.id, c.unit_id
    FROM tasks_born AS born
    JOIN json_to_recordset(%(candidates)s::json) AS c(
        case_id int, engine_task_id text, unit_id int)
      ON c.case_id = born.case_id AND c.engine_task_id = born.engine_task_id
), logged AS (
    INSERT INTO case_events (
        case_id, seq, kind, actor_id, unit_id, task_id, task_name, data, occurred_at,
        state_hash, prev_hash, hash)
    SELECT e.case_id, e.seq, e.kind, e.actor_id, e.unit_id, e.task_id, e.task_name, e.data,
           e.occurred_at, e.state_hash, e.prev_hash, e.hash
    FROM json_to_recordset(%(events)s::json) AS e(
        case_id int, seq int, kind text, actor_id int, unit_id int, task_id text,
        task_name text, data json, occurred_at timestamptz, state_hash text,
        prev_hash text, hash text)
)
SELECT count(*) FROM case_row
"""

_SAVE = f"""
WITH input AS (
    SELECT * FROM json_to_recordset(%(cases)s::json) AS x({_CASE_FIELDS})
), case_row AS (
    UPDATE cases AS c SET
        state = decode(x.state, 'base64'), serializer_version = x.serializer_version,
        state_hash = x.state_hash, next_timer_at = x.next_timer_at,
        event_count = x.event_count, last_event_hash = x.last_event_hash,
        version = x.version, status = x.status, outcome = x.outcome,
        closed_at = x.closed_at, notice_number = x.notice_number
    FROM input AS x
    WHERE c.id = x.id AND c.version = x.old_version AND c.id = ANY(%(case_ids)s)
    RETURNING c.id
), {_OTHER_WRITES}"""

_INSERT = f"""
WITH case_row AS (
    INSERT INTO cases (
        id, warning_id, definition_id, status, outcome, state, serializer_version,
        state_hash, next_timer_at, version, event_count, last_event_hash, notice_number,
        opened_at, closed_at)
    SELECT x.id, x.warning_id, x.definition_id, x.status, x.outcome, decode(x.state, 'base64'),
           x.serializer_version, x.state_hash, x.next_timer_at, x.version, x.event_count,
           x.last_event_hash, x.notice_number, x.opened_at, x.closed_at
    FROM json_to_recordset(%(cases)s::json) AS x({_CASE_FIELDS})
    RETURNING id
), {_OTHER_WRITES}"""

_CUSTOM_PLANS = "SET LOCAL plan_cache_mode = force_custom_plan"
_DEFAULT_PLANS = "SET LOCAL plan_cache_mode = DEFAULT"
_NEW_IDS = "SELECT nextval(pg_get_serial_sequence('cases', 'id')) FROM generate_series(1, %(n)s)"


def _default(value: Any) -> Any:
    """What orjson leaves to us: datetime subclasses (the engine's clock makes some) and bytes."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    raise TypeError(type(value).__name__)


def _json(rows: Any) -> str:
    return orjson.dumps(rows, default=_default, option=orjson.OPT_NON_STR_KEYS).decode()


def save_cases(session: Session, writes: dict[str, list[Any]]) -> int:
    """Update cases still at the version loaded, with everything their steps wrote; the number
    of case rows updated (fewer than the cases when another writer saved one first).

    ``writes`` as ``cases._writes.batch_writes`` gathers them: case rows with ``_id`` and
    ``_version`` (the version loaded), units named, warnings joined, warnings closed (by
    case), task changes, new tasks
    with their candidate ``units``, sealed events.
    """
    return _execute(session, _SAVE, writes)


def insert_cases(session: Session, writes: dict[str, list[Any]]) -> int:
    """Insert new cases (their ids taken by ``new_case_ids``) with everything their start wrote.

    A batch's foreign-key checks run with plans made for this execution. A server process
    keeps the plan of such a check from its first uses; made while the case tables were
    still nearly empty (a new database: the first scan of a county), it scans the whole
    table, and it stays while the table fills. Late in a first scan of 30,000 projects
    every check then read every case, and a batch of 200 took a second instead of 50 ms.
    """
    if len(writes["cases"]) == 1:  # a case started on its own: no batch to protect
        return _execute(session, _INSERT, writes)
    _run(session, _CUSTOM_PLANS, {})
    inserted = _execute(session, _INSERT, writes)
    _run(session, _DEFAULT_PLANS, {})  # after a failure the rollback undoes the setting
    return inserted


def new_case_ids(session: Session, count: int) -> list[int]:
    """``count`` fresh case ids from the table's sequence, ascending."""
    rows = _run(session, _NEW_IDS, {"n": count}).fetchall()
    return sorted(int(row[0]) for row in rows)


def _execute(session: Session, statement: str, writes: dict[str, list[Any]]) -> int:
    cases = writes["cases"]
    params = {
        "cases": _json(
            [
                {"id": row["_id"], "old_version": row.get("_version"), **_fields(row)}
                for row in cases
            ]
        ),
        "case_ids": [row["_id"] for row in cases],
        "units": _json(writes["units"]),
        "naming": writes["naming"],
        "joining": _json(writes["joining"]),
        "joining_ids": [row["id"] for row in writes["joining"]],
        "closing": _json(writes["closing"]),
        "closing_ids": [row["case_id"] for row in writes["closing"]],
        "task_changes": _json(writes["task_changes"]),
        "task_ids": [row["_id"] for row in writes["task_changes"]],
        "new_tasks": _json([{k: v for k, v in t.items() if k != "units"} for t in writes["tasks"]]),
        "candidates": _json(
            [
                {"case_id": t["case_id"], "engine_task_id": t["engine_task_id"], "unit_id": u}
                for t in writes["tasks"]
                for u in t["units"]
            ]
        ),
        "events": _json(writes["events"]),
    }
    row = _run(session, statement, params).fetchone()
    return int(row[0])


def _fields(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in row.items() if not k.startswith("_")}


def _run(session: Session, statement: str, params: dict[str, Any]) -> Any:
    """The statement's cursor, prepared on the session's connection; errors as SQLAlchemy's."""
    connection = session.connection()
    dbapi = connection.dialect.loaded_dbapi
    try:
        return connection.connection.driver_connection.execute(  # type: ignore[union-attr]
            statement, params, prepare=True
        )
    except dbapi.Error as error:  # raised as SQLAlchemy raises it, for the callers' handlers
        raise DBAPIError.instance(statement, params, error, dbapi.Error) from error


def _plain(value: Any) -> Any:
    """A code as its plain text (a code is an enum too)."""
    return str(value) if isinstance(value, Enum) else value
