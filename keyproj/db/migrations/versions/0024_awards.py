"""Year-end evaluations, commendation and sanction records, service pledges and their scores
(GS8, AL13–14, DC6, HD7)

Revision ID: 0024_awards
Revises: 0022_scoring
Create Date: 2026-12-03 08:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024_awards"
down_revision = "0023_interviews"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "year_end_evaluations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("profile", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("basis", sa.String(16), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("confirmed_at", sa.DateTime(timezone=True)),
        sa.Column("struck", sa.JSON()),
    )
    op.create_index("ix_year_end_evaluations_year", "year_end_evaluations", ["year"])
    op.create_index(
        "uq_year_end_evaluations_confirmed",
        "year_end_evaluations",
        ["year"],
        unique=True,
        sqlite_where=sa.text("confirmed_at IS NOT NULL"),
        postgresql_where=sa.text("confirmed_at IS NOT NULL"),
    )
    op.create_table(
        "award_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("person", sa.String(64)),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id")),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("amount", sa.Numeric(18, 4)),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("clause", sa.String(64), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), sa.ForeignKey("year_end_evaluations.id")),
        sa.Column("item", sa.Integer()),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("evaluation_id", "item", name="uq_award_records_evaluation_item"),
    )
    op.create_index("ix_award_records_year", "award_records", ["year"])
    op.create_index("ix_award_records_unit_id", "award_records", ["unit_id"])
    op.create_index("ix_award_records_project_id", "award_records", ["project_id"])
    op.create_table(
        "service_pledges",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("unit_id", "year", name="uq_service_pledges_unit_year"),
    )
    op.create_index("ix_service_pledges_unit_id", "service_pledges", ["unit_id"])
    op.create_table(
        "service_scores",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("pledge_id", sa.Integer(), sa.ForeignKey("service_pledges.id"), nullable=False),
        sa.Column("scorer_unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("score", sa.Numeric(5, 2), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("scored_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("pledge_id", "scorer_unit_id", name="uq_service_scores_pledge_scorer"),
    )
    op.create_index("ix_service_scores_pledge_id", "service_scores", ["pledge_id"])
    op.create_index("ix_service_scores_scorer_unit_id", "service_scores", ["scorer_unit_id"])


def downgrade() -> None:
    op.drop_table("service_scores")
    op.drop_table("service_pledges")
    op.drop_table("award_records")
    op.drop_index("uq_year_end_evaluations_confirmed", "year_end_evaluations")
    op.drop_index("ix_year_end_evaluations_year", "year_end_evaluations")
    op.drop_table("year_end_evaluations")
