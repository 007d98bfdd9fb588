"""The major-issue ledger (LP7): open an issue in one of the seven categories, close it (销号)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from keyproj.clock import now_utc
from keyproj.codes import ISSUE_CATEGORIES, UNIT_STAFF_ROLES, IssueStatus, Role
from keyproj.db.base import length_of
from keyproj.db.models import Project, ProjectIssue, Unit
from keyproj.errors import Conflict, PermissionDenied, ValidationError
from keyproj.inputs import ADMIN_YEARS, DOCUMENT_TEXT
from keyproj.paging import Page, Paging, fetch_page
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, project_scope, require_project_writer
from keyproj.services.org.directory import unit_by_code
from keyproj.services.projects import closing, urgent
from keyproj.validation import Checks

LABELS = {
    "category": "问题类别",
    "title": "问题摘要",
    "owner_unit_code": "负责协调单位",
    "opened_on": "发现日期",
    "resolved_on": "解决日期",
    "resolution": "解决情况",
    "description": "问题描述",
    "urgent": "急需协调",
    "close_refusal": "退回理由",
}
LIMITS = {
    "title": length_of(ProjectIssue.title),
    "owner_unit_code": length_of(Unit.code),
    "description": DOCUMENT_TEXT,
    "resolution": DOCUMENT_TEXT,
    "close_refusal": DOCUMENT_TEXT,
}


@dataclass
class IssueData:
    """A new ledger entry."""

    category: str
    title: str
    owner_unit_code: str
    opened_on: date
    description: str | None = None
    urgent: bool = False


def open_issue(
    session: Session,
    viewer: Viewer | None,
    project: Project,
    data: IssueData,
    today: date,
    profile: PolicyProfile | None = None,
) -> ProjectIssue:
    """Record an issue in the project's ledger; an urgent one under a ``profile`` starts LP9's
    duty: the linked leader and the key office are told at once, the key office given its deadline."""
    if viewer is not None:
        require_project_writer(viewer, project)
    checks = Checks(LABELS)
    checks.choice("category", data.category, ISSUE_CATEGORIES)
    title = checks.text("title", data.title, LIMITS["title"], required=True)
    owner_code = checks.text(
        "owner_unit_code", data.owner_unit_code, LIMITS["owner_unit_code"], required=True
    )
    description = checks.text("description", data.description, LIMITS["description"])
    if checks.required("opened_on", data.opened_on):
        checks.day("opened_on", data.opened_on, ADMIN_YEARS)
        if checks.ok("opened_on") and data.opened_on > today:
            checks.fail("opened_on", "发现日期不能晚于今天")
    _flag(checks, "urgent", data.urgent)
    checks.done()
    owner = unit_by_code(session, owner_code or "", "owner_unit_code")
    issue = ProjectIssue(
        project_id=project.id,
        category=data.category,
        title=title,
        description=description,
        owner_unit_id=owner.id,
        urgent=data.urgent,
        opened_on=data.opened_on,
        opened_by_id=viewer.user_id if viewer else None,
    )
    session.add(issue)
    session.flush()
    if issue.urgent and profile is not None:
        urgent.start_report_duty(session, issue, profile, now_utc())
    return issue


def resolve_issue(
    session: Session,
    viewer: Viewer | None,
    issue: ProjectIssue,
    resolution: str,
    resolved_on: date,
    today: date,
) -> ProjectIssue:
    """Close (销号) an issue with how and when it was solved.

    The key office closes at once; a unit's closing is a request the key office confirms or
    refuses (``confirm_close``, ``refuse_close``): a unit does not close its own issue alone.
    """
    if viewer is not None and not _may_resolve(viewer, issue):
        raise PermissionDenied("只有项目牵头单位、负责协调单位或重点办可以销号")
    _require_not_closed(issue)
    checks = Checks(LABELS)
    text = checks.text("resolution", resolution, LIMITS["resolution"], required=True)
    if checks.required("resolved_on", resolved_on):
        checks.day("resolved_on", resolved_on, ADMIN_YEARS)
    if checks.ok("resolved_on") and resolved_on < issue.opened_on:
        checks.fail("resolved_on", f"解决日期不能早于发现日期 {issue.opened_on}")
    if checks.ok("resolved_on") and resolved_on > today:
        checks.fail("resolved_on", "解决日期不能晚于今天")
    checks.done()
    issue.resolution, issue.resolved_on = text, resolved_on
    if viewer is None or viewer.has(Role.KEY_OFFICE, Role.ADMIN):
        _close(issue, viewer)
    else:
        issue.status = IssueStatus.CLOSE_REQUESTED
        issue.close_requested_by_id, issue.close_requested_at = viewer.user_id, now_utc()
        issue.close_refusal = None
        closing.tell_key_office(session, issue)
    session.flush()
    return issue


def confirm_close(session: Session, viewer: Viewer, issue: ProjectIssue) -> ProjectIssue:
    """The key office confirms a unit's request to close the issue: it is resolved."""
    _require_key_office(viewer)
    _require_requested(issue)
    _close(issue, viewer)
    closing.tell_requester(session, issue, confirmed=True)
    session.flush()
    return issue


def refuse_close(
    session: Session, viewer: Viewer, issue: ProjectIssue, reason: str
) -> ProjectIssue:
    """The key office refuses a unit's request to close, with its reason: the issue stays open."""
    _require_key_office(viewer)
    _require_requested(issue)
    checks = Checks(LABELS)
    text = checks.text("close_refusal", reason, LIMITS["close_refusal"], required=True)
    checks.done()
    issue.status, issue.close_refusal = IssueStatus.OPEN, text
    issue.resolved_on = None
    closing.tell_requester(session, issue, confirmed=False)
    session.flush()
    return issue


def _close(issue: ProjectIssue, viewer: Viewer | None) -> None:
    issue.status = IssueStatus.RESOLVED
    issue.resolved_by_id = viewer.user_id if viewer else None
    issue.resolved_at = now_utc()


def _require_not_closed(issue: ProjectIssue) -> None:
    if issue.status == IssueStatus.RESOLVED:
        raise Conflict(f"该问题已于{issue.resolved_on}销号")
    if issue.status == IssueStatus.CLOSE_REQUESTED:
        raise Conflict("该问题已申请销号，待重点办确认")


def _require_requested(issue: ProjectIssue) -> None:
    if issue.status != IssueStatus.CLOSE_REQUESTED:
        raise Conflict(f"该问题当前为“{issue.status.label}”，没有待确认的销号申请")


def _require_key_office(viewer: Viewer) -> None:
    if not viewer.has(Role.KEY_OFFICE, Role.ADMIN):
        raise PermissionDenied("只有重点办可以确认或退回销号申请")


def list_issues(
    session: Session,
    viewer: Viewer,
    project_id: int | None = None,
    status: str | None = None,
    category: str | None = None,
) -> list[ProjectIssue]:
    """Issues of the projects the viewer may see, oldest open first."""
    return list(session.scalars(issues_query(viewer, project_id, status, category)))


def issue_list(
    session: Session,
    viewer: Viewer,
    paging: Paging,
    project_id: int | None = None,
    status: str | None = None,
    category: str | None = None,
) -> Page[ProjectIssue]:
    """One page of the issues ``list_issues`` lists, and their total."""
    query = issues_query(viewer, project_id, status, category)
    return fetch_page(session, query.options(joinedload(ProjectIssue.owner_unit)), paging)


def issues_query(
    viewer: Viewer, project_id: int | None, status: str | None, category: str | None
) -> Select[ProjectIssue]:
    """The issues the viewer may see under the filters, oldest first; an unknown code is refused."""
    query = select(ProjectIssue).join(Project).where(project_scope(viewer))
    if project_id is not None:
        query = query.where(ProjectIssue.project_id == project_id)
    if status:
        if IssueStatus.parse(status) is None:
            raise ValidationError.single("status", "状态", f"未知状态“{status}”")
        query = query.where(ProjectIssue.status == status)
    if category:
        if category not in ISSUE_CATEGORIES:
            raise ValidationError.single("category", LABELS["category"], f"未知类别“{category}”")
        query = query.where(ProjectIssue.category == category)
    return query.order_by(ProjectIssue.opened_on, ProjectIssue.id)


def _flag(checks: Checks, field: str, value: Any) -> None:
    # bool is checked by type: a JSON "false" string would otherwise be a truthy flag.
    if not isinstance(value, bool):
        checks.fail(field, "应为 true 或 false")


def _may_resolve(viewer: Viewer, issue: ProjectIssue) -> bool:
    if viewer.has(Role.KEY_OFFICE, Role.ADMIN):
        return True
    unit_roles = viewer.has(*UNIT_STAFF_ROLES)
    return unit_roles and viewer.unit_id in (issue.owner_unit_id, issue.project.lead_unit_id)
