"""Periodic reports not submitted by their due day (LP8, AL6, HD2, GS1, DC3).

Two rules with their own ids, so the scan's (rule, project, period) dedup keeps both: a
report late by a day raises ``report_overdue`` (in the shipped profiles only a reminder to
the unit); still missing when the profile's grace period is over, ``report_missing``
(a warning that opens a case). Issue 15.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

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


def grace_end(ctx: RuleContext, period: periods.Period) -> date:
    """The last day of a period's grace: ``reporting.grace_working_days`` after its due day."""
    due = periods.due_date(period, ctx.profile.reporting)
    return ctx.calendar.add_working_days(due, ctx.profile.reporting.grace_working_days)


def last_graced_period(ctx: RuleContext) -> periods.Period:
    """The newest period whose grace period is over."""
    period = last_due_period(ctx)
    while grace_end(ctx, period) >= ctx.today:
        period = periods.containing(ctx.profile.reporting.cycle, period.start - timedelta(days=1))
    return period


def overdue(ctx: RuleContext) -> Iterator[Candidate]:
    """LP8, AL6, HD2, GS1: the report of the newest period whose due day has passed is missing,
    still a draft, still waiting for the head's signature, or was submitted after its due day
    (the due day ends at 24:00 Beijing time). Every project listed by the period's end is due
    to report, except one already in use."""
    period = last_due_period(ctx)
    due = periods.due_date(period, ctx.profile.reporting)
    for row in _late(ctx, period, end_of_day(due)):
        yield _candidate(ctx, "report_overdue", period, due, row)


def missing(ctx: RuleContext) -> Iterator[Candidate]:
    """LP8, AL6, HD2, GS1 after the grace: the report of the newest period whose grace period is
    over was not submitted by the grace's end (still missing, or submitted only after it)."""
    period = last_graced_period(ctx)
    due = periods.due_date(period, ctx.profile.reporting)
    last = grace_end(ctx, period)
    for row in _late(ctx, period, end_of_day(last)):
        yield _candidate(ctx, "report_missing", period, due, row, grace_until=last)


def _late(ctx: RuleContext, period: periods.Period, deadline: datetime) -> Any:
    """Projects listed by the period's end (not yet in use) without a report submitted before
    ``deadline``."""
    return ctx.session.execute(
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


def _candidate(
    ctx: RuleContext,
    rule_id: str,
    period: periods.Period,
    due: date,
    row: Any,
    grace_until: date | None = None,
) -> Candidate:
    """A late report's warning: blue when it came in late, yellow while missing, red past the grace."""
    label = f"{period.label}{periods.CYCLE_LABELS[period.cycle]}"
    if row.status == ReportStatus.SUBMITTED:
        on = row.submitted_at.astimezone(BEIJING).date()
        late = (on - due).days
        state, colour = f"于{on}报送，逾期{late}天", Colour.BLUE
    else:
        state = WAITING.get(row.status, "未报送")
        late, colour = (ctx.today - due).days, Colour.YELLOW
        if grace_until is not None:
            state, colour = f"{state}，宽限期已于{grace_until}届满", Colour.RED
    summary = f"{label}应于{due}前报送，{state}（截至{ctx.today}）。"
    extra = {} if grace_until is None else {"grace_until": grace_until}
    return Candidate(
        rule_id,
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
            **extra,
        ),
    )
