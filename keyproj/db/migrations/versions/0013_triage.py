"""warnings: the case covering each warning, and the key office's dismissal (LP13 triage)

Revision ID: 0013_triage
Revises: 0012_instructions
Create Date: 2026-12-02 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_triage"
down_revision = "0012_instructions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("warnings") as batch:
        batch.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("dismissal_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("dismissed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_foreign_key(
            "fk_warnings_dismissed_by_id_users", "users", ["dismissed_by_id"], ["id"]
        )
        batch.create_index("ix_warnings_case_id", ["case_id"])
    _restore_open_index()
    # Every case so far covers exactly its own warning.
    op.execute(
        "UPDATE warnings SET case_id = "
        "(SELECT cases.id FROM cases WHERE cases.warning_id = warnings.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("warnings") as batch:
        batch.drop_index("ix_warnings_case_id")
        batch.drop_constraint("fk_warnings_dismissed_by_id_users", type_="foreignkey")
        for column in ("dismissed_at", "dismissed_by_id", "dismissal_reason", "case_id"):
            batch.drop_column(column)
    _restore_open_index()


def _restore_open_index() -> None:
    """SQLite's batch rebuilds the table and cannot reflect the expression index: make it again."""
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_index(
        "uq_warnings_open_per_period",
        "warnings",
        ["rule_id", sa.text("coalesce(project_id, 0)"), "period"],
        unique=True,
        sqlite_where=sa.text("status = 'open'"),
    )
