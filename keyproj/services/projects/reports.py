"""Periodic progress reports (LP8, AL6, HD2, GS1): draft → (sign-off) → submitted and locked; amendments."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.clock import BEIJING, now_utc
from keyproj.codes import (
    PROCEDURE_ITEMS,
    PROCEDURE_STATUSES,
    START_STATUSES,
    STARTED,
    ReportStatus,
    Role,
    StartStatus,
)
from keyproj.db.models import Project, Report, ReportAmendment
from keyproj.errors import Conflict, PermissionDenied, ValidationError
from keyproj.inputs import LONG_TEXT, WORKS_YEARS
from keyproj.paging import Page, Paging, fetch_page
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, require_project_writer
from keyproj.services.projects.distribution import distribute
from keyproj.services.reference import outbox
from keyproj.validation import Checks

LABELS = {
    "period": "期次",
    "total_investment": "项目总投资（万元）",
    "cumulative_completed": "累计完成投资（万元）",
    "annual_plan_investment": "年度计划投资（万元）",
    "annual_completed": "年度完成投资（万元）",
    "start_status": "开（复）工情况",
    "started_on": "开（复）工日期",
    "expected_start": "预计开（复）工日期",
    "not_started_reason": "未开工原因",
    "procedures": "手续办理情况",
    "progress_text": "形象进度",
    "progress_pct": "工程完成比例（%）",
    "issues_text": "存在问题",
    "measures_text": "措施建议",
    "reason": "更正原因",
}


@dataclass
class ReportData:
    """The AL6 content of a report."""

    total_investment: Decimal
    cumulative_completed: Decimal
    annual_plan_investment: Decimal
    annual_completed: Decimal
    start_status: str
    progress_pct: Decimal
    started_on: date | None = None
    expected_start: date | None = None
    not_started_reason: str | None = None
    procedures: dict[str, dict[str, str]] = field(default_factory=dict)
    progress_text: str | None = None
    issues_text: str | None = None
    measures_text: str | None = None


FIELDS = tuple(f.name for f in fields(ReportData))
AMOUNTS = ("total_investment", "cumulative_completed", "annual_plan_investment", "annual_completed")
TEXTS = ("not_started_reason", "progress_text", "issues_text", "measures_text")
DATES = ("started_on", "expected_start")
NOTE_LIMIT = 200  # a procedure item's note
REASON_LIMIT = 1000  # an amendment's reason


def save_draft(
    session: Session,
    viewer: Viewer | None,
    project: Project,
    period_key: str,
    data: ReportData,
    profile: PolicyProfile,
    today: date,
) -> Report:
    """Create or update the draft for a period; a submitted period is refused (amend it instead)."""
    if viewer is not None:
        require_project_writer(viewer, project)
    period = _reportable_period(period_key, profile, today)
    data = check_report_data(data, today)
    report = session.scalar(
        select(Report).where(Report.project_id == project.id, Report.period == period.key)
    )
    if report is not None and report.status != ReportStatus.DRAFT:
        raise ValidationError.single(
            "period",
            LABELS["period"],
            f"{period.label}的报表已于{_when(report)}报送，同一期次不能再报；如需修改请提交更正并说明原因",
        )
    if report is None:
        report = Report(project_id=project.id, period=period.key, period_end=period.end)
        report.created_by_id = viewer.user_id if viewer else None
        session.add(report)
    _write(report, data)
    session.flush()
    return report


def submit(
    session: Session, viewer: Viewer | None, report: Report, profile: PolicyProfile
) -> Report:
    """Submit a draft: it locks, or waits for the unit head's signature where the profile asks (AL6)."""
    if viewer is not None:
        require_project_writer(viewer, report.project)
    if report.status != ReportStatus.DRAFT:
        raise Conflict(f"报表当前状态为“{report.status.label}”，不能再次报送")
    now = now_utc()
    report.submitted_by_id, report.submitted_at = (viewer.user_id if viewer else None), now
    needs_head = profile.reporting.sign_off_by_unit_head
    if needs_head and not (viewer is None or viewer.has(Role.UNIT_HEAD)):
        report.status = ReportStatus.PENDING_SIGN_OFF
    else:
        report.status = ReportStatus.SUBMITTED
        if needs_head:
            report.signed_off_by_id = viewer.user_id if viewer else None
            report.signed_off_at = now
    session.flush()
    if report.status == ReportStatus.SUBMITTED:
        _request_scan(session, report, now)
        distribute(session, report, profile, now)
    return report


def submit_report(
    session: Session,
    viewer: Viewer | None,
    project: Project,
    period_key: str,
    data: ReportData,
    profile: PolicyProfile,
    today: date,
) -> Report:
    """Save and submit in one step (API, imports, demo)."""
    report = save_draft(session, viewer, project, period_key, data, profile, today)
    return submit(session, viewer, report, profile)


def sign_off(
    session: Session, viewer: Viewer, report: Report, profile: PolicyProfile | None = None
) -> Report:
    """The lead unit's head signs a report that waits for it; it then locks (AL6)."""
    if not (viewer.has(Role.UNIT_HEAD) and viewer.unit_id == report.project.lead_unit_id):
        raise PermissionDenied("只有牵头责任单位负责人可以签字")
    if report.status != ReportStatus.PENDING_SIGN_OFF:
        raise Conflict(f"报表当前状态为“{report.status.label}”，无需签字")
    now = now_utc()
    report.status, report.signed_off_by_id, report.signed_off_at = (
        ReportStatus.SUBMITTED,
        viewer.user_id,
        now,
    )
    session.flush()
    _request_scan(session, report, now)
    if profile is not None:
        distribute(session, report, profile, now)
    return report


def _request_scan(session: Session, report: Report, now: datetime) -> None:
    """A submitted report may raise or clear warnings: ask the workers for a scan (in this transaction)."""
    payload = {"report_id": report.id, "project_id": report.project_id, "period": report.period}
    outbox.request(session, outbox.SCAN, payload, now)


def amend(
    session: Session,
    viewer: Viewer | None,
    report: Report,
    changes: dict[str, Any],
    reason: str,
    today: date,
) -> ReportAmendment:
    """Correct a submitted report: every changed field's old and new value, who, when and why (AL6)."""
    if viewer is not None:
        require_project_writer(viewer, report.project)
    if report.status != ReportStatus.SUBMITTED:
        raise Conflict("只有已报送的报表需要更正；草稿可直接修改")
    reason_checks = Checks(LABELS)
    why = reason_checks.text("reason", reason, REASON_LIMIT)
    if why is None and reason_checks.ok("reason"):
        reason_checks.fail("reason", "更正报表须说明原因")
    reason_checks.done()
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise ValidationError.single(unknown[0], unknown[0], "不是报表中可更正的栏目")
    old = _read(report)
    new = check_report_data(replace(old, **changes), today)
    # Stored before entries were tidied, a blank note is no content: it is not a change.
    old = replace(old, procedures=_tidy(old.procedures))
    diff = [
        {
            "field": name,
            "label": LABELS[name],
            "old": _plain(getattr(old, name)),
            "new": _plain(getattr(new, name)),
        }
        for name in FIELDS
        if getattr(old, name) != getattr(new, name)
    ]
    if not diff:
        raise ValidationError.single("changes", "更正内容", "没有修改任何内容")
    _write(report, new)
    amendment = ReportAmendment(
        report_id=report.id,
        changes=diff,
        reason=why,
        amended_by_id=viewer.user_id if viewer else 0,
        amended_at=now_utc(),
    )
    session.add(amendment)
    session.flush()
    _request_scan(session, report, amendment.amended_at)  # corrected figures may change warnings
    return amendment


def check_report_data(data: ReportData, today: date) -> ReportData:
    """Field checks of the AL6 content; the data to store (text normalised) when they pass."""
    checks = Checks(LABELS)
    for name in AMOUNTS:
        if checks.required(name, getattr(data, name)):
            checks.amount(name, getattr(data, name))
    texts: dict[str, Any] = {
        name: checks.text(name, getattr(data, name), LONG_TEXT) for name in TEXTS
    }
    for name in DATES:
        checks.day(name, getattr(data, name), WORKS_YEARS)
    both_ok = checks.ok("annual_completed") and checks.ok("cumulative_completed")
    if both_ok and data.annual_completed > data.cumulative_completed:
        checks.fail("annual_completed", "年度完成投资不能大于累计完成投资")
    if checks.required("progress_pct", data.progress_pct):
        checks.percent("progress_pct", data.progress_pct)
    checks.choice("start_status", data.start_status, START_STATUSES)
    if data.start_status in STARTED and data.started_on is None:
        checks.fail("started_on", "已开（复）工的项目须填写开（复）工日期")
    if checks.ok("started_on") and data.started_on is not None and data.started_on > today:
        checks.fail("started_on", "开（复）工日期不能晚于今天")
    if (
        data.start_status == StartStatus.NOT_STARTED
        and checks.ok("not_started_reason")
        and not texts["not_started_reason"]
    ):
        checks.fail("not_started_reason", "未开工的项目须说明原因（AL6）")
    procedures = _procedures(checks, data.procedures)
    checks.done()
    return replace(data, procedures=procedures, **texts)


def _procedures(checks: Checks, value: Any) -> dict[str, dict[str, str]]:
    """The procedure items as stored: {item: {"status": code, "note": text}}, nothing else."""
    if not isinstance(value, dict):
        checks.fail("procedures", '应为对象，如 {"environment": {"status": "approved"}}')
        return {}
    out: dict[str, dict[str, str]] = {}
    for item, entry in value.items():
        checks.choice("procedures", item, PROCEDURE_ITEMS)
        if not isinstance(entry, dict) or set(entry) - {"status", "note"}:
            checks.fail("procedures", f'{item}：应为 {{"status": …, "note": …}}')
            continue
        status = entry.get("status")
        if not isinstance(status, str):
            checks.fail("procedures", f"{item}：须填写办理状态 status")
            continue
        checks.choice("procedures", status, PROCEDURE_STATUSES)
        note = checks.text("procedures", entry.get("note"), NOTE_LIMIT)
        out[item] = {"status": status, "note": note} if note else {"status": status}
    return out


def _tidy(procedures: dict[str, Any] | None) -> dict[str, Any]:
    return {
        item: {k: v for k, v in entry.items() if v} if isinstance(entry, dict) else entry
        for item, entry in (procedures or {}).items()
    }


def reported_periods(session: Session, project_id: int) -> set[str]:
    """The periods a project has already submitted (or sent for sign-off): not to be offered again."""
    return set(
        session.scalars(
            select(Report.period).where(
                Report.project_id == project_id, Report.status != ReportStatus.DRAFT
            )
        )
    )


def default_period(
    profile: PolicyProfile, today: date, reported: Collection[str], recent: int
) -> str | None:
    """Issue 15: the period a new report defaults to: the newest of the ``recent`` periods that
    has ended (before ``today``) and is not in ``reported``; None rather than one under way."""
    cycle = profile.reporting.cycle
    period = periods.containing(cycle, today)
    for _ in range(recent):
        if period.end < today and period.key not in reported:
            return period.key
        period = periods.containing(cycle, period.start - timedelta(days=1))
    return None


def reports_of(session: Session, project_id: int) -> list[Report]:
    """A project's reports, newest period first."""
    return list(session.scalars(_reports_query(project_id)))


def report_list(session: Session, project_id: int, paging: Paging) -> Page[Report]:
    """One page of a project's reports, newest period first, and how many it has."""
    return fetch_page(session, _reports_query(project_id), paging)


def _reports_query(project_id: int) -> Select[Report]:
    # The id breaks ties (a period's report and its AL7 start-day report end on the same day).
    return (
        select(Report)
        .where(Report.project_id == project_id)
        .order_by(Report.period_end.desc(), Report.id.desc())
    )


def _reportable_period(key: str, profile: PolicyProfile, today: date) -> periods.Period:
    period = periods.parse(profile.reporting.cycle, key)
    if period.start > today:
        raise ValidationError.single(
            "period", LABELS["period"], f"{period.label}尚未开始，不能填报未来期次"
        )
    return period


def _read(report: Report) -> ReportData:
    return ReportData(**{name: getattr(report, name) for name in FIELDS})


def _write(report: Report, data: ReportData) -> None:
    for name in FIELDS:
        setattr(report, name, getattr(data, name))
    # Store an independent copy: the JSON column must not share the caller's dict.
    report.procedures = {k: dict(v) for k, v in data.procedures.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _when(report: Report) -> str:
    if report.submitted_at is None:
        return "此前"
    return report.submitted_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
