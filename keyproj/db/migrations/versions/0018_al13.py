"""AL13 accountability records kept on a case without a supervision matter

Revision ID: 0018_al13
Revises: 0017_supervision
Create Date: 2026-12-02 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_al13"
down_revision = "0017_supervision"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # AL13: the supervision office holds units accountable on the case itself, before it ends,
    # without filing a matter (LP20's records keep theirs); a unit's record links to the case.
    with op.batch_alter_table("accountability_records") as batch:
        batch.alter_column("matter_id", existing_type=sa.Integer(), nullable=True)
        batch.create_index("ix_accountability_records_case_id", ["case_id"])


def downgrade() -> None:
    with op.batch_alter_table("accountability_records") as batch:
        batch.drop_index("ix_accountability_records_case_id")
    op.execute("DELETE FROM accountability_records WHERE matter_id IS NULL")
    with op.batch_alter_table("accountability_records") as batch:
        batch.alter_column("matter_id", existing_type=sa.Integer(), nullable=False)
