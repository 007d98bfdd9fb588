"""Read models of the project pages: the filtered list and everything one project's detail shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, joinedload

from keyproj.codes import TEAM_ROLES
from keyproj.db.models import (
    Leader,
    Liaison,
    PlanPeriod,
    PlanVersion,
    Project,
    ProjectIssue,
    Report,
    Unit,
    Warning,
)
from keyproj.services.access import Viewer, project_scope, visible_project
from keyproj.services.plans import current_version
from keyproj.services.projects import list_projects

# Status labels the code lists of keyproj.codes do not carry yet.
REPORT_STATUSES = {"draft": "草稿", "pending_sign_off": "待负责人签字", "submitted": "已报送"}
ISSUE_STATUSES = {"open": "未解决", "resolved": "已解决"}
WARNING_STATUSES = {"open": "处置中", "closed": "已解除"}
SEARCH_MAX_LENGTH = 100


@dataclass(frozen=True)
class ProjectFilters:
    """The list filters: lead unit, level code and a keyword (name part or exact code)."""

    unit_id: int | None = None
    level: str | None = None
    search: str | None = None


@dataclass
class ProjectList:
    """The projects a viewer may see under the filters, and the units offered as a filter."""

    projects: list[Project]
    units: list[Unit]
    filters: ProjectFilters


@dataclass(frozen=True)
class TeamRow:
    """One team member with the names behind its ids."""

    role: str
    name: str
    phone: str | None
    unit_name: str | None
    leader_name: str | None


@dataclass
class ProjectDetail:
    """Everything the detail page of one project shows."""

    project: Project
    team: list[TeamRow]
    unit_liaisons: list[Liaison]
    project_liaisons: list[Liaison]
    plan_year: int
    plan: PlanVersion | None
    plan_periods: list[PlanPeriod]
    reports: list[Report]
    open_issues: list[ProjectIssue] = field(default_factory=list)
    resolved_issues: list[ProjectIssue] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)


def project_list(session: Session, viewer: Viewer, filters: ProjectFilters) -> ProjectList:
    """The viewer's projects under ``filters``, with the units that lead any of the viewer's projects."""
    search = (filters.search or "").strip()[:SEARCH_MAX_LENGTH] or None
    projects = list_projects(
        session, viewer, unit_id=filters.unit_id, level=filters.level, search=search
    )
    return ProjectList(projects, filter_units(session, viewer), filters)


def filter_units(session: Session, viewer: Viewer) -> list[Unit]:
    """Units leading at least one project the viewer may see (a unit user sees only their own)."""
    leading = select(Project.lead_unit_id).where(project_scope(viewer))
    return list(session.scalars(select(Unit).where(Unit.id.in_(leading)).order_by(Unit.code)))


def project_detail(session: Session, viewer: Viewer, project_id: int, today: date) -> ProjectDetail:
    """One project's detail; NotFound when it does not exist or lies outside the viewer's scope."""
    project = visible_project(session, viewer, project_id)
    plan = current_version(session, project.id, today.year)
    issues = _issues(session, project.id)
    return ProjectDetail(
        project=project,
        team=_team(session, project),
        unit_liaisons=_liaisons(
            session, today, (Liaison.unit_id == project.lead_unit_id) & Liaison.project_id.is_(None)
        ),
        project_liaisons=_liaisons(session, today, Liaison.project_id == project.id),
        plan_year=today.year,
        plan=plan,
        plan_periods=list(plan.periods) if plan else [],
        reports=_reports(session, project.id),
        open_issues=[i for i in issues if i.status != "resolved"],
        resolved_issues=[i for i in issues if i.status == "resolved"],
        warnings=_warnings(session, project.id),
    )


def _team(session: Session, project: Project) -> list[TeamRow]:
    members = project.team
    unit_ids = {m.unit_id for m in members if m.unit_id is not None}
    leader_ids = {m.leader_id for m in members if m.leader_id is not None}
    units = _names(session, Unit, unit_ids)
    leaders = _names(session, Leader, leader_ids)
    order = list(TEAM_ROLES)
    # The "1+3" roles come first, in the order the code list gives them.
    ranked = sorted(
        members, key=lambda m: (order.index(m.role) if m.role in order else len(order), m.id)
    )
    return [
        TeamRow(
            role=m.role,
            name=m.name,
            phone=m.phone,
            unit_name=units.get(m.unit_id) if m.unit_id else None,
            leader_name=leaders.get(m.leader_id) if m.leader_id else None,
        )
        for m in ranked
    ]


def _names(session: Session, model: type[Unit] | type[Leader], ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(model.id, model.name).where(model.id.in_(ids)))
    return {row.id: row.name for row in rows}


def _liaisons(session: Session, today: date, owner: ColumnElement[bool]) -> list[Liaison]:
    """Liaisons still serving today (no end date, or one not yet passed)."""
    query = (
        select(Liaison)
        .where(owner, or_(Liaison.until.is_(None), Liaison.until >= today))
        .order_by(Liaison.name)
    )
    return list(session.scalars(query))


def _reports(session: Session, project_id: int) -> list[Report]:
    query = (
        select(Report)
        .where(Report.project_id == project_id)
        .order_by(Report.period_end.desc(), Report.id.desc())
    )
    return list(session.scalars(query))


def _issues(session: Session, project_id: int) -> list[ProjectIssue]:
    query = (
        select(ProjectIssue)
        .where(ProjectIssue.project_id == project_id)
        .options(joinedload(ProjectIssue.owner_unit))
        .order_by(ProjectIssue.opened_on.desc(), ProjectIssue.id.desc())
    )
    return list(session.scalars(query))


def _warnings(session: Session, project_id: int) -> list[Warning]:
    query = (
        select(Warning)
        .where(Warning.project_id == project_id)
        .order_by(Warning.raised_at.desc(), Warning.id.desc())
    )
    return list(session.scalars(query))
