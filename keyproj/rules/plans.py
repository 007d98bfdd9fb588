"""The plan baseline: a project without an approved annual plan after the filing period (LP6)."""

from __future__ import annotations

import calendar as stdcal
from collections.abc import Iterator
from datetime import date

from sqlalchemy import exists, select

from keyproj.codes import Colour, ProjectStage, WarningLevel
from keyproj.db.models import AnnualPlan, Project
from keyproj.rules.base import Candidate, RuleContext, add_months, evidence

PLAN = ("LP6", "HD1", "AL4", "GS7")


def plan_due(ctx: RuleContext, approved_on: date, year: int) -> date:
    """The last day to file the year's plan: ``plans.filing_months_after_approval`` months after
    approval (or after 1 January for a project approved in an earlier year), and never before
    the end of ``plans.filing_by_end_of_month`` where the profile sets one (HD1, AL4)."""
    rules = ctx.profile.plans
    due = add_months(max(approved_on, date(year, 1, 1)), rules.filing_months_after_approval)
    if rules.filing_by_end_of_month:
        month = rules.filing_by_end_of_month
        due = max(due, date(year, month, stdcal.monthrange(year, month)[1]))
    return due


def missing(ctx: RuleContext) -> Iterator[Candidate]:
    """LP6 (HD1, AL4, GS7): no approved annual plan for this year once the filing period after
    the project's approval has passed. On the last day of the period it is not yet late."""
    year = ctx.today.year
    has_plan = exists().where(
        AnnualPlan.project_id == Project.id,
        AnnualPlan.year == year,
        AnnualPlan.current_version_id.is_not(None),
    )
    rows = ctx.session.execute(
        select(Project.id, Project.approved_on)
        .where(
            Project.approved_on.is_not(None),
            Project.approved_on < ctx.today,
            Project.stage != ProjectStage.IN_USE,
            ~has_plan,
        )
        .order_by(Project.id)
    )
    for row in rows:
        due = plan_due(ctx, row.approved_on, year)
        if ctx.today <= due:
            continue
        summary = (
            f"项目于{row.approved_on}批准（计划下达），{year}年度建设计划应于{due}前报送，"
            f"截至{ctx.today}尚无经批准的年度计划（月度进度计划是进度预警的依据）。"
        )
        yield Candidate(
            "plan_missing",
            row.id,
            str(year),
            WarningLevel.URGING,
            Colour.YELLOW,
            evidence(
                summary,
                PLAN,
                ctx.cite("plans.filing_months_after_approval"),
                year=year,
                approved_on=row.approved_on,
                due_on=due,
                days_overdue=(ctx.today - due).days,
            ),
        )
