"""What a worker process shares between tasks: settings, profile, engine and sessions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from keyproj.db.session import make_engine, make_session_factory
from keyproj.policy import PolicyProfile, load_profile
from keyproj.settings import Settings


@dataclass(frozen=True)
class Runtime:
    """A worker process's collaborators, built on first use."""

    settings: Settings
    profile: PolicyProfile
    engine: Engine
    sessions: sessionmaker[Session]


@cache
def runtime() -> Runtime:
    """This process's Runtime (an invalid policy profile stops the task with its message)."""
    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    return Runtime(settings, load_profile(settings.profile), engine, make_session_factory(engine))


def forget_connections() -> None:
    """Drop pooled connections inherited across a fork: each process opens its own."""
    if runtime.cache_info().currsize:
        runtime().engine.dispose(close=False)
