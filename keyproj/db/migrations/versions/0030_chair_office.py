"""Decided items' follow-up offices mapped to units (DC7 三(三)); meetings held by each
department of a per-unit series (HD4)

Revision ID: 0030_chair_office
Revises: 0029_half_year
Create Date: 2026-12-03 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030_chair_office"
down_revision = "0029_half_year"
branch_labels = None
depends_on = None

HOST_NULL = "host_unit_id IS NULL"


def upgrade() -> None:
    op.create_table(
        "meeting_offices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("office", sa.String(50), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("office", name="uq_meeting_offices_office"),
    )
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("host_unit_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_meetings_host_unit_id_units", "units", ["host_unit_id"], ["id"]
        )
        batch.drop_constraint("uq_meetings_series_day", type_="unique")
    op.create_index("ix_meetings_host_unit_id", "meetings", ["host_unit_id"])
    # The county's meetings stay one a cadence day; a department's one a day for each unit.
    op.create_index(
        "uq_meetings_series_day",
        "meetings",
        ["series", "nominal_on"],
        unique=True,
        sqlite_where=sa.text(HOST_NULL),
        postgresql_where=sa.text(HOST_NULL),
    )
    op.create_index(
        "uq_meetings_series_day_host",
        "meetings",
        ["series", "nominal_on", "host_unit_id"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_meetings_series_day_host", table_name="meetings")
    op.drop_index("uq_meetings_series_day", table_name="meetings")
    op.drop_index("ix_meetings_host_unit_id", table_name="meetings")
    # A department's own meeting (HD4) has no place in the earlier schema: it goes, with its rows.
    hosted = "SELECT id FROM meetings WHERE host_unit_id IS NOT NULL"
    for table in ("agenda_submissions", "meeting_attendance", "meeting_invites"):
        op.execute(sa.text(f"DELETE FROM {table} WHERE meeting_id IN ({hosted})"))
    op.execute(sa.text("DELETE FROM meetings WHERE host_unit_id IS NOT NULL"))
    with op.batch_alter_table("meetings") as batch:
        batch.drop_constraint("fk_meetings_host_unit_id_units", type_="foreignkey")
        batch.drop_column("host_unit_id")
        batch.create_unique_constraint("uq_meetings_series_day", ["series", "nominal_on"])
    op.drop_table("meeting_offices")
