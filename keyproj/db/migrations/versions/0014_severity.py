"""warnings: one per (rule, project, period) among open, reminded and board-only warnings

Revision ID: 0014_severity
Revises: 0013_triage
Create Date: 2026-12-02 10:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_severity"
down_revision = "0013_triage"
branch_labels = None
depends_on = None

INDEX = "uq_warnings_open_per_period"
COLUMNS: list[str | sa.TextClause] = ["rule_id", sa.text("coalesce(project_id, 0)"), "period"]
# Issue 15: a reminded or board-only warning keeps its status for good, so two scans at once
# must not both insert it either; only a warning whose case ended leaves the index.
LIVE = "status IN ('open', 'reminded', 'board')"
OPEN = "status = 'open'"


def _index(where: str) -> None:
    op.create_index(
        INDEX,
        "warnings",
        COLUMNS,
        unique=True,
        sqlite_where=sa.text(where),
        postgresql_where=sa.text(where),
    )


def upgrade() -> None:
    op.drop_index(INDEX, table_name="warnings")
    _index(LIVE)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="warnings")
    _index(OPEN)
