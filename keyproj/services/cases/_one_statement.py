"""A single case's save on PostgreSQL as one statement: one round trip, one prepared plan.

An interactive step (a claim, a completion, an update) writes up to six tables. Sent as
separate statements, even pipelined, most of the save's time went into the client: building,
sending and reading back each statement. Here the writes are the data-modifying parts of one
``WITH`` statement, their rows passed as JSON recordsets, executed on the session's own
connection (so in its transaction) as a prepared statement. The statement answers with the
number of case rows updated, which is 0 when another writer saved the case first.

Private to ``cases.repository``; SQLite and batches save through ``cases._writes``.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import orjson
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from keyproj.codes import CaseUnitRole

# Every data-modifying part runs exactly once, whether or not the final SELECT reads it; a
# part whose recordset is empty (or whose key is NULL) writes nothing.
_SAVE = """
WITH case_row AS (
    UPDATE cases SET
        state = %(state)s, serializer_version = %(serializer_version)s,
        state_hash = %(state_hash)s, next_timer_at = %(next_timer_at)s,
        event_count = %(event_count)s, last_event_hash = %(last_event_hash)s,
        version = %(version)s, status = %(status)s, outcome = %(outcome)s,
        closed_at = %(closed_at)s, notice_number = %(notice_number)s
    WHERE id = %(case_id)s AND version = %(old_version)s
    RETURNING id
), named AS (
    SELECT u.unit_id, u.role FROM json_to_recordset(%(units)s::json) AS u(unit_id int, role text)
), units_gone AS (
    DELETE FROM case_units
    WHERE %(name_units)s AND case_id = %(case_id)s
      AND unit_id NOT IN (SELECT unit_id FROM named)
), units_named AS (
    INSERT INTO case_units (case_id, unit_id, role)
    SELECT %(case_id)s, unit_id, role FROM named
    ON CONFLICT (case_id, unit_id) DO UPDATE SET role = EXCLUDED.role
), warning_closed AS (
    UPDATE warnings SET status = %(outcome)s, closed_at = %(closed_at)s
    WHERE id = %(closing_warning_id)s
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
        case_id, engine_task_id, name, title, lane, form, status, due_at, ready_at)
    SELECT x.case_id, x.engine_task_id, x.name, x.title, x.lane, x.form, x.status,
           x.due_at, x.ready_at
    FROM json_to_recordset(%(new_tasks)s::json) AS x(
        case_id int, engine_task_id text, name text, title text, lane text, form text,
        status text, due_at timestamptz, ready_at timestamptz)
    RETURNING id, engine_task_id
), candidates AS (
    INSERT INTO human_task_candidates (task_id, unit_id)
    SELECT born.id, c.unit_id
    FROM tasks_born AS born
    JOIN json_to_recordset(%(candidates)s::json) AS c(engine_task_id text, unit_id int)
      ON c.engine_task_id = born.engine_task_id
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


def _json(rows: Any) -> str:
    return orjson.dumps(rows, option=orjson.OPT_NON_STR_KEYS).decode()


def save_case(
    session: Session,
    values: dict[str, Any],
    warning_id: int,
    closing: bool,
    named_units: list[tuple[int, CaseUnitRole]] | None,
    task_changes: list[dict[str, Any]],
    new_tasks: list[dict[str, Any]],
    events: list[dict[str, Any]],
) -> int:
    """Write one case as the repository prepared it; the number of case rows updated (0 or 1).

    ``values`` are the case's new column values with ``_id`` and ``_version`` (the version
    loaded); ``new_tasks`` carry their candidate ``units``; events are sealed rows.
    """
    params = {
        **{k: _plain(v) for k, v in values.items() if not k.startswith("_")},
        "case_id": values["_id"],
        "old_version": values["_version"],
        "name_units": named_units is not None,
        "units": _json([{"unit_id": u, "role": r} for u, r in named_units or ()]),
        "closing_warning_id": warning_id if closing else None,
        "task_changes": _json(task_changes),
        "task_ids": [row["_id"] for row in task_changes],
        "new_tasks": _json([{k: v for k, v in t.items() if k != "units"} for t in new_tasks]),
        "candidates": _json(
            [
                {"engine_task_id": t["engine_task_id"], "unit_id": u}
                for t in new_tasks
                for u in t["units"]
            ]
        ),
        "events": _json(events),
    }
    connection = session.connection()
    dbapi = connection.dialect.loaded_dbapi
    try:
        row = connection.connection.driver_connection.execute(  # type: ignore[union-attr]
            _SAVE, params, prepare=True
        ).fetchone()
    except dbapi.Error as error:  # raised as SQLAlchemy raises it, for the callers' handlers
        raise DBAPIError.instance(_SAVE, params, error, dbapi.Error) from error
    return int(row[0])


def _plain(value: Any) -> Any:
    """A code as its plain text: the driver adapts by type, and a code is an enum too."""
    return str(value) if isinstance(value, Enum) else value
