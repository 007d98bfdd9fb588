"""The worker's Runtime: settings read once, shared with the Celery app, and a quiet engine log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from keyproj.clock import BEIJING
from keyproj.engine import CaseInstance, compile_definition
from tests.builders.engine import start_data
from workers import runtime as worker_runtime

DIAGRAM = Path(__file__).parents[2] / "bpmn" / "warning_case.bpmn"
START = start_data(datetime(2026, 3, 2, 9, tzinfo=BEIJING))


@pytest.fixture
def worker_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A worker process's environment, with the process-wide state reset before and after."""
    monkeypatch.setenv("KEYPROJ_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("KEYPROJ_DATABASE_URL", f"sqlite:///{tmp_path / 'w.db'}")
    monkeypatch.setenv("KEYPROJ_BROKER_URL", "memory://")
    worker_runtime.settings.cache_clear()
    worker_runtime.runtime.cache_clear()
    logging.getLogger("spiff").setLevel(logging.NOTSET)  # as in a fresh process
    yield
    if worker_runtime.runtime.cache_info().currsize:
        worker_runtime.runtime().engine.dispose()
    worker_runtime.settings.cache_clear()
    worker_runtime.runtime.cache_clear()
    logging.getLogger("spiff").setLevel(logging.NOTSET)


def start_a_case() -> None:
    """Start one warning case in memory: the engine changes the state of a dozen tasks."""
    definition = compile_definition(DIAGRAM.read_text(encoding="utf-8"))
    now = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    CaseInstance.start(definition, START, lambda start, n: "2026-03-31T23:59:59+08:00", now)


def engine_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The engine's log lines the test caught."""
    return [r.getMessage() for r in caplog.records if r.name.startswith("spiff")]


def test_the_worker_log_at_info_shows_no_engine_state_changes(worker_env, caplog):
    caplog.set_level(logging.INFO)  # what `celery worker --loglevel=INFO` sets
    start_a_case()
    assert engine_lines(caplog), "the engine logs at INFO unless told otherwise"
    caplog.clear()

    worker_runtime.runtime()
    start_a_case()
    assert engine_lines(caplog) == []


def test_the_runtime_is_built_once_from_settings_read_once(worker_env):
    first = worker_runtime.runtime()
    assert worker_runtime.runtime() is first
    assert first.settings is worker_runtime.settings()
    assert first.settings.broker_url == "memory://"
