"""Read models of the issue ledger pages (LP7): the scoped ledger, one issue, the units to pick from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from keyproj.codes import IssueCategory, IssueStatus
from keyproj.db.models import Project, ProjectIssue, Unit, User
from keyproj.errors import NotFound
from keyproj.paging import Page, Paging, fetch_page
from keyproj.services.access import Viewer, project_scope


@dataclass(frozen=True)
class IssueFilters:
    """Ledger filters: project, status and category codes (unknown codes are dropped by the page)."""

    project_id: int | None = None
    status: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class IssuePage:
    """One issue with the names of who opened and who resolved it."""

    issue: ProjectIssue
    opened_by: str | None
    resolved_by: str | None


def issue_ledger(
    session: Session, viewer: Viewer, filters: IssueFilters, paging: Paging
) -> Page[ProjectIssue]:
    """A page of the issues of the projects the viewer may see: open ones first, oldest first within each."""
    query = (
        select(ProjectIssue)
        .join(Project, Project.id == ProjectIssue.project_id)
        .where(project_scope(viewer))
        .options(joinedload(ProjectIssue.project), joinedload(ProjectIssue.owner_unit))
    )
    if filters.project_id is not None:
        query = query.where(ProjectIssue.project_id == filters.project_id)
    status, category = IssueStatus.parse(filters.status), IssueCategory.parse(filters.category)
    if status is not None:
        query = query.where(ProjectIssue.status == status)
    if category is not None:
        query = query.where(ProjectIssue.category == category)
    # IssueStatus.OPEN sorts before RESOLVED: what still needs work comes first.
    query = query.order_by(ProjectIssue.status, ProjectIssue.opened_on, ProjectIssue.id)
    return fetch_page(session, query, paging)


def visible_issue(session: Session, viewer: Viewer, issue_id: int) -> ProjectIssue:
    """The issue if its project is in the viewer's scope; NotFound otherwise (no existence leak)."""
    issue = session.scalar(
        select(ProjectIssue)
        .join(Project, Project.id == ProjectIssue.project_id)
        .where(ProjectIssue.id == issue_id, project_scope(viewer))
    )
    if issue is None:
        raise NotFound(f"问题 {issue_id} 不存在或无权查看")
    return issue


def issue_page(session: Session, viewer: Viewer, issue_id: int) -> IssuePage:
    """One issue with the people behind it."""
    issue = visible_issue(session, viewer, issue_id)
    ids = {i for i in (issue.opened_by_id, issue.resolved_by_id) if i}
    names = (
        {
            r.id: r.display_name
            for r in session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
        }
        if ids
        else {}
    )
    return IssuePage(
        issue,
        names.get(issue.opened_by_id or 0),
        names.get(issue.resolved_by_id or 0),
    )


def owner_units(session: Session) -> list[Unit]:
    """Units that may be named to coordinate an issue, in code order."""
    return list(session.scalars(select(Unit).order_by(Unit.code)))


def days_open(issue: ProjectIssue, today: date) -> int:
    """Days since the issue was found, to its resolution or to today (LP11-3 looks at one month)."""
    end = issue.resolved_on or today
    return (end - issue.opened_on).days
