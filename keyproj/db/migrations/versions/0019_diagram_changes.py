"""The log of diagram deploys, retirements and case migrations (X3)

Revision ID: 0019_diagram_changes
Revises: 0018_al13
Create Date: 2026-12-02 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_diagram_changes"
down_revision = "0018_al13"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "diagram_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column(
            "definition_id", sa.Integer(), sa.ForeignKey("process_definitions.id"), nullable=False
        ),
        sa.Column("target_definition_id", sa.Integer(), sa.ForeignKey("process_definitions.id")),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("details", sa.JSON(), nullable=False),
    )
    op.create_index("ix_diagram_changes_key", "diagram_changes", ["key"])
    op.create_index("ix_diagram_changes_occurred_at", "diagram_changes", ["occurred_at"])


def downgrade() -> None:
    op.drop_index("ix_diagram_changes_occurred_at", "diagram_changes")
    op.drop_index("ix_diagram_changes_key", "diagram_changes")
    op.drop_table("diagram_changes")
