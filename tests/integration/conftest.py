"""Integration fixtures: a fresh PostgreSQL database and a Redis broker for real worker processes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from keyproj.db.session import make_engine, make_session_factory
from tests.builders.database import fresh_postgres
from tests.builders.suite import NO_POSTGRES, NO_REDIS, POSTGRES_URL, REDIS_URL
from tests.integration.procs import Process, redis_db_of


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, initialized PostgreSQL database that worker processes can share; dropped after."""
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    with fresh_postgres("keyproj_it") as url:
        yield url


@pytest.fixture
def pg(pg_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on ``pg_url`` for the test's own reads and writes."""
    engine = make_engine(pg_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def broker_url(worker_id: str) -> str:
    """This worker's test Redis database, emptied: queues left by an earlier run must not leak
    in, and tests running at the same time on other workers use databases of their own."""
    if not REDIS_URL:
        pytest.skip(NO_REDIS)
    url = str(make_url(REDIS_URL).set(database=str(redis_db_of(worker_id))))
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Callable[..., Process]]:
    """Start processes that are stopped when the test ends (their logs stay in tmp_path)."""
    started: list[Process] = []

    def start(name: str, argv: list[str], env: dict[str, str]) -> Process:
        process = Process(name, argv, env, tmp_path)
        started.append(process)
        return process

    yield start
    for process in reversed(started):
        process.stop()
