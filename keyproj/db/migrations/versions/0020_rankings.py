"""Ranking runs and the reminder letters sent to the bottom units (HD5, GS2)

Revision ID: 0020_rankings
Revises: 0019_diagram_changes
Create Date: 2026-12-02 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_rankings"
down_revision = "0019_diagram_changes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ranking_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("profile", sa.String(32), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("cadence", sa.String(16), nullable=False),
        sa.Column("run_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
    )
    op.create_index("ix_ranking_runs_period", "ranking_runs", ["period"])
    op.create_table(
        "reminder_letters",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("ranking_runs.id"), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("number", sa.String(64), nullable=False, unique=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True)),
        sa.Column("acknowledged_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("measures", sa.Text()),
        sa.UniqueConstraint("run_id", "unit_id", name="uq_reminder_letters_run_unit"),
    )
    op.create_index("ix_reminder_letters_run_id", "reminder_letters", ["run_id"])
    op.create_index("ix_reminder_letters_unit_id", "reminder_letters", ["unit_id"])


def downgrade() -> None:
    op.drop_table("reminder_letters")
    op.drop_index("ix_ranking_runs_period", "ranking_runs")
    op.drop_table("ranking_runs")
