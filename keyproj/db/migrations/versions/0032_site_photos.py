"""Joint inspection groups' separate reports (GS5: 督导检查报告单独印发), numbered and kept as
issued. Site photos need no table: they are attachments of inspection records and spot checks.

Revision ID: 0032_site_photos
Revises: 0031_meeting_reports
Create Date: 2026-12-03 13:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0032_site_photos"
down_revision = "0031_meeting_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inspection_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("group_id", sa.Integer(), sa.ForeignKey("inspection_groups.id"), nullable=False),
        sa.Column("week", sa.String(16), nullable=False),
        sa.Column("number", sa.String(100), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.UniqueConstraint("group_id", "week", name="uq_inspection_reports_week"),
        sa.UniqueConstraint("number", name="uq_inspection_reports_number"),
    )
    op.create_index("ix_inspection_reports_group_id", "inspection_reports", ["group_id"])


def downgrade() -> None:
    op.drop_index("ix_inspection_reports_group_id", table_name="inspection_reports")
    op.drop_table("inspection_reports")
