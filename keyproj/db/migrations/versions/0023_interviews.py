"""Interviews (约谈, HD6) and the commitments made at them

Revision ID: 0023_interviews
Revises: 0022_scoring
Create Date: 2026-12-03 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023_interviews"
down_revision = "0022_scoring"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "interviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("trigger", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence", sa.JSON()),
        sa.Column("proposal_key", sa.String(200), unique=True),
        sa.Column("requested_by_leader_id", sa.Integer(), sa.ForeignKey("leaders.id")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("leader_id", sa.Integer(), sa.ForeignKey("leaders.id")),
        sa.Column("scheduled_at", sa.DateTime(timezone=True)),
        sa.Column("place", sa.String(200)),
        sa.Column("number", sa.String(64), unique=True),
        sa.Column("numbered_at", sa.DateTime(timezone=True)),
        sa.Column("scheduled_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("held_at", sa.DateTime(timezone=True)),
        sa.Column("minutes", sa.Text()),
        sa.Column("held_recorded_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("dismissed_at", sa.DateTime(timezone=True)),
        sa.Column("dismissed_reason", sa.Text()),
        sa.Column("dismissed_by_id", sa.Integer(), sa.ForeignKey("users.id")),
    )
    op.create_index("ix_interviews_unit_id", "interviews", ["unit_id"])
    op.create_index("ix_interviews_state", "interviews", ["state"])
    op.create_table(
        "interview_projects",
        sa.Column(
            "interview_id",
            sa.Integer(),
            sa.ForeignKey("interviews.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), primary_key=True),
    )
    op.create_index("ix_interview_projects_project_id", "interview_projects", ["project_id"])
    op.create_table(
        "interview_commitments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "interview_id",
            sa.Integer(),
            sa.ForeignKey("interviews.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("done_note", sa.Text()),
        sa.Column("done_at", sa.DateTime(timezone=True)),
        sa.Column("done_by_id", sa.Integer(), sa.ForeignKey("users.id")),
    )
    op.create_index(
        "ix_interview_commitments_interview_id", "interview_commitments", ["interview_id"]
    )
    op.create_index("ix_interview_commitments_due_on", "interview_commitments", ["due_on"])


def downgrade() -> None:
    op.drop_table("interview_commitments")
    op.drop_table("interview_projects")
    op.drop_table("interviews")
