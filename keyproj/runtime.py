"""The composition root: what one process (web, worker or command) shares, built once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from keyproj.db.session import make_engine, make_session_factory
from keyproj.policy import PolicyProfile, load_profile
from keyproj.settings import Settings

RequestScan = Callable[[], bool]
"""Asks the workers for a rule scan now; False when they could not be reached."""

# SpiffWorkflow logs every task state change at INFO under these loggers: thousands of lines
# a day in a worker's log that say nothing an operator needs (the case events record them).
ENGINE_LOGGERS = ("spiff",)


def no_workers() -> bool:
    """The scan request of a process that has no workers to ask: the outbox relay will run it."""
    return False


@dataclass(frozen=True)
class Runtime:
    """Settings, the active policy profile, the database and how to ask the workers for a scan."""

    settings: Settings
    profile: PolicyProfile
    engine: Engine
    sessions: sessionmaker[Session]
    request_scan: RequestScan = no_workers

    def forget_connections(self) -> None:
        """Drop pooled connections inherited across a fork: each process opens its own."""
        self.engine.dispose(close=False)


def build_runtime(settings: Settings, *, request_scan: RequestScan = no_workers) -> Runtime:
    """The process's Runtime; an invalid policy profile raises PolicyError and stops start-up."""
    profile = load_profile(settings.profile)
    quiet_engine_logs()
    engine = make_engine(settings.database_url)
    return Runtime(settings, profile, engine, make_session_factory(engine), request_scan)


def quiet_engine_logs() -> None:
    """Keep the engine's per-task INFO lines out of the process's log (warnings still show)."""
    for name in ENGINE_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
