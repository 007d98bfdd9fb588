"""Test databases: a migrated, seeded SQLite template and fresh PostgreSQL databases."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from keyproj.db.base import Base
from keyproj.db.session import make_engine
from keyproj.services.reference.setup import init_database, seed_reference
from tests.builders.suite import NO_POSTGRES, POSTGRES_URL

FIXTURES = Path(__file__).parents[1] / "fixtures"
CALENDAR_2027 = (
    FIXTURES / "calendar_2027.csv"
)  # next year's holidays, as an administrator imports them

CALENDAR_TABLES = {"calendar_days", "calendar_years"}
CALENDAR_FINGERPRINT = text(
    "SELECT count(*), md5(string_agg(day::text || kind, ',' ORDER BY day)) FROM calendar_days"
)
_seeded_calendar: list[object] = []


def url_of(engine: Engine) -> str:
    """The engine's URL with its password (for SQLite: the database file's path)."""
    return engine.url.render_as_string(hide_password=False)


def sqlite_database(path: Path) -> Path:
    """A database file at ``path``, migrated to head and seeded as ``keyproj init`` does."""
    engine = make_engine(f"sqlite:///{path}")
    init_database(engine)
    engine.dispose()
    return path


@contextmanager
def fresh_postgres(prefix: str) -> Iterator[str]:
    """The URL of a new PostgreSQL database, migrated and seeded; dropped when the block ends."""
    if not POSTGRES_URL:
        raise RuntimeError(NO_POSTGRES)
    server = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    init_database(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def reset_postgres(engine: Engine) -> None:
    """Empty the tables a test may have filled and seed what ``init`` seeds.

    DELETE is used rather than TRUNCATE (far cheaper on near-empty tables), and the calendar
    is reseeded only when a test changed it.
    """
    with engine.begin() as conn:
        # annual_plans and plan_versions point at each other: break the cycle first.
        conn.execute(text("UPDATE annual_plans SET current_version_id = NULL"))
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in CALENDAR_TABLES:
                conn.execute(table.delete())
        fingerprint = conn.execute(CALENDAR_FINGERPRINT).one()
        if _seeded_calendar and fingerprint != _seeded_calendar[0]:
            conn.execute(text("DELETE FROM calendar_days"))
            conn.execute(text("DELETE FROM calendar_years"))
    with Session(engine) as session, session.begin():
        seed_reference(session)
    if not _seeded_calendar:
        with engine.connect() as conn:
            _seeded_calendar.append(conn.execute(CALENDAR_FINGERPRINT).one())
