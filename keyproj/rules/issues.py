"""The issue ledger: issues unresolved too long (LP11-3) and urgent issues left waiting (LP9)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from keyproj.codes import ISSUE_CATEGORIES, Colour, IssueStatus, WarningLevel
from keyproj.db.models import ProjectIssue, Unit
from keyproj.errors import CalendarYearMissing
from keyproj.rules.base import Candidate, RuleContext, add_months, evidence

UNRESOLVED = ("LP11-3", "LP7", "AL10", "DC2", "GS6")
URGENT = ("LP9", "LP13")


def issue_period(issue_id: int) -> str:
    """One warning per issue and rule: the issue is the "period" of its warning."""
    return f"issue-{issue_id}"


def _open_issues(ctx: RuleContext, found_before: Any, *where: Any) -> Any:
    return ctx.session.execute(
        select(
            ProjectIssue.id,
            ProjectIssue.project_id,
            ProjectIssue.category,
            ProjectIssue.title,
            ProjectIssue.opened_on,
            Unit.name.label("owner"),
        )
        .join(Unit, Unit.id == ProjectIssue.owner_unit_id)
        .where(
            # A unit's request to close is no closing until the key office confirms it.
            ProjectIssue.status != IssueStatus.RESOLVED,
            ProjectIssue.opened_on < found_before,
            *where,
        )
        .order_by(ProjectIssue.id)
    )


def _facts(row: Any) -> dict[str, Any]:
    return {
        "issue_id": row.id,
        "issue_title": row.title,
        "issue_category": ISSUE_CATEGORIES.get(row.category, row.category),
        "owner_unit": row.owner,
        "opened_on": row.opened_on,
    }


def unresolved(ctx: RuleContext) -> Iterator[Candidate]:
    """LP11-3 (AL10, DC2, GS6): an open issue unresolved for more than
    ``warnings.unresolved_issue_months`` months. Exactly that many months after the day it
    was found it is not yet late; from the next day it is (a month from 31 January ends on
    the last day of February)."""
    months = ctx.profile.warnings.unresolved_issue_months
    # n months are at least 28·n days: the query narrows, the month arithmetic decides.
    for row in _open_issues(ctx, ctx.today - timedelta(days=28 * months)):
        due = add_months(row.opened_on, months)
        if ctx.today <= due:
            continue
        overdue = (ctx.today - due).days
        summary = (
            f"问题“{row.title}”（{ISSUE_CATEGORIES.get(row.category, row.category)}）"
            f"于{row.opened_on}发现，超过{months}个月（{due}）仍未协调解决，已超期{overdue}天；"
            f"负责协调单位：{row.owner}。"
        )
        yield Candidate(
            "issue_unresolved",
            row.project_id,
            issue_period(row.id),
            WarningLevel.ISSUE,
            Colour.YELLOW,
            evidence(
                summary,
                UNRESOLVED,
                ctx.cite("warnings.unresolved_issue_months"),
                **_facts(row),
                months=months,
                due_on=due,
                days_overdue=overdue,
            ),
        )


def urgent(ctx: RuleContext) -> Iterator[Candidate]:
    """LP9 (LP13 重点事项催办): an issue marked as needing urgent coordination still open after
    ``deadlines.urgent_issue_report_working_days`` working days. The day it was found does
    not count, holidays don't, make-up working days do (X5); on the last working day it is
    not yet late. A year without holiday data is reported, never guessed."""
    days = ctx.profile.deadlines.urgent_issue_report_working_days
    missing: CalendarYearMissing | None = None
    # n working days are at least n calendar days.
    for row in _open_issues(ctx, ctx.today - timedelta(days=days), ProjectIssue.urgent.is_(True)):
        try:
            due = ctx.calendar.add_working_days(row.opened_on, days)
        except CalendarYearMissing as exc:
            missing = missing or exc
            continue
        if ctx.today <= due:
            continue
        summary = (
            f"急需协调的问题“{row.title}”于{row.opened_on}发现，{days}个工作日期限"
            f"（{due}）已过仍未解决，请挂钩县领导和重点办督促协调；负责协调单位：{row.owner}。"
        )
        yield Candidate(
            "urgent_issue",
            row.project_id,
            issue_period(row.id),
            WarningLevel.URGING,
            Colour.RED,
            evidence(
                summary,
                URGENT,
                ctx.cite("deadlines.urgent_issue_report_working_days"),
                **_facts(row),
                working_days=days,
                due_on=due,
            ),
        )
    if missing is not None:
        raise missing
