"""Bonus points awarded to departments per quarter (AL12)

Revision ID: 0022_scoring
Revises: 0020_rankings
Create Date: 2026-12-02 19:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_scoring"
down_revision = "0021_bulletins"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "score_bonuses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("points", sa.Numeric(6, 2), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_score_bonuses_unit_id", "score_bonuses", ["unit_id"])
    op.create_index("ix_score_bonuses_period", "score_bonuses", ["period"])


def downgrade() -> None:
    op.drop_table("score_bonuses")
