"""Periodic reports not submitted by their due day (LP8, AL6, HD2, GS1, DC3)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import and_, or_, select

from keyproj import periods
from keyproj.clock import BEIJING
from keyproj.codes import REPORT_WAITING, Colour, ProjectStage, ReportStatus, WarningLevel
from keyproj.db.models import Project, Report
from keyproj.rules.base import Candidate, RuleContext, end_of_day, evidence, listed_by

REPORTING = ("LP8", "AL6", "HD2", "GS1", "DC3")
WAITING = {status: f"{why}，未报送" for status, why in REPORT_WAITING.items()}


def last_due_period(ctx: RuleContext) -> periods.Period:
    """The newest period of the profile's cycle whose due day is over (LP8, AL6, HD2, GS1)."""
    rules = ctx.profile.reporting
    period = periods.containing(rules.cycle, ctx.today)
    # A due day can fall in the next month (HD2): a few periods back always reach one.
    while periods.due_date(period, rules) >= ctx.today:
        period = periods.containing(rules.cycle, period.start - timedelta(days=1))
    return period


def overdue(ctx: RuleContext) -> Iterator[Candidate]:
    """LP8, AL6, HD2, GS1: the report of the newest period whose due day has passed is missing,
    still a draft, still waiting for the head's signature, or was submitted after its due day
    (the due day ends at 24:00 Beijing time). Every project listed by the period's end is due
    to report, except one already in use."""
    period = last_due_period(ctx)
    due = periods.due_date(period, ctx.profile.reporting)
    deadline = end_of_day(due)
    rows = ctx.session.execute(
        select(Project.id, Report.status, Report.submitted_at)
        .outerjoin(Report, and_(Report.project_id == Project.id, Report.period == period.key))
        .where(
            Project.stage != ProjectStage.IN_USE,
            listed_by(period.end),
            or_(
                Report.id.is_(None),
                Report.status != ReportStatus.SUBMITTED,
                Report.submitted_at >= deadline,
            ),
        )
        .order_by(Project.id)
    )
    label = f"{period.label}{periods.CYCLE_LABELS[period.cycle]}"
    for row in rows:
        if row.status == ReportStatus.SUBMITTED:
            on = row.submitted_at.astimezone(BEIJING).date()
            late = (on - due).days
            state, colour = f"于{on}报送，逾期{late}天", Colour.BLUE
        else:
            state = WAITING.get(row.status, "未报送")
            late, colour = (ctx.today - due).days, Colour.YELLOW
        summary = f"{label}应于{due}前报送，{state}（截至{ctx.today}）。"
        yield Candidate(
            "report_overdue",
            row.id,
            period.key,
            WarningLevel.URGING,
            colour,
            evidence(
                summary,
                REPORTING,
                ctx.cite("reporting.due_days") or ctx.cite("reporting.due_weekday"),
                period=period.key,
                due_on=due,
                report_status=row.status or "missing",
                submitted_at=row.submitted_at,
                days_late=late,
            ),
        )
