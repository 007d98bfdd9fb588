"""HD3: every project's progress against its plan to date (序时进度), coloured by the profile's bands.

Unlike the warning scan, which raises only what needs a warning, this evaluates *every*
project in the viewer's scope for one period of ``warnings.progress_cycle``, and a project
without an approved plan, without a submitted report, or with nothing planned to date is
shown as such instead of being counted green. Projects already in use (投产) are past
construction and, as in the warning scan, are not evaluated.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.codes import COLOURS, ProjectStage, ReportStatus
from keyproj.db.models import AnnualPlan, PlanPeriod, Project, Report, Unit
from keyproj.errors import NotFound
from keyproj.policy import PolicyProfile
from keyproj.rules.base import FOUR_PLACES, among, colour_for, dec
from keyproj.rules.standing import Standing, _share
from keyproj.services.access import Viewer, project_scope

# Outcomes that are not a colour: shown beside the colours, never counted as one.
NO_PLAN, NO_REPORT, ZERO_PLAN = "no_plan", "no_report", "zero_plan"
UNJUDGED = {
    NO_PLAN: "无年度计划",
    NO_REPORT: "未报送",
    ZERO_PLAN: "序时计划为零",
}
UNJUDGED_NOTES = {
    NO_PLAN: "本年度没有已批准的年度计划，无法对照序时进度评价",
    NO_REPORT: "本期没有已提交的进度报告，无法评价",
    ZERO_PLAN: "截至报告期末序时计划投资和形象进度均为0，不评价",
}


@dataclass(frozen=True)
class Evaluation:
    """One project's outcome for the period, with the evidence it rests on."""

    project_id: int
    code: str
    name: str
    unit_id: int
    unit_name: str
    outcome: str  # a colour of the bands, or NO_PLAN / NO_REPORT / ZERO_PLAN
    standing: Standing | None = None  # the report against the plan to date, when both exist
    report_id: int | None = None
    milestone: str | None = None  # the ledger's milestone of the plan period under way
    plan_year: int | None = None
    band_min: Decimal | None = None  # the lower bound of the band the ratio fell in

    @property
    def label(self) -> str:
        """The outcome in Chinese, e.g. 黄色 or 未报送."""
        return COLOURS.get(self.outcome) or UNJUDGED[self.outcome]

    @property
    def note(self) -> str:
        """Why a project is not coloured; empty for a coloured one."""
        return UNJUDGED_NOTES.get(self.outcome, "")


@dataclass(frozen=True)
class UnitRow:
    """One unit's counts by outcome on the board."""

    unit_id: int
    unit_name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        """How many of the unit's projects were evaluated."""
        return sum(self.counts.values())


@dataclass(frozen=True)
class ColourBoard:
    """The period's evaluation: every project, the outcomes in board order, counts by unit."""

    period: periods.Period
    outcomes: list[str]  # the profile's colours, best first, then the unjudged outcomes
    bands: list[tuple[str, Decimal]]  # (colour, min ratio) as the profile states them
    basis: str  # the profile's citation of the bands
    evaluations: list[Evaluation] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """Projects by outcome over the whole board (every outcome present, zeros included)."""
        found = Counter(e.outcome for e in self.evaluations)
        return {o: found[o] for o in self.outcomes}

    @property
    def units(self) -> list[UnitRow]:
        """One row per unit that leads a project in scope, by unit name."""
        by_unit: dict[int, tuple[str, Counter[str]]] = {}
        for e in self.evaluations:
            by_unit.setdefault(e.unit_id, (e.unit_name, Counter()))[1][e.outcome] += 1
        rows = [
            UnitRow(uid, name, {o: found[o] for o in self.outcomes})
            for uid, (name, found) in by_unit.items()
        ]
        return sorted(rows, key=lambda r: (r.unit_name, r.unit_id))

    def select(self, unit_id: int | None = None, outcome: str | None = None) -> list[Evaluation]:
        """The projects behind one count of the board."""
        return [
            e
            for e in self.evaluations
            if (unit_id is None or e.unit_id == unit_id)
            and (outcome is None or e.outcome == outcome)
        ]

    def label(self, outcome: str) -> str:
        """An outcome's Chinese name."""
        return COLOURS.get(outcome) or UNJUDGED[outcome]


def period_of(profile: PolicyProfile, key: str) -> periods.Period:
    """The evaluation period ``key`` of the profile's progress cycle (HD3: monthly 对账)."""
    return periods.parse(profile.warnings.progress_cycle, key)


def colour_board(session: Session, viewer: Viewer, profile: PolicyProfile, key: str) -> ColourBoard:
    """Every project the viewer may see, evaluated for period ``key``."""
    period = period_of(profile, key)
    bands: list[tuple[str, Decimal]] = [
        (b.colour, Decimal(str(b.min_ratio))) for b in profile.warnings.colour_bands
    ]
    projects = session.execute(
        select(Project, Unit.name)
        .join(Unit, Unit.id == Project.lead_unit_id)
        .where(project_scope(viewer), Project.stage != ProjectStage.IN_USE)
        .order_by(Project.code)
    ).all()
    evaluations = evaluate(session, profile, [(p, name) for p, name in projects], period)
    return ColourBoard(
        period=period,
        outcomes=[c for c, _ in bands] + list(UNJUDGED),
        bands=bands,
        basis=profile.citations.get("warnings.colour_bands", ""),
        evaluations=evaluations,
    )


def evaluate(
    session: Session,
    profile: PolicyProfile,
    projects: list[tuple[Project, str]],
    period: periods.Period,
) -> list[Evaluation]:
    """Each of ``projects`` (with its lead unit's name) evaluated for ``period``; the caller has
    decided who may see them (the board by scope, a chain page by its chain, DC5)."""
    ids = [p.id for p, _ in projects]
    reports = period_reports(session, ids, period)
    plans = plan_periods(session, ids, period.end.year)
    return [
        _evaluate(profile, p, unit_name, reports.get(p.id), plans.get(p.id), period.end.year)
        for p, unit_name in projects
    ]


def project_evaluation(
    session: Session, viewer: Viewer, profile: PolicyProfile, key: str, project_id: int
) -> tuple[ColourBoard, Evaluation]:
    """One project's evaluation with its board; NotFound outside the viewer's scope."""
    board = colour_board(session, viewer, profile, key)
    for e in board.evaluations:
        if e.project_id == project_id:
            return board, e
    raise NotFound(f"项目 {project_id} 不存在或不在您的查看范围内")


def period_reports(session: Session, ids: list[int], period: periods.Period) -> dict[int, Report]:
    """Each project's newest submitted report of a period ending within ``period``
    (Guangshan's weekly reports: the last week's report of the month)."""
    rows = session.scalars(
        select(Report)
        .where(
            among(Report.project_id, ids),
            Report.status == ReportStatus.SUBMITTED,
            Report.period_end >= period.start,
            Report.period_end <= period.end,
        )
        .order_by(Report.period_end)
    )
    return {r.project_id: r for r in rows}  # later period ends overwrite earlier ones


def plan_periods(session: Session, ids: list[int], year: int) -> dict[int, list[PlanPeriod]]:
    """Each project's approved plan periods of ``year`` (its current version), by period end."""
    rows = session.execute(
        select(AnnualPlan.project_id, PlanPeriod)
        .join(AnnualPlan, AnnualPlan.current_version_id == PlanPeriod.version_id)
        .where(among(AnnualPlan.project_id, ids), AnnualPlan.year == year)
        .order_by(PlanPeriod.period_end)
    )
    out: dict[int, list[PlanPeriod]] = {}
    for project_id, part in rows:
        out.setdefault(project_id, []).append(part)
    return out


def _evaluate(
    profile: PolicyProfile,
    project: Project,
    unit_name: str,
    report: Report | None,
    plan: list[PlanPeriod] | None,
    year: int,
) -> Evaluation:
    base = Evaluation(
        project.id, project.code, project.name, project.lead_unit_id, unit_name, NO_PLAN
    )
    if not plan:
        return base
    if report is None:
        return replace(base, outcome=NO_REPORT, plan_year=year)
    standing, milestone = _standing(project, report, plan)
    judged = replace(
        base,
        outcome=ZERO_PLAN,
        standing=standing,
        report_id=report.id,
        milestone=milestone,
        plan_year=year,
    )
    value = standing.ratio
    if value is None:
        return judged
    colour = colour_for(profile, value)
    band_min = next(
        Decimal(str(b.min_ratio)) for b in profile.warnings.colour_bands if b.colour == colour
    )
    return replace(judged, outcome=colour, band_min=band_min)


def planned_by(plan: list[PlanPeriod], as_of: date) -> tuple[Decimal, Decimal, str | None]:
    """The plan to ``as_of`` (序时): investment, cumulative progress % and the milestone under way;
    ended plan periods in full, the period under way in proportion to its days gone by."""
    planned, planned_pct = Decimal(0), Decimal(0)
    milestone = None
    for part in plan:
        if part.period_end <= as_of:
            planned += dec(part.planned_investment)
            planned_pct = max(planned_pct, dec(part.planned_progress_pct))
            milestone = part.milestone or milestone
            continue
        share = _share(part.period, as_of)
        planned += dec(part.planned_investment) * share
        planned_pct += (dec(part.planned_progress_pct) - planned_pct) * share
        milestone = part.milestone or milestone
        break
    return planned, planned_pct, milestone


def _standing(
    project: Project, report: Report, plan: list[PlanPeriod]
) -> tuple[Standing, str | None]:
    """The report against the plan to its period's end, as the warning scan computes it:
    ended plan periods in full, the period under way in proportion to its days gone by."""
    as_of: date = report.period_end
    planned, planned_pct, milestone = planned_by(plan, as_of)
    standing = Standing(
        project_id=project.id,
        central_funds=bool(project.central_funds),
        report_period=report.period,
        as_of=as_of,
        completed=dec(report.annual_completed),
        planned=planned.quantize(FOUR_PLACES),
        progress_pct=dec(report.progress_pct),
        planned_pct=planned_pct.quantize(FOUR_PLACES),
    )
    return standing, milestone
