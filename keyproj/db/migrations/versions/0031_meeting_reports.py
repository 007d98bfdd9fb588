"""What follows a held meeting: 通报批评 proposed for absence without leave (DC7) and the
report of slow projects to the banner government (AL3)

Revision ID: 0031_meeting_reports
Revises: 0030_chair_office
Create Date: 2026-12-03 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0031_meeting_reports"
down_revision = "0030_chair_office"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "absence_proposals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meetings.id"), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("person", sa.String(50), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("clause", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decided_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("dismissed_reason", sa.Text()),
        sa.Column("record_id", sa.Integer(), sa.ForeignKey("award_records.id")),
        sa.UniqueConstraint("meeting_id", "unit_id", name="uq_absence_proposals_meeting_unit"),
    )
    for column in ("meeting_id", "unit_id", "state"):
        op.create_index(f"ix_absence_proposals_{column}", "absence_proposals", [column])
    op.create_table(
        "slow_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meetings.id"), nullable=False),
        sa.Column("addressee", sa.String(100), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("produced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("produced_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("number", sa.String(64), unique=True),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("sent_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.UniqueConstraint("meeting_id", name="uq_slow_reports_meeting"),
    )


def downgrade() -> None:
    op.drop_table("slow_reports")
    for column in ("state", "unit_id", "meeting_id"):
        op.drop_index(f"ix_absence_proposals_{column}", "absence_proposals")
    op.drop_table("absence_proposals")
