"""Persistent objects from rows read or written without the ORM, as a query would have loaded them.

The hot paths of the case core read and write their rows with plain statements: the ORM's
loading costs more than the SQL. Their callers still get model objects, in the session and
up to date: ``attach`` gives the object of a row exactly as a query with populate_existing
would (the object already in the session refreshed, or a new persistent one), without SQL.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Dialect, TypeDecorator, inspect
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_state, set_committed_value

T = TypeVar("T")
Reader = Callable[[Any], Any]


def attach(session: Session, model: type[T], values: dict[str, Any]) -> T:
    """The session's object of the row ``values`` (every column, by attribute name) as stored.

    Values are as the driver returns them; the columns' types turn them into what the model
    holds (codes into their enum, times into UTC). An object of that row already in the
    session is updated and returned, as populate_existing does; otherwise a new persistent
    one joins the session. Nothing is marked changed: no flush writes any of it.
    """
    mapper = inspect(model)
    readers = _readers(mapper.class_, session.get_bind().dialect)
    stored = {
        name: read(value) if value is not None and (read := readers.get(name)) else value
        for name, value in values.items()
    }
    key = mapper.identity_key_from_primary_key([stored[c.key] for c in mapper.primary_key])
    found = session.identity_map.get(key)
    if found is not None:
        for name, value in stored.items():
            set_committed_value(found, name, value)
        return found  # type: ignore[no-any-return]
    obj = mapper.class_manager.new_instance()
    instance_state(obj).dict.update(stored)  # a new object: no history to keep
    make_transient_to_detached(obj)  # everything set counts as loaded
    session.add(obj)  # a detached object with its key joins as persistent: no SQL
    return obj  # type: ignore[no-any-return]


def adopt(session: Session, obj: Any) -> None:
    """Make a new object whose row was just written by a plain statement persistent, unchanged.

    Its attributes must already hold what was written (every column, the key included).
    """
    make_transient_to_detached(obj)
    session.add(obj)


@functools.lru_cache(maxsize=64)  # per model and engine's dialect: a handful in a process
def _readers(model: type[Any], dialect: Dialect) -> dict[str, Reader]:
    """The columns whose type changes a driver's value on the way out (codes, UTC times)."""
    out: dict[str, Reader] = {}
    for prop in inspect(model).column_attrs:
        column_type = prop.columns[0].type
        if isinstance(column_type, TypeDecorator):
            out[prop.key] = functools.partial(column_type.process_result_value, dialect=dialect)
    return out
