"""Engines: a rolled-back transaction is undone, and on PostgreSQL keeps the prepared statements."""

from __future__ import annotations

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from keyproj.db.models import Unit
from keyproj.db.session import make_engine
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
