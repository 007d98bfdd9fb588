"""Observation tours with their route, scorers and score sheets (DC4, GS2); joint inspection
groups, their weekly records and missed weeks (GS5)

Revision ID: 0027_tours
Revises: 0024_awards
Create Date: 2026-12-03 09:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027_tours"
down_revision = "0026_decisions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _tours()
    _inspections()


def _tours() -> None:
    op.create_table(
        "tours",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("tour_on", sa.Date(), nullable=False),
        sa.Column("meeting_point", sa.String(200), nullable=False),
        sa.Column("vehicles", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text()),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("results", sa.JSON()),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_tours_tour_on", "tours", ["tour_on"])
    op.create_table(
        "tour_stops",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "tour_id", sa.Integer(), sa.ForeignKey("tours.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.UniqueConstraint("tour_id", "project_id", name="uq_tour_stops_project"),
    )
    op.create_index("ix_tour_stops_tour_id", "tour_stops", ["tour_id"])
    op.create_index("ix_tour_stops_project_id", "tour_stops", ["project_id"])
    op.create_table(
        "tour_scorers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "tour_id", sa.Integer(), sa.ForeignKey("tours.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.UniqueConstraint("tour_id", "user_id", name="uq_tour_scorers_user"),
    )
    op.create_index("ix_tour_scorers_tour_id", "tour_scorers", ["tour_id"])
    op.create_index("ix_tour_scorers_user_id", "tour_scorers", ["user_id"])
    op.create_table(
        "tour_scores",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "tour_id", sa.Integer(), sa.ForeignKey("tours.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("scorer_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("marks", sa.JSON(), nullable=False),
        sa.Column("total", sa.Numeric(6, 2), nullable=False),
        sa.Column("comment", sa.Text()),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("tour_id", "project_id", "scorer_id", name="uq_tour_scores_sheet"),
    )
    op.create_index("ix_tour_scores_tour_id", "tour_scores", ["tour_id"])
    op.create_index("ix_tour_scores_project_id", "tour_scores", ["project_id"])
    op.create_index("ix_tour_scores_scorer_id", "tour_scores", ["scorer_id"])


def _inspections() -> None:
    op.create_table(
        "inspection_groups",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("number", sa.Integer(), nullable=False, unique=True),
        sa.Column("unit_name", sa.String(100), nullable=False),
        sa.Column("members", sa.JSON(), nullable=False),
    )
    op.create_table(
        "inspection_assignments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "group_id",
            sa.Integer(),
            sa.ForeignKey("inspection_groups.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.UniqueConstraint("project_id", name="uq_inspection_assignments_project"),
    )
    op.create_index("ix_inspection_assignments_group_id", "inspection_assignments", ["group_id"])
    op.create_table(
        "inspection_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("group_id", sa.Integer(), sa.ForeignKey("inspection_groups.id"), nullable=False),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("week", sa.String(16), nullable=False),
        sa.Column("milestone_verified", sa.Boolean(), nullable=False),
        sa.Column("milestone", sa.Text()),
        sa.Column("image_checked", sa.Boolean(), nullable=False),
        sa.Column("findings", sa.Text()),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True)),
        sa.Column("warning_id", sa.Integer(), sa.ForeignKey("warnings.id")),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    for column in ("group_id", "project_id", "inspected_on", "week"):
        op.create_index(f"ix_inspection_records_{column}", "inspection_records", [column])
    op.create_table(
        "inspection_gaps",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("group_id", sa.Integer(), sa.ForeignKey("inspection_groups.id"), nullable=False),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("week", sa.String(16), nullable=False),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("group_id", "project_id", "week", name="uq_inspection_gaps_week"),
    )
    op.create_index("ix_inspection_gaps_group_id", "inspection_gaps", ["group_id"])
    op.create_index("ix_inspection_gaps_week", "inspection_gaps", ["week"])


def downgrade() -> None:
    for table in (
        "inspection_gaps",
        "inspection_records",
        "inspection_assignments",
        "inspection_groups",
        "tour_scores",
        "tour_scorers",
        "tour_stops",
        "tours",
    ):
        op.drop_table(table)
