"""Read models of the project pages: the filtered list and everything one project's detail shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import Session, joinedload

from keyproj.codes import CaseStatus, Colour, IssueStatus, TeamRole, WarningLevel, WarningStatus
from keyproj.db.models import (
    Case,
    EarlyWarning,
    Leader,
    Liaison,
    PlanPeriod,
    PlanVersion,
    Project,
    ProjectIssue,
    Report,
    Unit,
)
from keyproj.paging import Page, Paging, fetch_page
from keyproj.services.access import Viewer, project_scope, visible_project
from keyproj.services.decisions.warnings import early_warnings
from keyproj.services.projects.plans import current_version
from keyproj.services.projects.reports import report_list
from keyproj.services.projects.views.chart import ProgressChart, progress_chart

SEARCH_MAX_LENGTH = 100
RECENT_REPORTS = 12  # a year of monthly reports on the project's page
# The newest of each list on the project's page; each has a page of its own for the rest.
RECENT_ROWS = 20
NO_WARNING = "none"
# The list shows a project's worst open warning; the four colours run from best to worst (HD3).
COLOUR_RANK = {colour: rank for rank, colour in enumerate(Colour, start=1)}


@dataclass(frozen=True)
class ProjectFilters:
    """The list filters: lead unit, level, keyword (name part or exact code), warning colour, stage.

    ``colour`` matches the worst open warning of a project, or NO_WARNING for none.
    """

    unit_id: int | None = None
    level: str | None = None
    search: str | None = None
    colour: str | None = None
    stage: str | None = None


@dataclass
class ProjectList:
    """A page of the projects a viewer may see under the filters, and the units offered as a filter."""

    page: Page[Project]
    units: list[Unit]
    filters: ProjectFilters
    colours: dict[int, Colour] = field(default_factory=dict)

    @property
    def projects(self) -> list[Project]:
        """The projects of the page."""
        return self.page.items


@dataclass(frozen=True)
class CaseRow:
    """A case of one of the project's warnings, as the project page lists it."""

    id: int
    notice_number: str | None
    status: CaseStatus
    opened_at: datetime
    warning_level: WarningLevel
    colour: Colour


@dataclass(frozen=True)
class TeamRow:
    """One team member with the names behind its ids."""

    role: TeamRole
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
    # The newest of each list (RECENT_ROWS); the totals say when a page of its own holds more.
    reports: Page[Report]
    open_issues: Page[ProjectIssue]
    resolved_issues: Page[ProjectIssue]
    warnings: Page[EarlyWarning]
    cases: Page[CaseRow]
    chart: ProgressChart | None = None


def project_list(
    session: Session, viewer: Viewer, filters: ProjectFilters, paging: Paging
) -> ProjectList:
    """A page of the viewer's projects under ``filters``, with the units that lead any of them."""
    search = (filters.search or "").strip()[:SEARCH_MAX_LENGTH] or None
    query = (
        select(Project)
        .where(project_scope(viewer))
        .options(joinedload(Project.lead_unit), joinedload(Project.leader))
        .order_by(Project.code)
    )
    if filters.unit_id is not None:
        query = query.where(Project.lead_unit_id == filters.unit_id)
    if filters.level:
        query = query.where(Project.level == filters.level)
    if filters.stage:
        query = query.where(Project.stage == filters.stage)
    if search:
        query = query.where(Project.name.contains(search) | (Project.code == search))
    if filters.colour:
        query = query.where(colour_clause(filters.colour))
    page = fetch_page(session, query, paging)
    colours = worst_colours(session, [p.id for p in page.items])
    return ProjectList(page, filter_units(session, viewer), filters, colours)


def colour_clause(colour: str) -> ColumnElement[bool]:
    """Projects whose worst open warning has ``colour`` (NO_WARNING: projects without one).

    In SQL, so that the list is filtered before it is counted and sliced into pages.
    """
    is_open = (EarlyWarning.status == WarningStatus.OPEN) & EarlyWarning.project_id.is_not(None)
    if colour == NO_WARNING:
        return (
            ~select(EarlyWarning.id).where(is_open, EarlyWarning.project_id == Project.id).exists()
        )
    rank = case({c.value: r for c, r in COLOUR_RANK.items()}, value=EarlyWarning.colour)
    worst = (
        select(EarlyWarning.project_id)
        .where(is_open)
        .group_by(EarlyWarning.project_id)
        .having(func.max(rank) == COLOUR_RANK[Colour(colour)])
    )
    return Project.id.in_(worst)


def worst_colours(session: Session, project_ids: list[int]) -> dict[int, Colour]:
    """Each project's worst open warning colour; projects without an open warning are absent."""
    if not project_ids:
        return {}
    rows = session.execute(
        select(EarlyWarning.project_id, EarlyWarning.colour)
        .where(EarlyWarning.status == WarningStatus.OPEN, EarlyWarning.project_id.in_(project_ids))
        .distinct()
    )
    out: dict[int, Colour] = {}
    for project_id, colour in rows:
        if project_id is None:
            continue
        worst = out.get(project_id)
        if worst is None or COLOUR_RANK[colour] > COLOUR_RANK[worst]:
            out[project_id] = colour
    return out


def filter_units(session: Session, viewer: Viewer) -> list[Unit]:
    """Units leading at least one project the viewer may see (a unit user sees only their own)."""
    leading = select(Project.lead_unit_id).where(project_scope(viewer))
    return list(session.scalars(select(Unit).where(Unit.id.in_(leading)).order_by(Unit.code)))


def project_detail(
    session: Session,
    viewer: Viewer,
    project_id: int,
    today: date,
    breakdown: str = "monthly",
) -> ProjectDetail:
    """One project's detail; NotFound when it does not exist or lies outside the viewer's scope."""
    project = visible_project(session, viewer, project_id)
    plan = current_version(session, project.id, today.year)
    recent = Paging(1, RECENT_ROWS)
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
        reports=report_list(session, project.id, Paging(1, RECENT_REPORTS)),
        open_issues=_issues(session, project.id, resolved=False, paging=recent),
        resolved_issues=_issues(session, project.id, resolved=True, paging=recent),
        warnings=warning_list(session, project.id, recent),
        cases=case_list(session, project.id, recent),
        chart=progress_chart(session, project.id, today.year, plan, breakdown),
    )


def _team(session: Session, project: Project) -> list[TeamRow]:
    members = project.team
    unit_ids = {m.unit_id for m in members if m.unit_id is not None}
    leader_ids = {m.leader_id for m in members if m.leader_id is not None}
    units = _names(session, Unit, unit_ids)
    leaders = _names(session, Leader, leader_ids)
    order = list(TeamRole)
    # The "1+3" roles come first, in the order the code list gives them.
    ranked = sorted(members, key=lambda m: (order.index(m.role), m.id))
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


def _issues(
    session: Session, project_id: int, resolved: bool, paging: Paging
) -> Page[ProjectIssue]:
    solved = ProjectIssue.status == IssueStatus.RESOLVED
    query = (
        select(ProjectIssue)
        .where(ProjectIssue.project_id == project_id, solved if resolved else ~solved)
        .options(joinedload(ProjectIssue.owner_unit))
        .order_by(ProjectIssue.opened_on.desc(), ProjectIssue.id.desc())
    )
    return fetch_page(session, query, paging)


def warning_list(session: Session, project_id: int, paging: Paging) -> Page[EarlyWarning]:
    """A page of one project's warnings, newest first."""
    query = (
        select(EarlyWarning)
        .where(EarlyWarning.project_id == project_id, early_warnings())
        .order_by(EarlyWarning.raised_at.desc(), EarlyWarning.id.desc())
    )
    return fetch_page(session, query, paging)


def case_list(session: Session, project_id: int, paging: Paging) -> Page[CaseRow]:
    """A page of the cases of one project's warnings, newest first."""
    query = (
        select(
            Case.id,
            Case.notice_number,
            Case.status,
            Case.opened_at,
            EarlyWarning.level,
            EarlyWarning.colour,
        )
        .join(EarlyWarning, EarlyWarning.id == Case.warning_id)
        .where(EarlyWarning.project_id == project_id)
        .order_by(Case.opened_at.desc(), Case.id.desc())
    )
    return fetch_page(session, query, paging).map(lambda row: CaseRow(*row))
