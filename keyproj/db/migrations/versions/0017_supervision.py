"""supervision ledger (督查台账, LP13, LP20) and accountability records

Revision ID: 0017_supervision
Revises: 0016_unit_parts
Create Date: 2026-12-02 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_supervision"
down_revision = "0016_unit_parts"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}")


def upgrade() -> None:
    t = "supervision_matters"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("origin_case_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("lead_unit_id", sa.Integer(), nullable=True),
        sa.Column("phase_unit_ids", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("filing_number", sa.String(length=64), nullable=True),
        sa.Column("requirements", sa.Text(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("listed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("overdue_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("concluded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _fk(t, "case_id", "cases"),
        _fk(t, "origin_case_id", "cases"),
        _fk(t, "project_id", "projects"),
        _fk(t, "lead_unit_id", "units"),
        _fk(t, "created_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{t}"),
    )
    for column in ("case_id", "origin_case_id", "project_id", "state"):
        op.create_index(f"ix_{t}_{column}", t, [column])
    a = "accountability_records"
    op.create_table(
        a,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("person", sa.String(length=64), nullable=False),
        sa.Column("failure", sa.String(length=32), nullable=False),
        sa.Column("measure", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        _fk(a, "matter_id", "supervision_matters"),
        _fk(a, "case_id", "cases"),
        _fk(a, "unit_id", "units"),
        _fk(a, "recorded_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{a}"),
    )
    op.create_index(f"ix_{a}_matter_id", a, ["matter_id"])
    op.create_index(f"ix_{a}_unit_id", a, ["unit_id"])


def downgrade() -> None:
    op.drop_table("accountability_records")
    op.drop_table("supervision_matters")
