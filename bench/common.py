"""Shared set-up for benchmarks: throw-away databases, a small county, timing helpers."""

from __future__ import annotations

import os
import statistics
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from keyproj.db.session import make_engine
from keyproj.services.reference.setup import init_database

POSTGRES_URL = os.environ.get("KEYPROJ_TEST_DATABASE_URL")


@contextmanager
def sqlite_database() -> Iterator[Engine]:
    """A migrated, seeded SQLite database in a temporary directory."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        init_database(engine)
        yield engine
        engine.dispose()


@contextmanager
def postgres_database() -> Iterator[Engine]:
    """A migrated, seeded PostgreSQL database created for this run and dropped afterwards."""
    assert POSTGRES_URL
    server = make_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"keyproj_bench_{uuid.uuid4().hex[:8]}"
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(
        make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    )
    try:
        init_database(engine)
        yield engine
    finally:
        engine.dispose()
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def backends() -> list[tuple[str, object]]:
    """SQLite always; PostgreSQL when configured."""
    found: list[tuple[str, object]] = [("sqlite", sqlite_database)]
    if POSTGRES_URL:
        found.append(("postgresql", postgres_database))
    return found


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def median(values: list[float]) -> float:
    """The median."""
    return statistics.median(values)
