"""The half-year evaluation (GS2 半年评比): stored runs, one published per half-year.

Revision ID: 0029_half_year
Revises: 0028_sitework
Create Date: 2026-12-03 13:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029_half_year"
down_revision = "0028_sitework"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "half_year_evaluations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("profile", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("half", sa.Integer(), nullable=False),
        sa.Column("run_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("run_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("confirmed_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_half_year_evaluations_year", "half_year_evaluations", ["year"])
    op.create_index(
        "uq_half_year_evaluations_confirmed",
        "half_year_evaluations",
        ["year", "half"],
        unique=True,
        sqlite_where=sa.text("confirmed_at IS NOT NULL"),
        postgresql_where=sa.text("confirmed_at IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_half_year_evaluations_confirmed", table_name="half_year_evaluations")
    op.drop_index("ix_half_year_evaluations_year", table_name="half_year_evaluations")
    op.drop_table("half_year_evaluations")
