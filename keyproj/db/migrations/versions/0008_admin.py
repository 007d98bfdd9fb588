"""the administration change log and the county's own identity

Revision ID: 0008_admin
Revises: 0007_auth_session_nonce
Create Date: 2026-12-02 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_admin"
down_revision = "0007_auth_session_nonce"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "admin_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("details", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_admin_changes_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admin_changes")),
    )
    op.create_index(op.f("ix_admin_changes_occurred_at"), "admin_changes", ["occurred_at"])
    # No row: an existing installation keeps the profile's name and prefixes until edited.
    op.create_table(
        "county_identity",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("county_name", sa.String(length=50), nullable=False),
        sa.Column("notice_issuer", sa.String(length=100), nullable=False),
        sa.Column("warning_notice_prefix", sa.String(length=30), nullable=False),
        sa.Column("supervision_issuer", sa.String(length=100), nullable=False),
        sa.Column("supervision_notice_prefix", sa.String(length=30), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_county_identity_single_row")),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_county_identity_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_county_identity")),
    )


def downgrade() -> None:
    op.drop_table("county_identity")
    op.drop_index("ix_admin_changes_occurred_at", table_name="admin_changes")
    op.drop_table("admin_changes")
