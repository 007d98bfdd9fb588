"""The objects every command needs: settings, profile, engine, session factory (made lazily)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, update_wrapper
from typing import Any, TypeVar

import click
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from keyproj.db.session import make_engine, make_session_factory
from keyproj.policy import PolicyProfile, load_profile
from keyproj.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


class AppContext:
    """Lazily built collaborators, so ``--help`` needs no database."""

    @cached_property
    def settings(self) -> Settings:
        """The settings from the environment; the instance directory exists."""
        settings = Settings.from_env()
        settings.instance_dir.mkdir(parents=True, exist_ok=True)
        return settings

    @cached_property
    def profile(self) -> PolicyProfile:
        """The active policy profile, validated."""
        return load_profile(self.settings.profile)

    @cached_property
    def engine(self) -> Engine:
        """The database engine."""
        return make_engine(self.settings.database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """The session factory."""
        return make_session_factory(self.engine)


def pass_app(f: F) -> F:
    """Hand the command the AppContext."""

    @click.pass_context
    def wrapper(ctx: click.Context, *args: Any, **kwargs: Any) -> Any:
        return ctx.invoke(f, ctx.find_object(AppContext), *args, **kwargs)

    return update_wrapper(wrapper, f)  # type: ignore[return-value]
