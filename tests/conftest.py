"""Shared fixtures: a migrated, seeded database on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from cli.main import cli
from keyproj import passwords
from keyproj.db.base import Base
from keyproj.db.session import make_engine
from keyproj.policy import PolicyProfile, load_profile
from keyproj.services.reference.setup import init_database, seed_reference

POSTGRES_URL = os.environ.get("KEYPROJ_TEST_DATABASE_URL")
NO_POSTGRES = "KEYPROJ_TEST_DATABASE_URL is not set: PostgreSQL runs of these tests are skipped"


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = [
        f"PostgreSQL tests: {make_url(POSTGRES_URL).render_as_string(hide_password=True)}"
        if POSTGRES_URL
        else f"WARNING: {NO_POSTGRES}"
    ]
    redis_url = os.environ.get("KEYPROJ_TEST_REDIS_URL")
    lines.append(
        f"Redis worker tests: {redis_url}"
        if redis_url
        else "WARNING: KEYPROJ_TEST_REDIS_URL is not set: the worker tests on Redis are skipped"
    )
    return lines


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file migrated to head and seeded once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "keyproj.db"
    engine = make_engine(f"sqlite:///{path}")
    init_database(engine)
    engine.dispose()
    return path


@contextmanager
def fresh_postgres(prefix: str) -> Iterator[str]:
    """The URL of a new PostgreSQL database, migrated and seeded; dropped when the block ends."""
    assert POSTGRES_URL
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


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, migrated and seeded; dropped at the end."""
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    with fresh_postgres("keyproj_test") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a clean, seeded database of each backend."""
    if request.param == "sqlite":
        path = tmp_path / "keyproj.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        engine = make_engine(f"sqlite:///{path}")
    else:
        engine = make_engine(request.getfixturevalue("postgres_database"))
        _reset_postgres(engine)
    yield engine
    engine.dispose()


CALENDAR_TABLES = {"calendar_days", "calendar_years"}
CALENDAR_FINGERPRINT = text(
    "SELECT count(*), md5(string_agg(day::text || kind, ',' ORDER BY day)) FROM calendar_days"
)
_seeded_calendar: list[object] = []


def _reset_postgres(engine: Engine) -> None:
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


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Argon2 at its production cost takes ~0.1 s a hash; tests hash hundreds of passwords."""
    original = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords._hasher = original


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the test database (tests commit or flush as the service expects)."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def profile() -> PolicyProfile:
    """The Lianping profile, the default."""
    return load_profile("lianping")


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The ``keyproj`` command on a fresh, initialized SQLite database in ``tmp_path``."""
    monkeypatch.setenv("KEYPROJ_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("KEYPROJ_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, list(args))

    assert invoke("init").exit_code == 0
    return invoke
