"""Engines: a rolled-back transaction is undone; on PostgreSQL it keeps the prepared statements,
and a pooled connection is checked before use (asking the server only after a long idle)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from keyproj.db.models import Unit
from keyproj.db.session import PING_AFTER_IDLE_S, make_engine
from keyproj.services.org.directory import save_unit

PREPARED = text("SELECT count(*) FROM pg_prepared_statements")


def units(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(Unit)) or 0


def test_a_rolled_back_change_is_undone(engine):
    before = units(engine)
    with Session(engine) as session:
        save_unit(session, "T99", "试验镇", "town")
        session.flush()
        session.rollback()
    assert units(engine) == before


def test_a_rollback_keeps_the_statements_the_connection_prepared(postgres_database):
    engine = make_engine(postgres_database)  # prepared statements are a PostgreSQL matter
    with engine.connect() as connection:
        for _ in range(6):  # psycopg prepares a statement on its sixth execution
            connection.execute(select(Unit.id).where(Unit.code == "T01")).all()
        connection.commit()
        prepared = connection.execute(PREPARED).scalar()
        connection.rollback()  # a read-only request ends like this
        assert prepared
        assert connection.execute(PREPARED).scalar() == prepared
        connection.rollback()
        # psycopg still knows them as prepared: running the query prepares nothing new
        connection.execute(select(Unit.id).where(Unit.code == "T01")).all()
        assert connection.execute(PREPARED).scalar() == prepared
    engine.dispose()


def backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def last_statement(postgres_database: str, pid: int) -> str:
    """What a backend last ran, as the server tells another connection."""
    with make_engine(postgres_database, poolclass=NullPool).connect() as other:
        found = other.execute(
            text("SELECT query FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
        )
        return str(found.scalar_one())


def test_a_pooled_connection_the_server_ended_is_replaced_before_use(postgres_database):
    engine = make_engine(postgres_database)
    ended = backend_pid(engine)
    with make_engine(postgres_database, poolclass=NullPool).connect() as other:
        # waits (up to 5 s) until the backend is gone, as after a server restart
        assert other.execute(
            text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": ended}
        ).scalar()
    assert backend_pid(engine) != ended  # no error: the dead connection was not handed out
    engine.dispose()


def test_a_busy_connection_is_used_without_a_ping_and_an_idle_one_is_pinged(postgres_database):
    engine = make_engine(postgres_database)
    with time_machine.travel(datetime(2026, 3, 2, 9, tzinfo=UTC), tick=False) as traveller:
        pid = backend_pid(engine)  # the connection's last statement ends its transaction
        with engine.connect():  # used again at once: nothing asked of the server
            assert last_statement(postgres_database, pid) == "ROLLBACK"
        traveller.shift(timedelta(seconds=PING_AFTER_IDLE_S + 1))
        with engine.connect():  # idle since: asked first
            assert last_statement(postgres_database, pid) == ";"
        assert backend_pid(engine) == pid  # and, alive, used
    engine.dispose()
