"""Dispatch meetings, their invited units, agenda submissions and attendance
(AL3, HD4, DC3, DC7, GS1, GS2, GS6)

Revision ID: 0025_meetings
Revises: 0024_awards
Create Date: 2026-12-03 09:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025_meetings"
down_revision = "0024_awards"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("series", sa.String(32), nullable=False),
        sa.Column("nominal_on", sa.Date(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=False),
        sa.Column("place", sa.String(200)),
        sa.Column("chair", sa.String(100), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("ask_on", sa.Date()),
        sa.Column("due_on", sa.Date()),
        sa.Column("asked_at", sa.DateTime(timezone=True)),
        sa.Column("reminded_at", sa.DateTime(timezone=True)),
        sa.Column("agenda", sa.JSON()),
        sa.Column("compiled_at", sa.DateTime(timezone=True)),
        sa.Column("minutes", sa.Text()),
        sa.Column("held_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("series", "nominal_on", name="uq_meetings_series_day"),
    )
    op.create_index("ix_meetings_series", "meetings", ["series"])
    op.create_index("ix_meetings_held_on", "meetings", ["held_on"])
    op.create_table(
        "meeting_invites",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "meeting_id",
            sa.Integer(),
            sa.ForeignKey("meetings.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.UniqueConstraint("meeting_id", "unit_id", name="uq_meeting_invites_unit"),
    )
    op.create_index("ix_meeting_invites_unit_id", "meeting_invites", ["unit_id"])
    op.create_table(
        "agenda_submissions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meetings.id"), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("progress", sa.Text(), nullable=False),
        sa.Column("issues", sa.Text()),
        sa.Column("requests", sa.Text()),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("reviewed_at", sa.DateTime(timezone=True)),
        sa.Column("review_note", sa.Text()),
        sa.UniqueConstraint("meeting_id", "project_id", name="uq_agenda_submissions_project"),
    )
    op.create_index("ix_agenda_submissions_meeting_id", "agenda_submissions", ["meeting_id"])
    op.create_index("ix_agenda_submissions_unit_id", "agenda_submissions", ["unit_id"])
    op.create_table(
        "meeting_attendance",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meetings.id"), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id")),
        sa.Column("person", sa.String(50), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text()),
    )
    op.create_index("ix_meeting_attendance_meeting_id", "meeting_attendance", ["meeting_id"])


def downgrade() -> None:
    op.drop_table("meeting_attendance")
    op.drop_table("agenda_submissions")
    op.drop_table("meeting_invites")
    op.drop_table("meetings")
