"""Urgent issues (LP9): told at once to the linked leader and the key office, and the key office's
duty to report each to the county government within the profile's working days.

The duty is a task row of its own kind (``UrgentIssueReport``), not a BPMN case: a case is the
life of a warning (its notice, lanes, escalation and sealed audit chain), while this is one step
with one deadline and no branching. Its reminders follow the case tasks' (same timing, same
notification store), and the key office sees the open ones on the urgent-issues page.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from keyproj.calendar import END_OF_DAY
from keyproj.clock import BEIJING, beijing_date
from keyproj.codes import NotificationKind, Role, UnitKind
from keyproj.db.models import Leader, ProjectIssue, UrgentIssueReport
from keyproj.errors import Conflict, NotFound
from keyproj.inputs import DOCUMENT_TEXT
from keyproj.paging import Page, Paging, fetch_page
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, require_role
from keyproj.services.notifications.store import (
    Delivery,
    Message,
    active_users,
    beijing_time,
    notify,
    office_users,
)
from keyproj.services.reference.calendar import cached_calendar
from keyproj.validation import Checks

LABELS = {"report": "报告县政府情况"}


def start_report_duty(
    session: Session, issue: ProjectIssue, profile: PolicyProfile, now: datetime
) -> UrgentIssueReport:
    """LP9: tell the linked leader and the key office now, and give the key office its deadline."""
    days = profile.deadlines.urgent_issue_report_working_days
    duty = UrgentIssueReport(
        issue_id=issue.id,
        created_at=now,
        due_at=cached_calendar(session).deadline(now, days),
    )
    session.add(duty)
    session.flush()
    # By the id, not the relationship: the leader may have been linked in this very session.
    leader = session.scalar(select(Leader.user_id).where(Leader.id == issue.project.leader_id))
    people = active_users(session, [leader])
    key_office = office_users(session, UnitKind.KEY_OFFICE)
    where = f"{issue.project.name}的问题“{issue.title}”"
    told = Message(
        NotificationKind.URGENT_ISSUE,
        f"急需协调的重大问题：{issue.title}",
        f"{where}急需协调（{profile.cite('deadlines.urgent_issue_report_working_days')}）。",
        f"/issues/{issue.id}",
    )
    duty_message = Message(
        NotificationKind.URGENT_ISSUE,
        f"急需协调的重大问题：{issue.title}",
        f"{where}急需协调，请于{beijing_time(duty.due_at)}前报告县政府。",
        "/urgent-issues",
    )
    key = f"urgent:{duty.id}:raised"
    deliveries = [(u, key, told) for u in people if u not in key_office]
    deliveries += [(u, key, duty_message) for u in key_office]
    notify(session, deliveries, now)
    return duty


def report_to_county(
    session: Session, viewer: Viewer, duty_id: int, report: str, now: datetime
) -> UrgentIssueReport:
    """The key office records its report to the county government; the county office is told."""
    require_may_report(viewer)
    duty = session.get(UrgentIssueReport, duty_id, with_for_update=True)
    if duty is None:
        raise NotFound(f"急需协调事项 {duty_id} 不存在")
    if duty.reported_at is not None:
        raise Conflict(f"该问题已于{beijing_time(duty.reported_at)}报告县政府")
    checks = Checks(LABELS)
    text = checks.text("report", report, DOCUMENT_TEXT, required=True)
    checks.done()
    duty.reported_at, duty.reported_by_id, duty.report = now, viewer.user_id, text
    issue = duty.issue
    message = Message(
        NotificationKind.URGENT_ISSUE,
        f"重点办报告急需协调问题：{issue.title}",
        f"{issue.project.name}的问题“{issue.title}”：{text}",
        f"/issues/{issue.id}",
    )
    county = office_users(session, UnitKind.COUNTY_GOV_OFFICE)
    notify(session, ((u, f"urgent:{duty.id}:reported", message) for u in county), now)
    session.flush()
    return duty


def require_may_report(viewer: Viewer) -> None:
    """PermissionDenied unless the viewer is of the key office, whose duty LP9 makes it."""
    require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)


def report_duties(session: Session, viewer: Viewer, paging: Paging) -> Page[UrgentIssueReport]:
    """A page of the LP9 duties: the open ones by deadline, then the reported ones."""
    require_role(viewer, Role.KEY_OFFICE, Role.ADMIN, Role.COUNTY_GOV, Role.SUPERVISION)
    query = (
        select(UrgentIssueReport)
        .options(joinedload(UrgentIssueReport.issue).joinedload(ProjectIssue.project))
        .order_by(
            UrgentIssueReport.reported_at.is_not(None),
            UrgentIssueReport.due_at,
            UrgentIssueReport.id,
        )
    )
    return fetch_page(session, query, paging)


def open_duties(session: Session, viewer: Viewer) -> list[UrgentIssueReport]:
    """The LP9 reports the key office still owes, by deadline: its part of the inbox (others: none)."""
    if not viewer.has(Role.KEY_OFFICE):
        return []
    query = (
        select(UrgentIssueReport)
        .where(UrgentIssueReport.reported_at.is_(None))
        .options(joinedload(UrgentIssueReport.issue).joinedload(ProjectIssue.project))
        .order_by(UrgentIssueReport.due_at, UrgentIssueReport.id)
    )
    return list(session.scalars(query))


def duty_of(session: Session, issue_id: int) -> UrgentIssueReport | None:
    """The LP9 duty of an issue, if it is urgent (the caller has shown the issue is visible)."""
    return session.scalar(select(UrgentIssueReport).where(UrgentIssueReport.issue_id == issue_id))


def send_urgent_report_reminders(session: Session, profile: PolicyProfile, now: datetime) -> int:
    """Remind the key office of LP9 reports due soon, and alert on overdue ones, as for tasks."""
    last_day = cached_calendar(session).add_working_days(
        beijing_date(now), profile.reporting.reminder_working_days_before
    )
    horizon = datetime.combine(last_day, END_OF_DAY, tzinfo=BEIJING)
    duties = list(
        session.scalars(
            select(UrgentIssueReport)
            .where(UrgentIssueReport.reported_at.is_(None), UrgentIssueReport.due_at <= horizon)
            .options(joinedload(UrgentIssueReport.issue).joinedload(ProjectIssue.project))
            .order_by(UrgentIssueReport.due_at, UrgentIssueReport.id)
        )
    )
    return notify(session, _reminders(session, duties, now), now)


def _reminders(
    session: Session, duties: list[UrgentIssueReport], now: datetime
) -> Iterator[Delivery]:
    if not duties:
        return
    key_office = office_users(session, UnitKind.KEY_OFFICE)
    for duty in duties:
        issue, due = duty.issue, beijing_time(duty.due_at)
        what = f"{issue.project.name}的急需协调问题“{issue.title}”"
        if duty.due_at < now:
            kind = NotificationKind.URGENT_REPORT_OVERDUE
            title, body = f"逾期未报县政府：{issue.title}", f"{what}应于{due}前报告县政府，已逾期。"
        else:
            kind = NotificationKind.TASK_DUE_SOON
            title, body = f"即将到期：报告县政府“{issue.title}”", f"{what}须于{due}前报告县政府。"
        message = Message(kind, title, body, "/urgent-issues")
        for user_id in key_office:
            yield user_id, f"urgent:{duty.id}:{kind}", message
