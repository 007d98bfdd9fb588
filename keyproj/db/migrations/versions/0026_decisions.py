"""Decided items (议定事项, AL13 一是, DC3 三(三), GS6), each carried out as a case

Revision ID: 0026_decisions
Revises: 0024_awards
Create Date: 2026-12-03 09:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026_decisions"
down_revision = "0025_meetings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decided_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("origin_kind", sa.String(32), nullable=False),
        sa.Column("origin_ref_id", sa.Integer(), nullable=False),
        sa.Column("origin_title", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("chair_unit_id", sa.Integer(), sa.ForeignKey("units.id")),
        sa.Column("matter", sa.Text(), nullable=False),
        sa.Column("owner_unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id")),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("acceptance", sa.Text(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("warning_id", sa.Integer(), sa.ForeignKey("warnings.id"), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("report", sa.Text()),
        sa.Column("reported_at", sa.DateTime(timezone=True)),
        sa.Column("overdue_at", sa.DateTime(timezone=True)),
        sa.Column("done_at", sa.DateTime(timezone=True)),
        sa.Column("rejection_reason", sa.Text()),
        sa.UniqueConstraint("case_id", name="uq_decided_items_case_id"),
    )
    op.create_index("ix_decided_items_owner_unit_id", "decided_items", ["owner_unit_id"])
    op.create_index("ix_decided_items_project_id", "decided_items", ["project_id"])
    op.create_index("ix_decided_items_state", "decided_items", ["state"])
    op.create_index("ix_decided_items_origin", "decided_items", ["origin_kind", "origin_ref_id"])


def downgrade() -> None:
    op.drop_table("decided_items")
