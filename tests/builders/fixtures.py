"""The fixtures every test may ask for: databases of both backends, a session, a clock, a county."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner, Result
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cli.main import cli
from keyproj import passwords
from keyproj.db.session import make_engine
from keyproj.policy import PolicyProfile, load_profile
from tests.builders.cli import Run
from tests.builders.clock import FrozenClock
from tests.builders.compiled import shared_url_builders
from tests.builders.county import County
from tests.builders.database import (
    fresh_postgres,
    lending,
    remember_seeded,
    reset_postgres,
    sqlite_database,
)
from tests.builders.suite import NO_POSTGRES, POSTGRES_URL


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file migrated to head and seeded once; each test gets a copy."""
    return sqlite_database(tmp_path_factory.mktemp("template") / "keyproj.db")


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, migrated and seeded; dropped at the end."""
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    with fresh_postgres("keyproj_test") as url:
        remember_seeded(url)
        yield url


@pytest.fixture(scope="session")
def postgres_engine(postgres_database: str) -> Iterator[Engine]:
    """The engine of every PostgreSQL test of the process: the statements it compiled for one
    test serve the next (each test still starts from the rows init wrote)."""
    engine = make_engine(postgres_database)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a clean, seeded database of each backend; the test's apps use it too."""
    if request.param == "sqlite":
        path = tmp_path / "keyproj.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        engine = make_engine(f"sqlite:///{path}")
    else:
        engine = request.getfixturevalue("postgres_engine")
        reset_postgres(engine)
    with lending(engine):
        yield engine
    engine.dispose()  # on PostgreSQL: the connections close, the compiled statements stay


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Argon2 at its production cost takes ~0.1 s a hash; tests hash thousands of passwords.

    Still argon2, at its lowest cost (8 KiB, one pass: ~0.05 ms a hash rather than ~1 ms at
    1 MiB); hashes and checks work as in production."""
    original = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    passwords._hasher = original


@pytest.fixture(scope="session", autouse=True)
def url_builders_compiled_once() -> Iterator[None]:
    """Each test's app reuses the URL builders the process compiled for the first app."""
    with shared_url_builders():
        yield


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
def clock() -> Iterator[FrozenClock]:
    """A frozen clock the services and the engine share; move it with ``clock.at(moment)``."""
    frozen = FrozenClock()
    yield frozen
    frozen.stop()


@pytest.fixture
def county(session: Session, clock: FrozenClock) -> County:
    """The test county's towns and department; folders add the people and projects they need."""
    return County(session, clock)


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_template: Path) -> Run:
    """The ``keyproj`` command on a fresh, initialized SQLite database in ``tmp_path``.

    The database starts as a copy of the migrated template (migrating anew for each test
    cost seconds); ``init`` still runs on it, as an operator repeats it, and must succeed.
    """
    shutil.copy(sqlite_template, tmp_path / "cli.db")
    monkeypatch.setenv("KEYPROJ_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("KEYPROJ_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, list(args))

    assert invoke("init").exit_code == 0
    return invoke


@pytest.fixture
def worker_under(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """Point the worker's runtime at the test database under a profile the test names."""
    monkeypatch.setenv("KEYPROJ_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("KEYPROJ_INSTANCE_DIR", str(tmp_path))
    from workers import runtime as worker

    def use(profile: str) -> None:
        monkeypatch.setenv("KEYPROJ_PROFILE", profile)
        worker.settings.cache_clear()
        worker.runtime.cache_clear()

    yield use
    if worker.runtime.cache_info().currsize:
        worker.runtime().engine.dispose()
    worker.runtime.cache_clear()
    worker.settings.cache_clear()
