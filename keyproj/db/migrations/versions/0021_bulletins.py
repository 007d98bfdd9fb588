"""Bulletins, archived with the figures they were built from (LP19, DC7, GS1)

Revision ID: 0021_bulletins
Revises: 0020_rankings
Create Date: 2026-12-02 19:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_bulletins"
down_revision = "0020_rankings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bulletins",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("profile", sa.String(32), nullable=False),
        sa.Column("cadence", sa.String(16), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("number", sa.String(64), nullable=False, unique=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.UniqueConstraint("profile", "cadence", "period", name="uq_bulletins_period"),
    )
    op.create_index("ix_bulletins_period", "bulletins", ["period"])


def downgrade() -> None:
    op.drop_index("ix_bulletins_period", "bulletins")
    op.drop_table("bulletins")
