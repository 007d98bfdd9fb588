"""home pages and daily digest: each user's notification mode, notifications held for the
digest, and an index of open tasks by step

Revision ID: 0015_home
Revises: 0014_severity
Create Date: 2026-12-02 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_home"
down_revision = "0014_severity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every account keeps today's behaviour (a notification at once) until its user chooses.
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column(
                "notification_mode",
                sa.String(length=16),
                nullable=False,
                server_default="immediate",
            )
        )
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("held", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_human_tasks_name_status", "human_tasks", ["name", "status"])


def downgrade() -> None:
    op.drop_index("ix_human_tasks_name_status", table_name="human_tasks")
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("held")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("notification_mode")
