"""A group's weekly inspection of a project (GS5: 每周开展一次实地督导检查，核实项目建设节点计划):
the plan's milestone shown and whether it was verified, whether the physical progress was
checked, the findings and how grave; a finding's resolution, or the warning it raises."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.clock import beijing_date
from keyproj.codes import COLOURS, WARNING_LEVELS, FindingSeverity
from keyproj.db.models import (
    AnnualPlan,
    EarlyWarning,
    InspectionRecord,
    PlanPeriod,
    Project,
)
from keyproj.errors import Conflict, NotFound, ValidationError
from keyproj.inputs import LONG_TEXT, BadInput, parse_date
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, project_scope, require_role
from keyproj.services.inspections.groups import OFFICE, RECORDERS, group, group_of_project
from keyproj.services.reference.wording import period_label
from keyproj.services.scan.hand import HandWarning, raise_by_hand
from keyproj.validation import Checks

LABELS = {
    "group_id": "检查组",
    "project_id": "项目",
    "inspected_on": "检查日期",
    "severity": "问题程度",
    "findings": "检查发现",
    "level": "预警等级",
    "colour": "预警颜色",
}


@dataclass(frozen=True)
class Inspection:
    """What a group records after checking a project on site."""

    group_id: int
    project_id: int
    inspected_on: str  # YYYY-MM-DD
    milestone_verified: bool
    image_checked: bool
    findings: str | None
    severity: str


def current_milestone(session: Session, project_id: int, day: date) -> str | None:
    """The milestone of the plan period in force on ``day`` (the first ending on or after it),
    from the project's approved plan for the year, with the period's key."""
    row = session.execute(
        select(PlanPeriod.period, PlanPeriod.milestone)
        .join(AnnualPlan, AnnualPlan.current_version_id == PlanPeriod.version_id)
        .where(
            AnnualPlan.project_id == project_id,
            AnnualPlan.year == day.year,
            PlanPeriod.period_end >= day,
        )
        .order_by(PlanPeriod.period_end)
        .limit(1)
    ).first()
    if row is None or not row[1]:
        return None
    return f"{period_label(row[0])}：{row[1]}"


def shown_milestone(stored: str | None) -> str:
    """A record's milestone as pages and bulletins say it: 2026年12月：… (records kept before the
    label was stored hold the raw key, 2026-12：…), or 计划未列节点."""
    if not stored:
        return "计划未列节点"
    key, colon, text = stored.partition("：")
    return f"{period_label(key)}：{text}" if colon else stored


def record(session: Session, viewer: Viewer, data: Inspection, now: datetime) -> InspectionRecord:
    """Store an inspection (key office, supervision offices); the milestone is kept as shown."""
    require_role(viewer, *RECORDERS)
    checks = Checks(LABELS)
    day = _day(checks, data.inspected_on, now)
    if data.severity not in FindingSeverity.labels():
        # Name the choices as the form shows them, not their codes.
        checks.fail("severity", f"请选择{'、'.join(FindingSeverity.labels().values())}之一")
    findings = checks.text("findings", data.findings, LONG_TEXT)
    if data.severity != FindingSeverity.NONE and not findings:
        checks.fail("findings", "发现问题时须写明检查发现")
    checks.done()
    row_group = group(session, data.group_id)
    assigned = group_of_project(session, data.project_id)
    if assigned is None or assigned.id != row_group.id:
        raise ValidationError.single(
            "project_id", "项目", f"该项目不在{row_group.label}的检查项目中"
        )
    assert day is not None
    row = InspectionRecord(
        group_id=row_group.id,
        project_id=data.project_id,
        inspected_on=day,
        week=periods.containing("weekly", day).key,
        milestone_verified=bool(data.milestone_verified),
        milestone=current_milestone(session, data.project_id, day),
        image_checked=bool(data.image_checked),
        findings=findings,
        severity=FindingSeverity(data.severity),
        recorded_by_id=viewer.user_id,
        recorded_at=now,
    )
    session.add(row)
    session.flush()
    return row


def resolve(session: Session, viewer: Viewer, record_id: int, now: datetime) -> InspectionRecord:
    """Mark a record's finding as put right (key office)."""
    require_role(viewer, *OFFICE)
    row = _with_finding(session, record_id)
    if row.resolved_at is None:
        row.resolved_at = now
    session.flush()
    return row


def raise_warning(
    session: Session,
    profile: PolicyProfile,
    viewer: Viewer,
    record_id: int,
    level: str,
    colour: str,
    now: datetime,
) -> EarlyWarning:
    """Turn a finding into a warning raised by hand, with the finding as its evidence; once."""
    require_role(viewer, *OFFICE)
    row = _with_finding(session, record_id)
    if row.warning_id is not None:
        raise Conflict("该检查发现已转为预警")
    checks = Checks(LABELS)
    checks.choice("level", level, WARNING_LEVELS)
    checks.choice("colour", colour, COLOURS)
    checks.done()
    evidence = (
        f"重点项目联合检查组{row.group.label}{row.inspected_on.isoformat()}实地督导检查发现"
        f"（{FindingSeverity.label_of(row.severity)}）：{row.findings}"
    )
    warning = raise_by_hand(
        session, profile, viewer, HandWarning(row.project_id, level, colour, evidence), now
    )
    row.warning_id = warning.id
    session.flush()
    return warning


def records_in_scope(
    session: Session, viewer: Viewer, week: str | None = None, group_id: int | None = None
) -> list[InspectionRecord]:
    """The records of projects the viewer may see, newest first."""
    query = (
        select(InspectionRecord)
        .join(Project, Project.id == InspectionRecord.project_id)
        .where(project_scope(viewer))
    )
    if week:
        query = query.where(InspectionRecord.week == week)
    if group_id:
        query = query.where(InspectionRecord.group_id == group_id)
    order = (InspectionRecord.inspected_on.desc(), InspectionRecord.id.desc())
    return list(session.scalars(query.order_by(*order)))


def unresolved_by_unit(session: Session) -> dict[int, int]:
    """Each responsible unit's findings not yet put right, counted."""
    rows = session.execute(
        select(Project.lead_unit_id, func.count())
        .join(InspectionRecord, InspectionRecord.project_id == Project.id)
        .where(
            InspectionRecord.severity != FindingSeverity.NONE,
            InspectionRecord.resolved_at.is_(None),
        )
        .group_by(Project.lead_unit_id)
    )
    return {unit_id: count for unit_id, count in rows}


def record_in_scope(session: Session, viewer: Viewer, record_id: int) -> InspectionRecord:
    """One record the viewer may see; NotFound otherwise."""
    row = session.scalar(
        select(InspectionRecord)
        .join(Project, Project.id == InspectionRecord.project_id)
        .where(InspectionRecord.id == record_id, project_scope(viewer))
    )
    if row is None:
        raise NotFound(f"检查记录 {record_id} 不存在或无权查看")
    return row


def _with_finding(session: Session, record_id: int) -> InspectionRecord:
    row = session.get(InspectionRecord, record_id, with_for_update=True)
    if row is None:
        raise NotFound(f"检查记录 {record_id} 不存在")
    if row.severity == FindingSeverity.NONE:
        raise Conflict("该次检查未发现问题")
    return row


def _day(checks: Checks, text: str, now: datetime) -> date | None:
    if not checks.required("inspected_on", text):
        return None
    try:
        day = parse_date(str(text).strip())
    except BadInput as exc:
        checks.fail("inspected_on", str(exc))
        return None
    if day > beijing_date(now):
        checks.fail("inspected_on", "不能晚于今天")
        return None
    return day
