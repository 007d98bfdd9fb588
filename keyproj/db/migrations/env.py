"""Alembic environment: runs migrations on the engine handed over by keyproj.db.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from keyproj.db import models  # noqa: F401  (registers every table)
from keyproj.db.base import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Run against the configured engine; SQLite needs batch mode for ALTER TABLE."""
    engine = config.attributes.get("engine") or create_engine(
        config.get_main_option("sqlalchemy.url") or ""
    )
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
