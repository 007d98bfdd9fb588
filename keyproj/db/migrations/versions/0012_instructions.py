"""county leaders' instructions (批示) on cases, and the followers of a case

Revision ID: 0012_instructions
Revises: 0011_plan_windows
Create Date: 2026-12-02 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_instructions"
down_revision = "0011_plan_windows"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_followers",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("followed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_followers_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_case_followers_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", "user_id", name="pk_case_followers"),
    )
    op.create_index("ix_case_followers_user_id", "case_followers", ["user_id"])
    op.create_table(
        "case_instructions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_unit_id", sa.Integer(), nullable=True),
        sa.Column("answer_task_title", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_case_instructions_case_id_cases"
        ),
        sa.ForeignKeyConstraint(
            ["leader_id"], ["leaders.id"], name="fk_case_instructions_leader_id_leaders"
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name="fk_case_instructions_author_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_id"], ["users.id"], name="fk_case_instructions_answered_by_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["answered_unit_id"], ["units.id"], name="fk_case_instructions_answered_unit_id_units"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_case_instructions"),
    )
    op.create_index(
        "ix_case_instructions_case_answered", "case_instructions", ["case_id", "answered_at"]
    )
    op.create_index("ix_case_instructions_leader_id", "case_instructions", ["leader_id"])


def downgrade() -> None:
    op.drop_index("ix_case_instructions_leader_id", table_name="case_instructions")
    op.drop_index("ix_case_instructions_case_answered", table_name="case_instructions")
    op.drop_table("case_instructions")
    op.drop_index("ix_case_followers_user_id", table_name="case_followers")
    op.drop_table("case_followers")
