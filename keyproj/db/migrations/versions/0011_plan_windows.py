"""plan versions: kind, responsible leader and person, unit head sign-off, adjustment request and decision

Revision ID: 0011_plan_windows
Revises: 0010_hand
Create Date: 2026-12-02 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_plan_windows"
down_revision = "0010_hand"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every version filed before the upgrade was a year's plan or a revision of it: "initial"
    # for all of them loses nothing, as the windows of AL4 and AL5 apply to new versions only.
    with op.batch_alter_table("plan_versions") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=16), nullable=False, server_default="initial")
        )
        batch.add_column(sa.Column("responsible_leader", sa.String(length=50), nullable=True))
        batch.add_column(sa.Column("responsible_person", sa.String(length=50), nullable=True))
        batch.add_column(sa.Column("signed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("request", sa.Text(), nullable=True))
        batch.add_column(sa.Column("government_decision", sa.Text(), nullable=True))
        batch.create_foreign_key(
            "fk_plan_versions_signed_by_id_users", "users", ["signed_by_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("plan_versions") as batch:
        batch.drop_constraint("fk_plan_versions_signed_by_id_users", type_="foreignkey")
        for column in (
            "government_decision",
            "request",
            "signed_at",
            "signed_by_id",
            "responsible_person",
            "responsible_leader",
            "kind",
        ):
            batch.drop_column(column)
