"""Engines and sessions: one engine per database URL, sessions used as units of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from psycopg import errors as psycopg_errors
from psycopg import pq
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine; SQLite gets foreign keys, WAL and a busy timeout so web and workers can share it."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 30})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.driver == "psycopg":
        engine.dialect.do_rollback = _rollback_keeping_prepared  # type: ignore[method-assign]
    return engine


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
