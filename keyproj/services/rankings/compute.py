"""A period's ranking: each unit's completed ÷ planned investment to the period's end (HD5, GS2).

Towns and county departments are ranked separately (GS2); a unit without a key project is not
ranked (GS2, GS8), nor is one whose plan to the period's end is zero (no rate can be computed).
Equal rates share a rank and the next rank is skipped (1, 2, 2, 4).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.codes import ReportStatus, UnitKind
from keyproj.db.models import AnnualPlan, PlanPeriod, Project, Report, Unit
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer

RATE_PLACES = Decimal("0.0001")  # rates compared to 0.01%: what the page shows is what ties
GROUPS = (("towns", UnitKind.TOWN, "乡镇"), ("departments", UnitKind.COUNTY_DEPARTMENT, "县直部门"))
NO_PROJECT = "无重点项目，不参与排名"
ZERO_PLAN = "截至期末计划投资为0，无法计算完成率，不参与排名"
TIES = "完成率相同的单位名次并列，其后名次顺延（如两个单位并列第2名，下一名为第4名）；前{top}名、后{bottom}名含并列者。"


@dataclass(frozen=True)
class ProjectFigure:
    """One project's figures: the plan to the period's end and the report they came from."""

    project_id: int
    code: str
    name: str
    planned: Decimal  # 万元, the current plan version's periods ending by the period's end
    completed: Decimal  # 万元, 年度完成投资 of the newest submitted report
    plan_periods: list[str]
    report_period: str | None
    note: str | None  # a missing report, and how it was counted


@dataclass(frozen=True)
class UnitRow:
    """A unit's place: its totals, rate and rank, or why it is not ranked."""

    unit_id: int
    unit: str
    planned: Decimal
    completed: Decimal
    rate: Decimal | None
    rank: int | None
    places: list[str]  # "top", "bottom"
    reason: str | None
    projects: list[ProjectFigure] = field(default_factory=list)

    @property
    def rate_text(self) -> str:
        """The rate as a percentage with two decimals, or 一."""
        return "—" if self.rate is None else f"{self.rate * 100:.2f}%"


@dataclass(frozen=True)
class Group:
    """Towns or county departments, ranked among themselves."""

    key: str
    label: str
    rows: list[UnitRow]

    @property
    def top(self) -> list[UnitRow]:
        """The units listed first for the meetings (GS2)."""
        return [r for r in self.rows if "top" in r.places]

    @property
    def bottom(self) -> list[UnitRow]:
        """The units in the bottom places (HD5's reminder letters, GS2)."""
        return [r for r in self.rows if "bottom" in r.places]


@dataclass(frozen=True)
class Ranking:
    """A period's ranking under the profile, with the rule that produced it."""

    period: periods.Period
    top_n: int
    bottom_n: int
    groups: list[Group]

    @property
    def rule(self) -> str:
        """How the ranks were decided, as the page explains it."""
        return (
            f"完成率 = 截至{self.period.end}年度完成投资 ÷ 同期计划投资（年度计划中截至期末各期之和）。"
            + TIES.format(top=self.top_n, bottom=self.bottom_n)
        )

    def as_json(self) -> dict[str, Any]:
        """Every figure, as stored with a run and printed by ``keyproj rank``."""
        out: dict[str, Any] = {"period": self.period.key, "cadence": self.period.cycle}
        out["top_n"], out["bottom_n"] = self.top_n, self.bottom_n
        for group in self.groups:
            out[group.key] = [_row_json(r) for r in group.rows]
        out["rule"] = self.rule
        return out


def rank(session: Session, profile: PolicyProfile, key: str, cycle: str | None = None) -> Ranking:
    """The ranking of period ``key`` of ``cycle`` (the profile's ``ranking.cadence`` by default;
    ``yearly`` for the year-end evaluation, GS8)."""
    settings = profile.ranking
    period = periods.parse(cycle or settings.cadence, key)
    figures = _figures(session, profile, period)
    groups = []
    for group_key, kind, label in GROUPS:
        units = session.execute(
            select(Unit.id, Unit.name).where(Unit.kind == kind, Unit.active).order_by(Unit.code)
        ).all()
        rows = [
            _unit_row(uid, name, figures.get(uid, []), settings.skip_units_without_projects)
            for uid, name in units
        ]
        groups.append(Group(group_key, label, _ranked(rows, settings.top_n, settings.bottom_n)))
    return Ranking(period, settings.top_n, settings.bottom_n, groups)


def clause_codes(profile: PolicyProfile) -> list[str]:
    """The clauses the profile's ranking values cite (GS2 in Guangshan, HD5 in Handan, …)."""
    codes: list[str] = []
    for key, text in profile.citations.items():
        source = text.split(" / ")[0]
        if key.startswith("ranking.") and re.fullmatch(r"[A-Z]{2}[0-9]+", source):
            codes += [] if source in codes else [source]
    return codes


def from_json(data: dict[str, Any]) -> list[Group]:
    """The groups of a stored run, as they were when it ran."""
    return [
        Group(key, label, [_row_from(r) for r in data.get(key, [])]) for key, _, label in GROUPS
    ]


def _figures(
    session: Session, profile: PolicyProfile, period: periods.Period
) -> dict[int, list[ProjectFigure]]:
    year = period.end.year
    # The year's ledger: a project without an approved plan for the year is not counted.
    in_plan = select(AnnualPlan.project_id).where(
        AnnualPlan.year == year, AnnualPlan.current_version_id.is_not(None)
    )
    projects = session.scalars(
        select(Project).where(Project.id.in_(in_plan)).order_by(Project.code)
    ).all()
    planned: dict[int, tuple[Decimal, list[str]]] = {}
    plan_rows = session.execute(
        select(AnnualPlan.project_id, PlanPeriod.period, PlanPeriod.planned_investment)
        .join(PlanPeriod, PlanPeriod.version_id == AnnualPlan.current_version_id)
        .where(AnnualPlan.year == year, PlanPeriod.period_end <= period.end)
        .order_by(PlanPeriod.period_end)
    )
    for pid, key, amount in plan_rows:
        total, keys = planned.get(pid, (Decimal(0), []))
        planned[pid] = (total + Decimal(amount), [*keys, key])
    newest = _newest_reports(session, date(year, 1, 1), period.end)
    expected = _last_reporting_period(profile.reporting.cycle, period.end)
    out: dict[int, list[ProjectFigure]] = {}
    for p in projects:
        total, keys = planned.get(p.id, (Decimal(0), []))
        report = newest.get(p.id)
        note = None
        if report is None:
            completed, shown = Decimal(0), None
            note = f"{year}年截至期末未报送进度，完成投资按0计"
        else:
            completed, shown = Decimal(report[1]), report[0]
            if report[2] < expected.start:
                note = f"{expected.label}未报送，按{report[0]}报告计"
        out.setdefault(p.lead_unit_id, []).append(
            ProjectFigure(p.id, p.code, p.name, total, completed, keys, shown, note)
        )
    return out


def _newest_reports(
    session: Session, since: date, until: date
) -> dict[int, tuple[str, Decimal, date]]:
    newest = (
        select(Report.project_id, func.max(Report.period_end).label("end"))
        .where(
            Report.status == ReportStatus.SUBMITTED,
            Report.period_end >= since,
            Report.period_end <= until,
        )
        .group_by(Report.project_id)
        .subquery()
    )
    rows = session.execute(
        select(Report.project_id, Report.period, Report.annual_completed, Report.period_end).join(
            newest,
            and_(
                Report.project_id == newest.c.project_id,
                Report.period_end == newest.c.end,
                Report.status == ReportStatus.SUBMITTED,
            ),
        )
    )
    return {pid: (key, Decimal(done), end) for pid, key, done, end in rows}


def _last_reporting_period(cycle: str, end: date) -> periods.Period:
    """The last reporting period that has ended by ``end``: its report is the one expected."""
    current = periods.containing(cycle, end)
    return (
        current
        if current.end <= end
        else periods.containing(cycle, current.start - timedelta(days=1))
    )


def _unit_row(unit_id: int, name: str, projects: list[ProjectFigure], skip_empty: bool) -> UnitRow:
    planned = sum((p.planned for p in projects), Decimal(0))
    completed = sum((p.completed for p in projects), Decimal(0))
    if not projects:
        reason = NO_PROJECT if skip_empty else ZERO_PLAN
        return UnitRow(unit_id, name, planned, completed, None, None, [], reason, projects)
    if planned == 0:
        return UnitRow(unit_id, name, planned, completed, None, None, [], ZERO_PLAN, projects)
    rate = (completed / planned).quantize(RATE_PLACES)
    return UnitRow(unit_id, name, planned, completed, rate, None, [], None, projects)


def _ranked(rows: list[UnitRow], top_n: int, bottom_n: int) -> list[UnitRow]:
    """Competition ranks (1, 2, 2, 4); the unranked follow in their order."""
    rankable = sorted((r for r in rows if r.rate is not None), key=lambda r: -(r.rate or 0))
    rates = [r.rate for r in rankable]
    out = []
    for row in rankable:
        position = rates.index(row.rate) + 1  # units with a higher rate, plus one
        lower = sum(
            1 for other in rates if other is not None and row.rate is not None and other < row.rate
        )
        places = (["top"] if position <= top_n else []) + (["bottom"] if lower < bottom_n else [])
        out.append(UnitRow(**{**_fields(row), "rank": position, "places": places}))
    return out + [r for r in rows if r.rate is None]


def _fields(row: UnitRow) -> dict[str, Any]:
    return {f: getattr(row, f) for f in row.__dataclass_fields__}


def _row_json(row: UnitRow) -> dict[str, Any]:
    data = asdict(row)
    data["rate"] = None if row.rate is None else str(row.rate)
    data["planned"], data["completed"] = str(row.planned), str(row.completed)
    for p in data["projects"]:
        p["planned"], p["completed"] = str(p["planned"]), str(p["completed"])
    return data


def _row_from(data: dict[str, Any]) -> UnitRow:
    projects = [
        ProjectFigure(
            **{**p, "planned": Decimal(p["planned"]), "completed": Decimal(p["completed"])}
        )
        for p in data["projects"]
    ]
    rate = None if data["rate"] is None else Decimal(data["rate"])
    return UnitRow(
        **{
            **data,
            "planned": Decimal(data["planned"]),
            "completed": Decimal(data["completed"]),
            "rate": rate,
            "projects": projects,
        }
    )


def in_scope(groups: list[Group], viewer: Viewer) -> list[Group]:
    """The groups as the viewer may see them: ranks for all, project figures of their own unit only."""
    if viewer.county_wide:
        return groups
    return [
        Group(
            g.key,
            g.label,
            [
                r if r.unit_id == viewer.unit_id else UnitRow(**{**_fields(r), "projects": []})
                for r in g.rows
            ],
        )
        for g in groups
    ]
