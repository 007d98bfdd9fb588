"""Engines and sessions: one engine per database URL, sessions used as units of work."""

from __future__ import annotations

import functools
import select
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from psycopg import OperationalError, pq
from psycopg import errors as psycopg_errors
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

# A pooled PostgreSQL connection idle longer than this is pinged before use (see _check_out).
PING_AFTER_IDLE_S = 30


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine; SQLite gets foreign keys, WAL and a busy timeout so web and workers can share it.

    A pooled connection is checked before each use: on PostgreSQL through psycopg by
    ``_check_out`` (a round trip only after a long idle), elsewhere by SQLAlchemy's pre-ping.
    """
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if make_url(url).get_driver_name() != "psycopg" or "pool_pre_ping" in kwargs:
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(url, **kwargs)
    engine = create_engine(url, **kwargs)
    engine.dialect.do_rollback = _rollback_keeping_prepared  # type: ignore[method-assign]
    event.listen(engine, "connect", _stamp)
    event.listen(engine, "checkin", _stamp)
    event.listen(engine, "checkout", functools.partial(_check_out, engine))
    return engine


def _stamp(_dbapi_connection: Any, record: Any) -> None:
    """When a connection was last known to work: made, or given back to the pool."""
    record.info["ok_at"] = time.time()


def _check_out(engine: Engine, dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Check a pooled connection before use, with a round trip only when there is a doubt.

    Asking the server before every use (SQLAlchemy's pre-ping) costs a round trip per
    transaction. A server that closed an idle connection (restarted, or ended the session)
    said so on the socket, which then has something to read; a network device may drop a
    long-idle connection without a word. So the server is asked only when the socket has
    something to read or the connection sat idle longer than PING_AFTER_IDLE_S. A dead
    connection raises DisconnectionError: the pool then discards it and hands out another.
    """
    idle = time.time() - record.info.get("ok_at", 0)
    if idle <= PING_AFTER_IDLE_S and not _has_input(dbapi_connection.pgconn.socket):
        return
    try:
        engine.dialect.do_ping(dbapi_connection)
    except OperationalError as exc:
        raise DisconnectionError(str(exc)) from exc


def _has_input(socket: int) -> bool:
    """True when an idle connection's socket has data (or its end) waiting: a look, no wait."""
    poller = select.poll()  # not select.select, which cannot watch a descriptor above 1023
    poller.register(socket, select.POLLIN)
    return bool(poller.poll(0))


def _rollback_keeping_prepared(dbapi_connection: Any) -> None:
    """End a transaction with ROLLBACK, keeping the connection's prepared statements.

    psycopg forgets every statement it prepared (and sends DEALLOCATE ALL) whenever a
    transaction is rolled back, in case the rollback undid DDL the statements depended on.
    Here a rollback ends every read-only request and never undoes DDL (migrations commit or
    fail the process), so without this the hot statements would be parsed and planned anew
    after each page view instead of staying prepared on the connection.
    """
    pgconn = dbapi_connection.pgconn
    status = pgconn.transaction_status
    if status == pq.TransactionStatus.IDLE:
        return
    if dbapi_connection._pipeline is not None or status not in (
        pq.TransactionStatus.INTRANS,
        pq.TransactionStatus.INERROR,
    ):
        dbapi_connection.rollback()  # anything unusual: psycopg's own, thorough way
        return
    result = pgconn.exec_(b"ROLLBACK")
    if result.status != pq.ExecStatus.COMMAND_OK:
        raise psycopg_errors.error_from_result(result, encoding=dbapi_connection.info.encoding)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits when the block ends and rolls back on any error."""
    with factory() as session, session.begin():
        yield session
