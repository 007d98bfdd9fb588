"""A quarter's department scores (AL11, AL12): each project scored on five weighted components,
a department the mean of its projects plus its bonus points, the year the weighted quarters.

Each component is 0–100 points before weighting; the weights are the profile's ``scoring.*``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.clock import beijing_date
from keyproj.codes import IssueStatus, ProcedureStatus, ReportStatus, StartStatus, UnitKind
from keyproj.db.models import (
    AnnualPlan,
    PlanPeriod,
    Project,
    ProjectIssue,
    Report,
    ScoreBonus,
    Unit,
    User,
)
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer

PLACES = Decimal("0.01")
FULL = Decimal(100)
NO_PROJECT = "无列入年度计划的重点项目，不计分"
COMPONENTS = (
    ("procedures", "前期手续完备（分阶段）"),
    ("start_rate", "开工率"),
    ("milestones", "节点任务完成"),
    ("reporting", "信息上报"),
    ("issue_handling", "问题处理"),
)
# AL12: government-invested projects are scored by the stage they have reached (规划, 建议书,
# 可研报告, 初步设计), others by theirs (投资协议或企业注册, 申请报告, 申报手续, 批复); each stage
# is passed when every approval it needs is 已批复 (无需办理 ones are skipped).
GOV_STAGES = (
    ("规划", ("site_selection",)),
    ("项目建议书", ("project_approval",)),
    ("可研报告", ("feasibility",)),
    ("初步设计", ("design",)),
)
OTHER_STAGES = (
    ("签订投资协议或企业注册", ()),  # a project in the ledger has its agreement or registration
    ("项目申请报告", ("project_approval",)),
    ("申报手续", ("site_selection", "land", "environment", "energy", "water_conservation")),
    ("批复", ("feasibility", "design")),
)
STARTED = {StartStatus.STARTED, StartStatus.RESTARTED, StartStatus.COMPLETED}


@dataclass(frozen=True)
class Component:
    """One component of a project's score: its points (0–100), weight and the inputs behind it."""

    key: str
    label: str
    weight: int
    points: Decimal
    inputs: list[str]

    @property
    def weighted(self) -> Decimal:
        """The points this component adds to the project's score."""
        return (self.points * self.weight / FULL).quantize(PLACES, ROUND_HALF_UP)


@dataclass(frozen=True)
class ProjectScore:
    """A project's quarter score and its components."""

    project_id: int
    code: str
    name: str
    components: list[Component]

    @property
    def score(self) -> Decimal:
        """The sum of the weighted components."""
        return sum((c.weighted for c in self.components), Decimal(0))


@dataclass(frozen=True)
class Bonus:
    """Bonus points as recorded by the key office."""

    points: Decimal
    reason: str
    recorded_by: str | None
    recorded_at: str


@dataclass(frozen=True)
class DepartmentScore:
    """A department's quarter score: the mean of its projects plus its bonus points (AL12)."""

    unit_id: int
    unit: str
    mean: Decimal | None  # the mean of the project scores; None without projects
    bonus: Decimal
    projects: list[ProjectScore] = field(default_factory=list)
    bonuses: list[Bonus] = field(default_factory=list)

    @property
    def score(self) -> Decimal | None:
        """The mean plus the bonus, or None without projects."""
        return None if self.mean is None else self.mean + self.bonus


def department(
    unit_id: int, unit: str, projects: list[ProjectScore], bonuses: list[Bonus]
) -> DepartmentScore:
    """A department's score from its projects' and its bonus points."""
    mean = None
    if projects:
        total = sum((p.score for p in projects), Decimal(0))
        mean = (total / len(projects)).quantize(PLACES, ROUND_HALF_UP)
    bonus = sum((b.points for b in bonuses), Decimal(0)).quantize(PLACES)
    return DepartmentScore(unit_id, unit, mean, bonus, projects, bonuses)


@dataclass(frozen=True)
class QuarterScores:
    """A quarter's scores under the profile, with the rule that produced them."""

    period: periods.Period
    departments: list[DepartmentScore]

    @property
    def rule(self) -> str:
        """How the scores were computed, as the page explains it."""
        return (
            "各项目按五项分别计0–100分，乘以权重后相加；部门得分为其各项目得分的平均值，加上重点办记录的加分。"
            "无项目的部门不计分。"
        )


def score_quarter(session: Session, profile: PolicyProfile, key: str) -> QuarterScores:
    """The department scores of quarter ``key`` (2026-Q3)."""
    period = periods.parse("quarterly", key)
    units = session.execute(
        select(Unit.id, Unit.name)
        .where(Unit.kind == UnitKind.COUNTY_DEPARTMENT, Unit.active)
        .order_by(Unit.code)
    ).all()
    bonuses = _bonuses(session, period.key)
    projects = _projects(session, period)
    out = []
    for uid, name in units:
        scored = [_project_score(session, profile, p, period) for p in projects.get(uid, [])]
        out.append(department(uid, name, scored, bonuses.get(uid, [])))
    return QuarterScores(period, out)


def year_end(session: Session, profile: PolicyProfile, year: int) -> list[dict[str, Any]]:
    """Each department's year-end score: the quarters weighted by ``scoring.quarter_weights`` (AL11).

    A quarter in which the department has no score is left out and the others' weights reweighted.
    """
    weights = [Decimal(str(w)) for w in profile.scoring.quarter_weights]
    quarters = [score_quarter(session, profile, f"{year}-Q{q}") for q in range(1, 5)]
    out = []
    for i, dept in enumerate(quarters[0].departments):
        scores = [q.departments[i].score for q in quarters]
        used = [(w, s) for w, s in zip(weights, scores, strict=True) if s is not None]
        total_w = sum((w for w, _ in used), Decimal(0))
        final = (
            (sum((w * s for w, s in used), Decimal(0)) / total_w).quantize(PLACES, ROUND_HALF_UP)
            if used and total_w
            else None
        )
        out.append(
            {
                "unit": dept.unit,
                "unit_id": dept.unit_id,
                "quarters": [None if s is None else str(s) for s in scores],
                "weights": [str(w) for w in weights],
                "score": None if final is None else str(final),
            }
        )
    return out


def as_json(scores: QuarterScores) -> dict[str, Any]:
    """Every figure, as printed by ``keyproj score``."""
    return {
        "period": scores.period.key,
        "departments": [
            {
                "unit": d.unit,
                "score": None if d.score is None else str(d.score),
                "mean": None if d.mean is None else str(d.mean),
                "bonus": str(d.bonus),
                "reason": None if d.mean is not None else NO_PROJECT,
                "projects": [
                    {
                        "code": p.code,
                        "name": p.name,
                        "score": str(p.score),
                        "components": {c.key: str(c.points) for c in p.components},
                    }
                    for p in d.projects
                ],
            }
            for d in scores.departments
        ],
    }


def in_scope(scores: QuarterScores, viewer: Viewer) -> list[DepartmentScore]:
    """The departments as the viewer may see them: scores for all, projects of their own unit only."""
    if viewer.county_wide:
        return scores.departments
    return [
        d if d.unit_id == viewer.unit_id else replace(d, projects=[], bonuses=[])
        for d in scores.departments
    ]


def _projects(session: Session, period: periods.Period) -> dict[int, list[Project]]:
    # The year's ledger only, as the rankings count it.
    in_plan = select(AnnualPlan.project_id).where(
        AnnualPlan.year == period.end.year, AnnualPlan.current_version_id.is_not(None)
    )
    out: dict[int, list[Project]] = {}
    for p in session.scalars(select(Project).where(Project.id.in_(in_plan)).order_by(Project.code)):
        out.setdefault(p.lead_unit_id, []).append(p)
    return out


def _bonuses(session: Session, key: str) -> dict[int, list[Bonus]]:
    rows = session.execute(
        select(ScoreBonus, User.display_name)
        .outerjoin(User, User.id == ScoreBonus.recorded_by_id)
        .where(ScoreBonus.period == key)
        .order_by(ScoreBonus.id)
    ).all()
    out: dict[int, list[Bonus]] = {}
    for bonus, who in rows:
        shown = beijing_date(bonus.recorded_at).isoformat()
        out.setdefault(bonus.unit_id, []).append(
            Bonus(Decimal(bonus.points), bonus.reason, who, shown)
        )
    return out


def _newest(session: Session, project_id: int, period: periods.Period) -> Report | None:
    return session.scalars(
        select(Report)
        .where(
            Report.project_id == project_id,
            Report.status == ReportStatus.SUBMITTED,
            Report.period_end >= date(period.end.year, 1, 1),
            Report.period_end <= period.end,
        )
        .order_by(Report.period_end.desc())
        .limit(1)
    ).first()


def _project_score(
    session: Session, profile: PolicyProfile, project: Project, period: periods.Period
) -> ProjectScore:
    w = profile.scoring
    report = _newest(session, project.id, period)
    basis = f"依据{report.period}报告" if report else "本年截至季末未报送进度"
    parts = [
        ("procedures", w.procedures, _procedures(project, report, basis)),
        ("start_rate", w.start_rate, _start(project, report, period, basis)),
        ("milestones", w.milestones, _milestones(session, project, report, period, basis)),
        ("reporting", w.reporting, _reporting(session, profile, project, period)),
        ("issue_handling", w.issue_handling, _issues(session, project, period)),
    ]
    labels = dict(COMPONENTS)
    components = [
        Component(k, labels[k], wt, pts.quantize(PLACES), inputs) for k, wt, (pts, inputs) in parts
    ]
    return ProjectScore(project.id, project.code, project.name, components)


def _pct(part: int | Decimal, whole: int | Decimal) -> Decimal:
    return (Decimal(part) * FULL / Decimal(whole)).quantize(PLACES, ROUND_HALF_UP)


def _procedures(project: Project, report: Report | None, basis: str) -> tuple[Decimal, list[str]]:
    stages = GOV_STAGES if project.government_invested else OTHER_STAGES
    kind = "政府投资项目" if project.government_invested else "非政府投资项目"
    statuses = {
        k: (v or {}).get("status") for k, v in (report.procedures if report else {}).items()
    }
    passed, notes = 0, []
    for label, items in stages:
        needed = [i for i in items if statuses.get(i) != ProcedureStatus.NOT_NEEDED.value]
        done = all(statuses.get(i) == ProcedureStatus.APPROVED.value for i in needed)
        passed += done
        notes.append(f"{label}：{'已完成' if done else '未完成'}")
    text = f"{kind}按{len(stages)}个阶段计分（{basis}）：" + "；".join(notes)
    return _pct(passed, len(stages)), [text, f"已完成{passed}个阶段 ÷ {len(stages)} × 100"]


def _start(
    project: Project, report: Report | None, period: periods.Period, basis: str
) -> tuple[Decimal, list[str]]:
    if project.planned_start is not None and project.planned_start > period.end:
        return FULL, [f"计划开工日期{project.planned_start}在季末之后，不考核开工，计满分"]
    started = report is not None and report.start_status in STARTED
    due = f"计划开工日期{project.planned_start or '未填'}"
    status = report.start_status.label if report else "无报告"
    return (FULL if started else Decimal(0)), [f"{due}；开工情况：{status}（{basis}）"]


def _milestones(
    session: Session, project: Project, report: Report | None, period: periods.Period, basis: str
) -> tuple[Decimal, list[str]]:
    planned = session.scalar(
        select(func.coalesce(func.sum(PlanPeriod.planned_investment), 0))
        .join(AnnualPlan, PlanPeriod.version_id == AnnualPlan.current_version_id)
        .where(
            AnnualPlan.project_id == project.id,
            AnnualPlan.year == period.end.year,
            PlanPeriod.period_end <= period.end,
        )
    )
    planned = Decimal(planned or 0)
    done = Decimal(report.annual_completed) if report else Decimal(0)
    text = f"截至{period.end}计划投资{planned}万元，完成{done}万元（{basis}）"
    if planned == 0:
        return FULL, [text, "计划为0，计满分"]
    return min(FULL, _pct(done, planned)), [text, "完成 ÷ 计划 × 100，最高100"]


def _reporting(
    session: Session, profile: PolicyProfile, project: Project, period: periods.Period
) -> tuple[Decimal, list[str]]:
    cycle = profile.reporting.cycle
    expected = [
        p for p in periods.of_year(cycle, period.end.year) if period.start <= p.end <= period.end
    ]
    rows = {
        r.period: r
        for r in session.scalars(
            select(Report).where(
                Report.project_id == project.id,
                Report.status == ReportStatus.SUBMITTED,
                Report.period.in_([p.key for p in expected]),
            )
        )
    }
    on_time, notes = 0, []
    for p in expected:
        due = periods.due_date(p, profile.reporting)
        row = rows.get(p.key)
        if row is None or row.submitted_at is None:
            notes.append(f"{p.key}未报送（应于{due}前）")
        elif beijing_date(row.submitted_at) > due:
            notes.append(f"{p.key}逾期报送（{beijing_date(row.submitted_at)}，应于{due}前）")
        else:
            on_time += 1
    if not expected:
        return FULL, ["本季度无应报期次，计满分"]
    head = f"应报{len(expected)}期，按时{on_time}期：按时期数 ÷ 应报期数 × 100"
    return _pct(on_time, len(expected)), [head, *notes]


def _issues(
    session: Session, project: Project, period: periods.Period
) -> tuple[Decimal, list[str]]:
    issues = session.scalars(
        select(ProjectIssue).where(
            ProjectIssue.project_id == project.id,
            ProjectIssue.opened_on <= period.end,
            or_(
                ProjectIssue.resolved_on.is_(None),
                ProjectIssue.resolved_on >= period.start,
            ),
        )
    ).all()
    if not issues:
        return FULL, ["本季度无待处理问题，计满分"]
    solved = [
        i
        for i in issues
        if i.status == IssueStatus.RESOLVED and i.resolved_on and i.resolved_on <= period.end
    ]
    notes = [f"{i.title}：{'已解决' if i in solved else '未解决'}" for i in issues]
    head = f"本季度问题{len(issues)}个，季末前解决{len(solved)}个：解决数 ÷ 问题数 × 100"
    return _pct(len(solved), len(issues)), [head, *notes]
