"""Site work: spot-check plans and checks (LP10), site visits and short weeks (GS3, DC2),
industry chains with their lists (DC5); projects' free-text chains become chains.

Revision ID: 0028_sitework
Revises: 0024_awards
Create Date: 2026-12-03 09:30:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0028_sitework"
down_revision = "0027_tours"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _spot_checks()
    _visits()
    _chains()
    _chains_from_text()


def _spot_checks() -> None:
    op.create_table(
        "spot_check_plans",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("cycle", sa.String(16), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("drawn_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("cycle", name="uq_spot_check_plans_cycle"),
    )
    op.create_table(
        "spot_check_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "plan_id",
            sa.Integer(),
            sa.ForeignKey("spot_check_plans.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("removed_at", sa.DateTime(timezone=True)),
        sa.Column("removed_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("removal_reason", sa.Text()),
        sa.UniqueConstraint("plan_id", "project_id", name="uq_spot_check_entries"),
    )
    op.create_index("ix_spot_check_entries_project_id", "spot_check_entries", ["project_id"])
    op.create_table(
        "spot_checks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("spot_check_plans.id")),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("checkers", sa.String(200), nullable=False),
        sa.Column("findings", sa.Text()),
        sa.Column("warning_id", sa.Integer(), sa.ForeignKey("warnings.id")),
        sa.Column("issue_id", sa.Integer(), sa.ForeignKey("project_issues.id")),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_spot_checks_plan_id", "spot_checks", ["plan_id"])
    op.create_index("ix_spot_checks_project_id", "spot_checks", ["project_id"])


def _visits() -> None:
    op.create_table(
        "site_visits",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("person", sa.String(50), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("notes", sa.Text()),
        sa.Column("recorded_by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_site_visits_project_id", "site_visits", ["project_id"])
    op.create_index("ix_site_visits_visited_on", "site_visits", ["visited_on"])
    op.create_table(
        "visit_shortfalls",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("week", sa.String(10), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("person", sa.String(50)),
        sa.Column("required", sa.Integer(), nullable=False),
        sa.Column("made", sa.Integer(), nullable=False),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("project_id", "week", "role", name="uq_visit_shortfalls_week"),
    )
    op.create_index("ix_visit_shortfalls_project_id", "visit_shortfalls", ["project_id"])
    op.create_index("ix_visit_shortfalls_week", "visit_shortfalls", ["week"])


def _chains() -> None:
    op.create_table(
        "industry_chains",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("chief_id", sa.Integer(), sa.ForeignKey("leaders.id")),
        sa.Column("plan", sa.Text()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("name", name="uq_industry_chains_name"),
    )
    op.create_index("ix_industry_chains_chief_id", "industry_chains", ["chief_id"])
    op.create_table(
        "chain_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "chain_id",
            sa.Integer(),
            sa.ForeignKey("industry_chains.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column("owner_unit_id", sa.Integer(), sa.ForeignKey("units.id")),
        sa.Column("due_on", sa.Date()),
    )
    op.create_index("ix_chain_items_chain_id", "chain_items", ["chain_id"])
    with op.batch_alter_table("projects") as batch:
        batch.add_column(sa.Column("chain_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_projects_chain_id_industry_chains", "industry_chains", ["chain_id"], ["id"]
        )
        batch.create_index("ix_projects_chain_id", ["chain_id"])


def _chains_from_text() -> None:
    """Each distinct free-text chain of the projects becomes a chain (its chief to be named)."""
    bind = op.get_bind()
    names = bind.execute(
        sa.text(
            "SELECT DISTINCT TRIM(industry_chain) FROM projects "
            "WHERE industry_chain IS NOT NULL AND TRIM(industry_chain) <> ''"
        )
    ).scalars()
    now = datetime.now(UTC)
    for name in sorted(names):
        bind.execute(
            sa.text("INSERT INTO industry_chains (name, updated_at) VALUES (:n, :t)"),
            {"n": name, "t": now},
        )
    bind.execute(
        sa.text(
            "UPDATE projects SET chain_id = (SELECT c.id FROM industry_chains c "
            "WHERE c.name = TRIM(projects.industry_chain)) WHERE industry_chain IS NOT NULL"
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("projects") as batch:
        batch.drop_index("ix_projects_chain_id")
        batch.drop_constraint("fk_projects_chain_id_industry_chains", type_="foreignkey")
        batch.drop_column("chain_id")
    for table in (
        "chain_items",
        "industry_chains",
        "visit_shortfalls",
        "site_visits",
        "spot_checks",
        "spot_check_entries",
        "spot_check_plans",
    ):
        op.drop_table(table)
