"""Annual plans with per-period breakdown, versioned and approved (LP6, AL4, AL5, HD1, GS7)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Protocol, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.clock import now_utc
from keyproj.codes import PlanStatus, Role
from keyproj.db.models import AnnualPlan, PlanPeriod, PlanVersion, Project
from keyproj.errors import Conflict, ValidationError
from keyproj.inputs import ADMIN_YEARS, LONG_TEXT, BadInput
from keyproj.services.access import Viewer, require_project_writer, require_role
from keyproj.validation import Checks

# The tables, for the bulk statements of file_approved_many.
_PLANS = cast(Table, AnnualPlan.__table__)
_VERSIONS = cast(Table, PlanVersion.__table__)
_PERIODS = cast(Table, PlanPeriod.__table__)
IMPORTED = "由台账导入"  # the approval note of a plan filed without an interactive actor
LABELS = {
    "year": "年度",
    "annual_investment": "年度计划投资（万元）",
    "periods": "分期计划",
    "planned_investment": "当期计划投资（万元）",
    "planned_progress_pct": "累计形象进度（%）",
    "reason": "调整原因",
    "note": "审批意见",
    "milestones": "年度节点目标",
    "milestone": "当期节点",
    "procedures": "当期手续",
}


@dataclass
class PlanPeriodData:
    """One period of the breakdown: investment in the period, cumulative progress at its end."""

    period: str
    planned_investment: Decimal
    planned_progress_pct: Decimal
    milestone: str | None = None
    procedures: str | None = None


class PeriodFigures(Protocol):
    """What a period of a breakdown carries: PlanPeriodData, or a checked ledger row."""

    period: str
    planned_investment: Decimal
    planned_progress_pct: Decimal
    milestone: str | None
    procedures: str | None


@dataclass
class PlanData:
    """The content of a plan version."""

    annual_investment: Decimal
    periods: list[PlanPeriodData] = field(default_factory=list)
    milestones: str | None = None
    reason: str | None = None


def draft_version(
    session: Session,
    viewer: Viewer | None,
    project: Project,
    year: int,
    data: PlanData,
    breakdown: str,
) -> PlanVersion:
    """A new draft version; once a version is approved, a new one is an adjustment and needs a reason (AL5)."""
    if viewer is not None:
        require_project_writer(viewer, project)
    data, checked = _check(data, year, breakdown, project.total_investment)
    plan = session.scalar(
        select(AnnualPlan).where(AnnualPlan.project_id == project.id, AnnualPlan.year == year)
    )
    if plan is None:
        plan = AnnualPlan(project_id=project.id, year=year)
        session.add(plan)
        session.flush()
    if plan.current_version_id is not None and not data.reason:
        raise ValidationError.single(
            "reason", LABELS["reason"], "已有批准的年度计划，调整须说明原因"
        )
    number = 1 + max((v.number for v in plan.versions), default=0)
    version = PlanVersion(
        plan=plan,
        number=number,
        status=PlanStatus.DRAFT,
        annual_investment=data.annual_investment,
        milestones=data.milestones,
        reason=data.reason,
        created_by_id=viewer.user_id if viewer else None,
        created_at=now_utc(),
    )
    version.periods = [
        PlanPeriod(
            period=p.period,
            period_end=end,
            planned_investment=p.planned_investment,
            planned_progress_pct=p.planned_progress_pct,
            milestone=p.milestone,
            procedures=p.procedures,
        )
        for p, end in checked
    ]
    session.add(version)
    session.flush()
    return version


def submit_version(session: Session, viewer: Viewer | None, version: PlanVersion) -> None:
    """Send a draft for approval."""
    if viewer is not None:
        require_project_writer(viewer, version.plan.project)
    _expect(version, PlanStatus.DRAFT)
    version.status, version.submitted_at = PlanStatus.SUBMITTED, now_utc()
    session.flush()


def approve_version(
    session: Session, viewer: Viewer | None, version: PlanVersion, note: str | None = None
) -> None:
    """The key office approves: the version becomes current and the previous one is superseded."""
    if viewer is not None:
        require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    note = _note(note)
    _expect(version, PlanStatus.SUBMITTED)
    plan = version.plan
    if plan.current_version is not None:
        plan.current_version.status = PlanStatus.SUPERSEDED
    version.status, version.decided_at, version.decision_note = PlanStatus.APPROVED, now_utc(), note
    version.decided_by_id = viewer.user_id if viewer else None
    plan.current_version = version
    session.flush()


def reject_version(
    session: Session, viewer: Viewer | None, version: PlanVersion, note: str
) -> None:
    """The key office sends a version back with a reason."""
    if viewer is not None:
        require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    text = _note(note)
    if text is None:
        raise ValidationError.single("note", LABELS["note"], "退回须写明意见")
    note = text
    _expect(version, PlanStatus.SUBMITTED)
    version.status, version.decided_at, version.decision_note = PlanStatus.REJECTED, now_utc(), note
    version.decided_by_id = viewer.user_id if viewer else None
    session.flush()


def file_approved(
    session: Session, project: Project, year: int, data: PlanData, breakdown: str
) -> PlanVersion:
    """Draft, submit and approve in one step: the path of imports and the demo (no interactive actor)."""
    version = draft_version(session, None, project, year, data, breakdown)
    submit_version(session, None, version)
    approve_version(session, None, version, IMPORTED)
    return version


def file_approved_many(
    session: Session,
    amounts: Sequence[tuple[int, Decimal]],
    year: int,
    note: str,
    breakdowns: Mapping[int, Sequence[PeriodFigures]] | None = None,
    cycle: str = "monthly",
) -> None:
    """``file_approved`` for many projects without a plan for ``year``, a statement a table.

    ``breakdowns`` holds each project's periods of ``cycle``, already checked.
    """
    if not amounts:
        return
    now = now_utc()
    project_ids = [project_id for project_id, _ in amounts]
    # Plain executemany statements (no RETURNING: SQLite would then insert a row a statement),
    # the new ids read back by their natural keys.
    session.execute(insert(_PLANS), [{"project_id": p, "year": year} for p in project_ids])
    plan_of = dict(
        session.execute(
            select(AnnualPlan.project_id, AnnualPlan.id).where(
                AnnualPlan.year == year, AnnualPlan.project_id.in_(project_ids)
            )
        ).all()
    )
    version = {"number": 1, "status": PlanStatus.APPROVED, "decision_note": note}
    moments = {"created_at": now, "submitted_at": now, "decided_at": now}
    session.execute(
        insert(_VERSIONS),
        [
            {"plan_id": plan_of[project_id], "annual_investment": amount} | version | moments
            for project_id, amount in amounts
        ],
    )
    # One set-based statement: on PostgreSQL a thousand one-row UPDATEs cost several times more.
    first = (
        select(PlanVersion.id)
        .where(PlanVersion.plan_id == AnnualPlan.id, PlanVersion.number == 1)
        .scalar_subquery()
    )
    session.execute(
        update(AnnualPlan)
        .where(AnnualPlan.id.in_(list(plan_of.values())))
        .values(current_version_id=first)
        .execution_options(synchronize_session=False)
    )
    if breakdowns:
        _insert_periods(session, list(plan_of.values()), breakdowns, cycle)


def _insert_periods(
    session: Session,
    plan_ids: list[int],
    breakdowns: Mapping[int, Sequence[PeriodFigures]],
    cycle: str,
) -> None:
    """The periods of the versions file_approved_many just made current, in one executemany."""
    ends: dict[str, date] = {}  # a dozen keys for the whole import
    versions = session.execute(
        select(AnnualPlan.project_id, AnnualPlan.current_version_id).where(
            AnnualPlan.id.in_(plan_ids)
        )
    )
    rows = [
        {
            "version_id": version_id,
            "period": p.period,
            "period_end": ends.get(p.period) or ends.setdefault(p.period, _end(cycle, p.period)),
            "planned_investment": p.planned_investment,
            "planned_progress_pct": p.planned_progress_pct,
            "milestone": p.milestone,
            "procedures": p.procedures,
        }
        for project_id, version_id in versions
        for p in breakdowns.get(project_id, ())
    ]
    if rows:
        session.execute(insert(_PERIODS), rows)


def _end(cycle: str, key: str) -> date:
    return periods.parse(cycle, key).end


def current_version(session: Session, project_id: int, year: int) -> PlanVersion | None:
    """The approved plan version in force for a project and year."""
    return session.scalar(
        select(PlanVersion)
        .join(AnnualPlan, AnnualPlan.current_version_id == PlanVersion.id)
        .where(AnnualPlan.project_id == project_id, AnnualPlan.year == year)
    )


def revision_basis(session: Session, project_id: int, year: int) -> PlanVersion | None:
    """The version a new draft starts from: the one in force, else the newest (a returned one)."""
    plan = plan_for(session, project_id, year)
    if plan is None:
        return None
    return plan.current_version or (plan.versions[-1] if plan.versions else None)


def prefilled_fields(version: PlanVersion) -> dict[str, str]:
    """The plan form's inputs filled from ``version`` (amounts without trailing zeros)."""
    fields = {
        "annual_investment": _plain(version.annual_investment),
        "milestones": version.milestones or "",
        "responsible_leader": version.responsible_leader or "",
        "responsible_person": version.responsible_person or "",
    }
    for period in version.periods:
        key = period.period
        fields[f"inv-{key}"] = _plain(period.planned_investment)
        fields[f"pct-{key}"] = _plain(period.planned_progress_pct)
        fields[f"ms-{key}"] = period.milestone or ""
        fields[f"proc-{key}"] = period.procedures or ""
    return fields


def _plain(amount: Decimal) -> str:
    """``1200.0000`` as ``1200``: what a person would type."""
    return f"{amount.normalize():f}"


def plan_for(session: Session, project_id: int, year: int) -> AnnualPlan | None:
    """The annual plan (with all versions) of a project and year."""
    return session.scalar(
        select(AnnualPlan).where(AnnualPlan.project_id == project_id, AnnualPlan.year == year)
    )


def _expect(version: PlanVersion, status: PlanStatus) -> None:
    if version.status != status:
        raise Conflict(
            f"计划第{version.number}版当前状态为“{version.status.label}”，不能执行此操作"
        )


def _note(note: str | None) -> str | None:
    checks = Checks(LABELS)
    text = checks.text("note", note, LONG_TEXT)
    checks.done()
    return text


def _check(
    data: PlanData, year: int, breakdown: str, total: Decimal | None = None
) -> tuple[PlanData, list[tuple[PlanPeriodData, object]]]:
    """The plan to store (text normalised) and its periods with their end days, sorted."""
    checks = Checks(LABELS)
    try:
        ADMIN_YEARS.check_year(year)
    except BadInput as exc:
        checks.fail("year", f"年度 {year} 不合理：{exc}")
    if checks.required("annual_investment", data.annual_investment):
        checks.amount("annual_investment", data.annual_investment)
    annual = data.annual_investment
    if checks.ok("annual_investment") and total is not None and annual > total:
        checks.fail(
            "annual_investment",
            f"年度计划投资 {annual.normalize():f} 万元超过项目总投资 {total.normalize():f} 万元",
        )
    milestones = checks.text("milestones", data.milestones, LONG_TEXT)
    reason = checks.text("reason", data.reason, LONG_TEXT)
    out: list[tuple[PlanPeriodData, object]] = []
    seen: set[str] = set()
    last_pct = Decimal(0)
    for p in data.periods:
        p = replace(
            p,
            milestone=checks.text("milestone", p.milestone, LONG_TEXT),
            procedures=checks.text("procedures", p.procedures, LONG_TEXT),
        )
        try:
            period = periods.parse(breakdown, p.period, "periods")
        except ValidationError as exc:
            checks.errors.extend(exc.errors)
            continue
        if period.start.year != year:
            checks.fail("periods", f"期次 {p.period} 不属于{year}年")
        if p.period in seen:
            checks.fail("periods", f"期次 {p.period} 重复")
        seen.add(p.period)
        checks.amount("planned_investment", p.planned_investment)
        checks.percent("planned_progress_pct", p.planned_progress_pct)
        if not (checks.ok("planned_investment") and checks.ok("planned_progress_pct")):
            continue
        if p.planned_progress_pct < last_pct:
            checks.fail("planned_progress_pct", f"期次 {p.period} 的累计形象进度低于上一期")
        last_pct = p.planned_progress_pct
        out.append((p, period.end))
    if data.periods and checks.ok("planned_investment") and data.annual_investment is not None:
        total = sum((p.planned_investment for p in data.periods), Decimal(0))
        if total != data.annual_investment:
            checks.fail(
                "periods",
                f"各期计划投资合计 {total} 万元，与年度计划投资 {data.annual_investment} 万元不一致",
            )
    checks.done()
    periods_sorted = sorted(out, key=lambda pair: pair[1])  # type: ignore[arg-type,return-value]
    return replace(data, milestones=milestones, reason=reason), periods_sorted
