"""Migrations: one head, upgrade from an empty database, models and schema agree."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from keyproj.db.base import Base
from keyproj.db.migrate import current_revision, head_revisions, upgrade
from keyproj.db.session import make_engine


def test_migrations_have_exactly_one_head():
    assert len(head_revisions()) == 1


def test_upgrade_from_empty_sqlite_creates_every_table(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert current_revision(engine) is None
    upgrade(engine)
    assert current_revision(engine) == head_revisions()[0]
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    upgrade(engine)  # a second run changes nothing and does not fail


def test_models_match_the_migrated_schema(engine):
    """The migrated databases (both backends) have what the models declare: no missing revision."""
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # Expression indexes cannot be reflected, so alembic cannot compare them.
    assert [
        d for d in diff if not (d[0] == "add_index" and d[1].name == "uq_warnings_open_per_period")
    ] == []
