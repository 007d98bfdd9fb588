"""The major-issue ledger (LP7): open an issue in one of the seven categories, resolve it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.clock import now_utc
from keyproj.codes import ISSUE_CATEGORIES, UNIT_STAFF_ROLES, IssueStatus, Role
from keyproj.db.base import length_of
from keyproj.db.models import Project, ProjectIssue, Unit
from keyproj.errors import Conflict, PermissionDenied, ValidationError
from keyproj.inputs import ADMIN_YEARS, DOCUMENT_TEXT
from keyproj.services.access import Viewer, project_scope, require_project_writer
from keyproj.services.org.directory import unit_by_code
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
}
LIMITS = {
    "title": length_of(ProjectIssue.title),
    "owner_unit_code": length_of(Unit.code),
    "description": DOCUMENT_TEXT,
    "resolution": DOCUMENT_TEXT,
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
    session: Session, viewer: Viewer | None, project: Project, data: IssueData, today: date
) -> ProjectIssue:
    """Record an issue in the project's ledger."""
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
    return issue


def resolve_issue(
    session: Session,
    viewer: Viewer | None,
    issue: ProjectIssue,
    resolution: str,
    resolved_on: date,
    today: date,
) -> ProjectIssue:
    """Close an issue with how and when it was solved."""
    if viewer is not None and not _may_resolve(viewer, issue):
        raise PermissionDenied("只有项目牵头单位、负责协调单位或重点办可以销号")
    if issue.status == IssueStatus.RESOLVED:
        raise Conflict(f"该问题已于{issue.resolved_on}销号")
    checks = Checks(LABELS)
    text = checks.text("resolution", resolution, LIMITS["resolution"], required=True)
    if checks.required("resolved_on", resolved_on):
        checks.day("resolved_on", resolved_on, ADMIN_YEARS)
    if checks.ok("resolved_on") and resolved_on < issue.opened_on:
        checks.fail("resolved_on", f"解决日期不能早于发现日期 {issue.opened_on}")
    if checks.ok("resolved_on") and resolved_on > today:
        checks.fail("resolved_on", "解决日期不能晚于今天")
    checks.done()
    issue.status, issue.resolution, issue.resolved_on = (
        IssueStatus.RESOLVED,
        text,
        resolved_on,
    )
    issue.resolved_by_id = viewer.user_id if viewer else None
    issue.resolved_at = now_utc()
    session.flush()
    return issue


def list_issues(
    session: Session,
    viewer: Viewer,
    project_id: int | None = None,
    status: str | None = None,
    category: str | None = None,
) -> list[ProjectIssue]:
    """Issues of the projects the viewer may see, oldest open first."""
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
    return list(session.scalars(query.order_by(ProjectIssue.opened_on, ProjectIssue.id)))


def _flag(checks: Checks, field: str, value: Any) -> None:
    # bool is checked by type: a JSON "false" string would otherwise be a truthy flag.
    if not isinstance(value, bool):
        checks.fail(field, "应为 true 或 false")


def _may_resolve(viewer: Viewer, issue: ProjectIssue) -> bool:
    if viewer.has(Role.KEY_OFFICE, Role.ADMIN):
        return True
    unit_roles = viewer.has(*UNIT_STAFF_ROLES)
    return unit_roles and viewer.unit_id in (issue.owner_unit_id, issue.project.lead_unit_id)
