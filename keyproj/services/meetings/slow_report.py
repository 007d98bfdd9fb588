"""AL3 第三条(二)5: 对于进度缓慢、存在问题较多、影响整体项目工作推进的重大项目，及时向旗委、政府报告.
After a held meeting the key office produces 《关于进度缓慢重点项目情况的报告》 (each slow project
with its figures, open issues and warnings and the measures the meeting decided), frozen as
produced; marking it sent numbers it and tells the projects' units their project was reported."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.clock import BEIJING
from keyproj.codes import (
    COLOURS,
    UNIT_STAFF_ROLES,
    IssueStatus,
    MeetingState,
    NotificationKind,
    Role,
)
from keyproj.db.models import DecidedItem, EarlyWarning, Meeting, ProjectIssue, SlowReport
from keyproj.errors import Conflict, NotFound, ValidationError
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, require_role
from keyproj.services.awards.evaluations import sees_all
from keyproj.services.cases.numbering import next_number
from keyproj.services.evaluation.colours import Evaluation, colour_board
from keyproj.services.meetings.agenda import visible_meeting
from keyproj.services.meetings.planning import series_of
from keyproj.services.notifications.store import Message, notify, unit_users
from keyproj.services.reference.identity import county_identity

TITLE = "关于进度缓慢重点项目情况的报告"
OPEN_WARNINGS = ("open", "reminded", "board")


def produce(
    session: Session, profile: PolicyProfile, viewer: Viewer, meeting_id: int, now: datetime
) -> SlowReport:
    """The key office produces the held meeting's report; once a meeting."""
    require_role(viewer, Role.KEY_OFFICE)
    meeting = visible_meeting(session, viewer, meeting_id)
    series = series_of(profile, meeting.series)
    if series.slow_report_to is None:
        raise ValidationError.single("meeting", "会议", "本类会议不报送进度缓慢项目报告")
    if meeting.state != MeetingState.HELD:
        raise ValidationError.single("meeting", "会议", "会议召开并记录后才能形成进度缓慢项目报告")
    if of_meeting(session, meeting.id) is not None:
        raise Conflict("本次会议的进度缓慢项目报告已形成")
    period = periods.last_ended(profile.warnings.progress_cycle, meeting.held_on)
    board = colour_board(session, viewer, profile, period.key)
    slow = [e for e in board.evaluations if e.outcome in series.slow_colours]
    if not slow:
        raise ValidationError.single(
            "meeting", "会议", f"{period.label}没有进度缓慢的项目，无需报告"
        )
    decided = _decided(
        session, meeting, "approval_meeting" if series.approval_meeting else "meeting"
    )
    figures = {
        "meeting": f"{meeting.held_on:%Y年%m月%d日}{series.name}",
        "period": period.key,
        "period_label": period.label,
        "colours": [COLOURS[c] for c in series.slow_colours],
        "projects": [_project(session, e, decided) for e in slow],
        "measures": [_measure(d) for d in decided if d.project_id is None],
    }
    row = SlowReport(
        meeting_id=meeting.id,
        addressee=series.slow_report_to,
        figures=figures,
        produced_at=now,
        produced_by_id=viewer.user_id,
    )
    session.add(row)
    session.flush()
    return row


def mark_sent(
    session: Session, profile: PolicyProfile, viewer: Viewer, report_id: int, now: datetime
) -> SlowReport:
    """The key office marks the report sent: it takes its 文号 and the units are told."""
    require_role(viewer, Role.KEY_OFFICE)
    row = session.get(SlowReport, report_id, with_for_update=True)
    if row is None:
        raise NotFound(f"报告 {report_id} 不存在或无权查看")
    if row.sent_at is not None:
        raise Conflict(f"该报告已报送（{row.number}）")
    year = now.astimezone(BEIJING).year
    row.number = next_number(session, number_prefix(session, profile), year)
    row.sent_at, row.sent_by_id = now, viewer.user_id
    session.flush()
    _tell_units(session, row, now)
    return row


def number_prefix(session: Session, profile: PolicyProfile) -> str:
    """The report's 文号 prefix: the key office's, e.g. 阿左发改报告 beside 阿左发改预警."""
    return county_identity(session, profile).warning_notice_prefix.removesuffix("预警") + "报告"


def of_meeting(session: Session, meeting_id: int) -> SlowReport | None:
    """The meeting's report, if produced."""
    return session.scalar(select(SlowReport).where(SlowReport.meeting_id == meeting_id))


def visible_report(session: Session, viewer: Viewer, report_id: int) -> SlowReport:
    """The report for the offices and leaders; for a unit's staff once sent and only if it
    lists one of the unit's projects. NotFound otherwise (no existence leak)."""
    row = session.get(SlowReport, report_id)
    if row is None or not (sees_all(viewer) or (row.sent_at and rows_in_scope(row, viewer))):
        raise NotFound(f"报告 {report_id} 不存在或无权查看")
    return row


def rows_in_scope(row: SlowReport, viewer: Viewer) -> list[dict[str, Any]]:
    """The report's projects the viewer may read: all, or their own unit's."""
    projects: list[dict[str, Any]] = row.figures["projects"]
    if sees_all(viewer):
        return projects
    if not viewer.has(*UNIT_STAFF_ROLES):
        return []
    return [p for p in projects if p["unit_id"] == viewer.unit_id]


@dataclass(frozen=True)
class OnMeeting:
    """The report as the meeting page lists it: the report if the viewer may read it, and
    whether the key office may produce it now."""

    report: SlowReport | None
    may_produce: bool


def visible_slow_report(
    session: Session, profile: PolicyProfile, viewer: Viewer, meeting: Meeting
) -> OnMeeting | None:
    """The meeting's report for its page; None where the series reports none (AL3 only)."""
    if series_of(profile, meeting.series).slow_report_to is None:
        return None
    row = of_meeting(session, meeting.id)
    readable = row is not None and (
        sees_all(viewer) or bool(row.sent_at and rows_in_scope(row, viewer))
    )
    office = viewer.has(Role.KEY_OFFICE)
    return OnMeeting(
        row if readable else None,
        office and row is None and meeting.state == MeetingState.HELD,
    )


def reported_units(row: SlowReport) -> list[int]:
    """The units whose projects the report lists."""
    return sorted({p["unit_id"] for p in row.figures["projects"]})


def _decided(session: Session, meeting: Meeting, kind: str) -> list[DecidedItem]:
    return list(
        session.scalars(
            select(DecidedItem)
            .where(DecidedItem.origin_kind == kind, DecidedItem.origin_ref_id == meeting.id)
            .order_by(DecidedItem.position, DecidedItem.id)
        )
    )


def _project(session: Session, e: Evaluation, decided: list[DecidedItem]) -> dict[str, Any]:
    standing = e.standing
    issues = session.scalars(
        select(ProjectIssue)
        .where(ProjectIssue.project_id == e.project_id, ProjectIssue.status != IssueStatus.RESOLVED)
        .order_by(ProjectIssue.opened_on, ProjectIssue.id)
    ).all()
    warnings = session.scalars(
        select(EarlyWarning)
        .where(EarlyWarning.project_id == e.project_id, EarlyWarning.status.in_(OPEN_WARNINGS))
        .order_by(EarlyWarning.raised_at, EarlyWarning.id)
    ).all()
    return {
        "project_id": e.project_id,
        "code": e.code,
        "name": e.name,
        "unit_id": e.unit_id,
        "unit": e.unit_name,
        "colour": e.outcome,
        "colour_label": e.label,
        "as_of": standing.as_of.isoformat() if standing else None,
        "planned": _wan(standing.planned) if standing else None,
        "completed": _wan(standing.completed) if standing else None,
        "rate": _pct(standing.investment_ratio) if standing else None,
        "progress_pct": _wan(standing.progress_pct) if standing else None,
        "planned_pct": _wan(standing.planned_pct) if standing else None,
        "issues": [{"title": i.title, "opened_on": i.opened_on.isoformat()} for i in issues],
        "warnings": [
            {"label": f"{w.colour.label}{w.level.label}", "rule_id": w.rule_id, "period": w.period}
            for w in warnings
        ],
        "measures": [_measure(d) for d in decided if d.project_id == e.project_id],
    }


def _measure(item: DecidedItem) -> dict[str, Any]:
    return {
        "matter": item.matter,
        "owner_unit": item.owner_unit.name,
        "due_on": item.due_on.isoformat(),
    }


def _wan(value: Decimal) -> str:
    return f"{value:.2f}"


def _pct(value: Decimal | None) -> str | None:
    return None if value is None else f"{value * 100:.1f}%"


def _tell_units(session: Session, row: SlowReport, now: datetime) -> None:
    deliveries = []
    users = unit_users(session, reported_units(row))
    for project in row.figures["projects"]:
        message = Message(
            NotificationKind.SLOW_REPORTED,
            f"项目已报{row.addressee}：{project['name']}",
            f"{project['name']}（序时进度评价{project['colour_label']}）列入{row.figures['meeting']}"
            f"后的《{TITLE}》（{row.number}），已报{row.addressee}。请加快推进。",
            f"/meetings/slow-reports/{row.id}",
        )
        for uid in users.get(project["unit_id"], []):
            deliveries.append((uid, f"slow-report:{row.id}:{project['project_id']}", message))
    notify(session, deliveries, now)
