"""registries: liaison history, team members' organisation and position, LP8 report reviews

Revision ID: 0009_registries
Revises: 0008_admin
Create Date: 2026-12-02 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_registries"
down_revision = "0008_admin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A liaison change closes the old row and opens a new one: one name may recur (LP5, AL8).
    with op.batch_alter_table("liaisons") as batch:
        batch.drop_constraint("uq_liaisons_who", type_="unique")
    with op.batch_alter_table("project_team_members") as batch:
        batch.add_column(sa.Column("org_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("position", sa.String(length=100), nullable=True))
    op.create_table(
        "report_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("copied_to_id", sa.Integer(), nullable=True),
        sa.Column("copied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("awaiting_since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("forwarded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("forwarded_to", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_report_reviews_report_id_reports")
        ),
        sa.ForeignKeyConstraint(
            ["copied_to_id"], ["users.id"], name=op.f("fk_report_reviews_copied_to_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"], ["users.id"], name=op.f("fk_report_reviews_reviewed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_reviews")),
        sa.UniqueConstraint("report_id", name=op.f("uq_report_reviews_report_id")),
    )


def downgrade() -> None:
    op.drop_table("report_reviews")
    with op.batch_alter_table("project_team_members") as batch:
        batch.drop_column("position")
        batch.drop_column("org_name")
    with op.batch_alter_table("liaisons") as batch:
        batch.create_unique_constraint("uq_liaisons_who", ["unit_id", "project_id", "name"])
