"""attachments, closing an issue on the key office's confirmation, urgent issues' reports (LP9)

Revision ID: 0010_hand
Revises: 0009_registries
Create Date: 2026-12-02 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_hand"
down_revision = "0009_registries"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_kind", sa.String(length=16), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["users.id"], name="fk_attachments_uploaded_by_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_attachments"),
        sa.UniqueConstraint("key", name="uq_attachments_key"),
    )
    op.create_index("ix_attachments_owner", "attachments", ["owner_kind", "owner_id"])
    op.create_table(
        "urgent_issue_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("report", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["project_issues.id"],
            name="fk_urgent_issue_reports_issue_id_project_issues",
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"], ["users.id"], name="fk_urgent_issue_reports_reported_by_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_urgent_issue_reports"),
        sa.UniqueConstraint("issue_id", name="uq_urgent_issue_reports_issue_id"),
    )
    op.create_index("ix_urgent_issue_reports_due_at", "urgent_issue_reports", ["due_at"])
    with op.batch_alter_table("project_issues") as batch:
        batch.add_column(sa.Column("close_requested_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("close_requested_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("close_refusal", sa.Text(), nullable=True))
        batch.create_foreign_key(
            "fk_project_issues_close_requested_by_id_users",
            "users",
            ["close_requested_by_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("project_issues") as batch:
        batch.drop_constraint("fk_project_issues_close_requested_by_id_users", type_="foreignkey")
        batch.drop_column("close_refusal")
        batch.drop_column("close_requested_at")
        batch.drop_column("close_requested_by_id")
    op.drop_index("ix_urgent_issue_reports_due_at", table_name="urgent_issue_reports")
    op.drop_table("urgent_issue_reports")
    op.drop_index("ix_attachments_owner", table_name="attachments")
    op.drop_table("attachments")
