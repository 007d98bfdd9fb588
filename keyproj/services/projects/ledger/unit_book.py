"""The reporting ledger (重点项目建设台账) per responsible unit: what a county office prints.

Each project in the viewer's scope as of one period of the progress cycle: its annual plan and
the plan to date (序时), the newest submitted report of the period, the four-colour outcome of
keyproj/services/evaluation/colours.py, its open issues and who answers for it. The rows are
grouped by lead unit; unit_sheet.py lays them out as the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from keyproj import periods
from keyproj.codes import (
    RESPONSIBLE_UNIT_KINDS,
    UNIT_STAFF_ROLES,
    IssueStatus,
    ProjectNature,
    ProjectStage,
    TeamRole,
)
from keyproj.db.models import (
    AnnualPlan,
    Leader,
    PlanVersion,
    Project,
    ProjectIssue,
    Report,
    Unit,
)
from keyproj.errors import NotFound
from keyproj.policy import PolicyProfile
from keyproj.rules.base import FOUR_PLACES, dec, ratio
from keyproj.services.access import Viewer, project_scope
from keyproj.services.evaluation.colours import (
    Evaluation,
    colour_board,
    period_of,
    period_reports,
    plan_periods,
    planned_by,
)
from keyproj.services.reference.identity import county_identity

IN_USE_LABEL = "投入使用，不评价"


@dataclass(frozen=True)
class Line:
    """One project's row of the ledger; amounts in 万元, ``rate`` a ratio (0.8 is 80%)."""

    name: str
    nature: str
    content: str
    years: str
    total: Decimal
    annual_plan: Decimal | None
    planned_to_date: Decimal | None
    completed: Decimal | None  # 本年完成投资 of the period's report
    rate: Decimal | None
    cumulative: Decimal | None  # 累计完成投资 of the period's report
    milestone: str
    progress: str
    colour: str
    problems: str
    leader: str
    unit: str
    person: str


@dataclass(frozen=True)
class Totals:
    """A unit's subtotal, or the county's total: sums of the amounts and the rate of the sums."""

    projects: int
    total: Decimal
    annual_plan: Decimal
    planned_to_date: Decimal
    completed: Decimal
    cumulative: Decimal

    @property
    def rate(self) -> Decimal | None:
        """Completed ÷ planned to date over the projects summed; None with nothing planned."""
        return ratio(self.completed, self.planned_to_date)


@dataclass(frozen=True)
class UnitPart:
    """One responsible unit's projects and their subtotal."""

    unit_id: int
    unit_name: str
    lines: list[Line] = field(default_factory=list)

    @property
    def subtotal(self) -> Totals:
        """The unit's 小计."""
        return totals(self.lines)


@dataclass(frozen=True)
class UnitBook:
    """The ledger as of ``period``: a part per unit, the title words and the county's total."""

    county: str
    period: periods.Period
    parts: list[UnitPart]

    @property
    def title(self) -> str:
        """E.g. 连平县2026年重点项目建设台账（截至2026年9月）."""
        return f"{self.county}{self.period.end.year}年重点项目建设台账（截至{self.period.label}）"

    @property
    def total(self) -> Totals:
        """The 合计 over every unit."""
        return totals([line for part in self.parts for line in part.lines])


def totals(lines: list[Line]) -> Totals:
    """The sums of ``lines``; an amount not known (no plan, no report) counts as nothing."""

    def summed(name: str) -> Decimal:
        return sum((getattr(x, name) or Decimal(0) for x in lines), Decimal(0))

    return Totals(
        len(lines),
        summed("total"),
        summed("annual_plan"),
        summed("planned_to_date"),
        summed("completed"),
        summed("cumulative"),
    )


def unit_book(
    session: Session, viewer: Viewer, profile: PolicyProfile, key: str, unit_id: int | None = None
) -> UnitBook:
    """The ledger of period ``key`` for the viewer's scope, or one unit of it (``unit_id``).

    A unit's staff get their own unit only: asking for another is NotFound, as is a unit that
    does not exist.
    """
    period = period_of(profile, key)
    units = _units(session, viewer, unit_id)
    query = (
        select(Project, Leader.name)
        .outerjoin(Leader, Leader.id == Project.leader_id)
        .where(project_scope(viewer))
        .options(selectinload(Project.team))
        .order_by(Project.code)
    )
    if unit_id is not None:
        query = query.where(Project.lead_unit_id == unit_id)
    found = session.execute(query).all()
    projects = [p for p, _ in found]
    for p in projects:
        units.setdefault(p.lead_unit_id, "")
    names = _unit_names(session, units)
    facts = _Facts.read(session, viewer, profile, period, projects)
    parts = {uid: UnitPart(uid, names[uid]) for uid in sorted(units, key=lambda u: names[u])}
    for p, leader in found:
        parts[p.lead_unit_id].lines.append(facts.line(p, names[p.lead_unit_id], leader))
    return UnitBook(county_identity(session, profile).county_name, period, list(parts.values()))


def unit_choices(session: Session, viewer: Viewer) -> list[tuple[int, str]]:
    """The units a county-wide user may pick one of (the responsible units); none for others,
    who get the units of their own scope."""
    if not viewer.county_wide:
        return []
    rows = session.execute(
        select(Unit.id, Unit.name)
        .where(Unit.kind.in_(RESPONSIBLE_UNIT_KINDS), Unit.active.is_(True))
        .order_by(Unit.code)
    )
    return [(uid, name) for uid, name in rows]


def _units(session: Session, viewer: Viewer, unit_id: int | None) -> dict[int, str]:
    """The units that get a sheet whatever their projects: the one asked for, or a unit's own."""
    own = None if viewer.county_wide or not viewer.has(*UNIT_STAFF_ROLES) else viewer.unit_id
    if unit_id is not None and own is not None and unit_id != own:
        raise NotFound(f"单位 {unit_id} 不存在或无权查看")
    wanted = unit_id if unit_id is not None else own
    if wanted is None:
        return {}
    if session.get(Unit, wanted) is None:
        raise NotFound(f"单位 {wanted} 不存在或无权查看")
    return {wanted: ""}


def _unit_names(session: Session, units: dict[int, str]) -> dict[int, str]:
    rows = session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(sorted(units))))
    return dict(rows.all())


@dataclass
class _Facts:
    """What the ledger reads beside the projects, each by project id."""

    period: periods.Period
    evaluations: dict[int, Evaluation]
    reports: dict[int, Report]
    plans: dict[int, PlanVersion]
    planned: dict[int, tuple[Decimal, str | None]]  # to the period's end, with the milestone
    issues: dict[int, list[str]]

    @classmethod
    def read(
        cls,
        session: Session,
        viewer: Viewer,
        profile: PolicyProfile,
        period: periods.Period,
        projects: list[Project],
    ) -> _Facts:
        ids = [p.id for p in projects]
        board = colour_board(session, viewer, profile, period.key)
        year = period.end.year
        planned = {}
        for pid, parts in plan_periods(session, ids, year).items():
            amount, _, milestone = planned_by(parts, period.end)
            planned[pid] = (amount.quantize(FOUR_PLACES), milestone)
        return cls(
            period,
            {e.project_id: e for e in board.evaluations},
            period_reports(session, ids, period),
            _versions(session, set(ids), year),
            planned,
            _open_issues(session, set(ids)),
        )

    def line(self, project: Project, unit_name: str, leader: str | None) -> Line:
        """The project's row; ``leader`` is the name of the project's 联系领导."""
        evaluation = self.evaluations.get(project.id)
        report = self.reports.get(project.id)
        version = self.plans.get(project.id)
        standing = evaluation.standing if evaluation else None
        # The rate and the plan to date of an evaluated project are the board's (as of its
        # report's end); others are planned to the period's end.
        to_end, milestone = self.planned.get(project.id, (None, None))
        planned = standing.planned if standing else to_end
        completed = dec(report.annual_completed) if report else None
        rate = ratio(completed, planned) if completed is not None and planned else None
        return Line(
            name=project.name,
            nature=ProjectNature.label_of(project.nature),
            content=project.description or "",
            years=_years(project),
            total=dec(project.total_investment),
            annual_plan=dec(version.annual_investment) if version else None,
            planned_to_date=planned if version else None,
            completed=completed,
            rate=rate,
            cumulative=dec(report.cumulative_completed) if report else None,
            milestone=(evaluation.milestone if standing and evaluation else milestone) or "",
            progress=_progress(report),
            colour=_colour(project, evaluation),
            problems=_problems(self.issues.get(project.id), report),
            leader=leader or _leader(project, version),
            unit=unit_name,
            person=_person(project, version),
        )


def _versions(session: Session, ids: set[int], year: int) -> dict[int, PlanVersion]:
    # The year's plans are read whole and filtered here, as export.py does (SQLite's limit on
    # bound parameters).
    rows = session.execute(
        select(AnnualPlan.project_id, PlanVersion)
        .join(PlanVersion, PlanVersion.id == AnnualPlan.current_version_id)
        .where(AnnualPlan.year == year)
    )
    return {pid: version for pid, version in rows if pid in ids}


def _open_issues(session: Session, ids: set[int]) -> dict[int, list[str]]:
    rows = session.execute(
        select(ProjectIssue.project_id, ProjectIssue.title)
        .where(ProjectIssue.status != IssueStatus.RESOLVED)
        .order_by(ProjectIssue.opened_on, ProjectIssue.id)
    )
    out: dict[int, list[str]] = {}
    for pid, title in rows:
        if pid in ids:
            out.setdefault(pid, []).append(title)
    return out


def _years(project: Project) -> str:
    """建设年限 from the planned start and completion, e.g. 2026-2027."""
    start = project.planned_start.year if project.planned_start else None
    end = project.planned_completion.year if project.planned_completion else None
    if start and end:
        return str(start) if start == end else f"{start}-{end}"
    if start:
        return f"{start}年开工"
    return f"{end}年竣工" if end else ""


def _progress(report: Report | None) -> str:
    if report is None:
        return ""
    pct = f"形象进度{dec(report.progress_pct).normalize():f}%"
    return f"{report.progress_text}（{pct}）" if report.progress_text else pct


def _colour(project: Project, evaluation: Evaluation | None) -> str:
    if evaluation is not None:
        return evaluation.label
    return IN_USE_LABEL if project.stage == ProjectStage.IN_USE else ""


def _problems(issues: list[str] | None, report: Report | None) -> str:
    """The open issues of the issue ledger; without any, what the report says of its problems."""
    if issues:
        return "；".join(issues)
    return (report.issues_text or "") if report else ""


def _leader(project: Project, version: PlanVersion | None) -> str:
    """Without a 联系领导: the plan's responsible leader (HD1), else the team's chief (GS3)."""
    if version is not None and version.responsible_leader:
        return version.responsible_leader
    return _member(project, TeamRole.CHIEF)


def _person(project: Project, version: PlanVersion | None) -> str:
    if version is not None and version.responsible_person:
        return version.responsible_person
    return _member(project, TeamRole.RESPONSIBLE)


def _member(project: Project, role: TeamRole) -> str:
    return next((m.name for m in project.team if m.role == role), "")
