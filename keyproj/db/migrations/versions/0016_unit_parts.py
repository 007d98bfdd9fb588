"""each unit's own part of a case (LP13): the unit whose part a task belongs to

Revision ID: 0016_unit_parts
Revises: 0015_home
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_unit_parts"
down_revision = "0015_home"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Empty for the tasks of every case started before: one shared task had no one part.
    with op.batch_alter_table("human_tasks") as batch:
        batch.add_column(sa.Column("part_unit_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_human_tasks_part_unit_id_units", "units", ["part_unit_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("human_tasks") as batch:
        batch.drop_constraint("fk_human_tasks_part_unit_id_units", type_="foreignkey")
        batch.drop_column("part_unit_id")
