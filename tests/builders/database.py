"""Test databases: a migrated, seeded SQLite template and fresh PostgreSQL databases."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Row, select, text
from sqlalchemy.engine import make_url

from keyproj.db.base import Base
from keyproj.db.session import make_engine
from keyproj.services.reference.setup import init_database
from tests.builders.suite import NO_POSTGRES, POSTGRES_URL

FIXTURES = Path(__file__).parents[1] / "fixtures"
CALENDAR_2027 = (
    FIXTURES / "calendar_2027.csv"
)  # next year's holidays, as an administrator imports them

CALENDAR_TABLES = {"calendar_days", "calendar_years"}
# A test that corrects or imports the calendar changes one of these; most tests leave both.
CALENDAR_FINGERPRINT = text(
    "SELECT"
    " (SELECT count(*) || md5(string_agg(day::text || kind || coalesce(name, ''), ','"
    "  ORDER BY day)) FROM calendar_days),"
    " (SELECT md5(string_agg(year::text || source || loaded_at::text, ',' ORDER BY year))"
    "  FROM calendar_years)"
)


@dataclass
class Seeded:
    """What a freshly initialized database holds (per test process), to restore for each test."""

    rows: dict[str, list[dict[str, Any]]]
    calendar: Row[Any]


_seeded: dict[str, Seeded] = {}  # by the database's URL
_engines: dict[str, Engine] = {}  # the test's engine, by its URL (see lending)


def url_of(engine: Engine) -> str:
    """The engine's URL with its password (for SQLite: the database file's path)."""
    return engine.url.render_as_string(hide_password=False)


@contextmanager
def lending(engine: Engine) -> Iterator[Engine]:
    """While the block runs, apps built on ``engine``'s database use ``engine`` itself."""
    _engines[url_of(engine)] = engine
    try:
        yield engine
    finally:
        del _engines[url_of(engine)]


def lent_engine(url: str) -> Engine | None:
    """The test's engine on the database at ``url``, if it lends it (see ``lending``).

    An app on the test's engine neither connects nor compiles its statements anew: on
    PostgreSQL, where one engine serves every test of the process, statements compiled for
    one test serve the next ones.
    """
    return _engines.get(url)


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
    """Bring the database back to what ``init`` left: every table emptied, then refilled with
    the rows ``init`` (its migrations and its seeding) wrote.

    Those rows are read by ``remember_seeded`` right after ``init``; a test's reset then takes
    a few round trips rather than one per table. DELETE is used rather than TRUNCATE (far
    cheaper on near-empty tables); the calendar's 800 rows are put back only when a test
    changed them.
    """
    seeded = _seeded[url_of(engine)]
    with engine.begin() as conn:
        calendar_changed = conn.execute(CALENDAR_FINGERPRINT).one() != seeded.calendar
        emptied = [
            table
            for table in reversed(Base.metadata.sorted_tables)
            if calendar_changed or table.name not in CALENDAR_TABLES
        ]
        # annual_plans and plan_versions point at each other: break the cycle first.
        statements = ["UPDATE annual_plans SET current_version_id = NULL"]
        statements += [f'DELETE FROM "{table.name}"' for table in emptied]
        conn.exec_driver_sql(";\n".join(statements))
        for table in reversed(emptied):
            if seeded.rows[table.name]:
                conn.execute(table.insert(), seeded.rows[table.name])


def remember_seeded(url: str) -> None:
    """Read the rows of the freshly initialized database at ``url``, which reset_postgres
    restores."""
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = {
            table.name: [dict(row._mapping) for row in conn.execute(select(table))]
            for table in Base.metadata.sorted_tables
        }
        _seeded[url] = Seeded(rows, conn.execute(CALENDAR_FINGERPRINT).one())
    engine.dispose()
