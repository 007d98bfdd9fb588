"""The office compiles a meeting's agenda (DC3): the approved items with each project's current
figures, the ranking's speakers (GS2) and the slow projects to report (AL3); page and DOCX."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.codes import CaseStatus, MeetingState, ReportStatus, Role, SubmissionState
from keyproj.db.models import AgendaSubmission, Case, EarlyWarning, Meeting, Report
from keyproj.errors import PermissionDenied, ValidationError
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, require_role
from keyproj.services.documents.layout import OfficialDocument, to_docx
from keyproj.services.evaluation.colours import colour_board
from keyproj.services.meetings.agenda import visible_meeting
from keyproj.services.meetings.planning import series_of
from keyproj.services.rankings.compute import rank
from keyproj.services.reference.identity import county_identity
from keyproj.services.reference.wording import period_label

OPEN_WARNINGS = ("open", "reminded", "board")


def compile_agenda(
    session: Session, profile: PolicyProfile, viewer: Viewer, meeting_id: int, now: datetime
) -> Meeting:
    """Freeze the approved items with their projects' figures as they stand now."""
    require_role(viewer, Role.KEY_OFFICE)
    meeting = visible_meeting(session, viewer, meeting_id)
    if meeting.host_unit_id is not None:  # HD4: a department's meeting takes its own projects
        raise PermissionDenied("部门（单位）月调度的议题是召开部门自己的项目，不由重点办汇总")
    if meeting.state not in (MeetingState.COLLECTING, MeetingState.COMPILED):
        raise ValidationError.single("meeting", "会议", "议题征集开始后、会议召开前才能汇总议题")
    series = series_of(profile, meeting.series)
    rows = session.scalars(
        select(AgendaSubmission)
        .where(
            AgendaSubmission.meeting_id == meeting.id,
            AgendaSubmission.state == SubmissionState.APPROVED,
        )
        .order_by(AgendaSubmission.unit_id, AgendaSubmission.project_id)
    ).all()
    period = periods.last_ended(profile.warnings.progress_cycle, meeting.held_on)
    colours = {
        e.project_id: e for e in colour_board(session, viewer, profile, period.key).evaluations
    }
    agenda: dict[str, Any] = {
        "period": period.label,
        "items": [_item(session, r, colours.get(r.project_id)) for r in rows],
        "speakers": _speakers(session, profile, meeting) if series.ranking_speakers else None,
        "slow": [
            {"code": e.code, "name": e.name, "unit": e.unit_name, "colour": e.label}
            for e in colours.values()
            if e.outcome in series.slow_colours
        ],
    }
    meeting.agenda, meeting.compiled_at, meeting.state = agenda, now, MeetingState.COMPILED
    session.flush()
    return meeting


def _item(session: Session, row: AgendaSubmission, evaluation: Any) -> dict[str, Any]:
    project = row.project
    report = session.scalars(
        select(Report)
        .where(Report.project_id == project.id, Report.status == ReportStatus.SUBMITTED)
        .order_by(Report.period_end.desc(), Report.id.desc())
        .limit(1)
    ).first()
    warnings = session.scalar(
        select(func.count())
        .select_from(EarlyWarning)
        .where(EarlyWarning.project_id == project.id, EarlyWarning.status.in_(OPEN_WARNINGS))
    )
    cases = session.scalar(
        select(func.count())
        .select_from(Case)
        .join(EarlyWarning, EarlyWarning.id == Case.warning_id)
        .where(EarlyWarning.project_id == project.id, Case.status == CaseStatus.OPEN)
    )
    return {
        "submission_id": row.id,
        "unit": row.unit.name,
        "project_code": project.code,
        "project": project.name,
        "progress": row.progress,
        "issues": row.issues,
        "requests": row.requests,
        "report_period": report.period if report else None,
        "annual_completed": _wan(report.annual_completed) if report else None,
        "cumulative_completed": _wan(report.cumulative_completed) if report else None,
        "colour": evaluation.label if evaluation else None,
        "open_warnings": int(warnings or 0),
        "open_cases": int(cases or 0),
    }


def _speakers(session: Session, profile: PolicyProfile, meeting: Meeting) -> list[dict[str, Any]]:
    # GS2: the units ranked first and last in the ranking of the last ended period speak.
    period = periods.last_ended(profile.ranking.cadence, meeting.held_on)
    out: list[dict[str, Any]] = []
    for group in rank(session, profile, period.key).groups:
        for row in group.rows:
            for place in row.places:
                out.append(
                    {"group": group.label, "unit": row.unit, "place": place, "rank": row.rank}
                )
    return out


def _wan(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def agenda_lines(meeting: Meeting, name: str) -> list[str]:
    """The compiled agenda as numbered lines (the DOCX body and the page's print view)."""
    agenda = meeting.agenda or {}
    lines = [
        f"会议时间：{meeting.held_on:%Y年%m月%d日} {meeting.starts_at:%H:%M}；主持：{meeting.chair}。"
    ]
    for n, item in enumerate(agenda.get("items", []), start=1):
        figures = (
            f"截至{period_label(item['report_period'])}，年度完成投资{item['annual_completed']}万元、"
            f"累计完成投资{item['cumulative_completed']}万元"
            if item["report_period"]
            else "尚无已报送的进度报告"
        )
        lines.append(
            f"{n}. {item['project']}（{item['unit']}）：{figures}；序时进度评价：{item['colour'] or '无'}；"
            f"未解除预警{item['open_warnings']}条、办理中案件{item['open_cases']}件。"
            f"进展：{item['progress']} 问题：{item['issues'] or '无'} 需解决事项：{item['requests'] or '无'}"
        )
    for s in agenda.get("speakers") or []:
        kind = "典型发言" if s["place"] == "top" else "表态发言"
        lines.append(f"{kind}：{s['unit']}（{s['group']}第{s['rank']}名）")
    slow = agenda.get("slow") or []
    if slow:
        lines.append(
            "进度缓慢项目（报旗委、政府）："
            + "、".join(f"{p['name']}（{p['colour']}）" for p in slow)
        )
    return lines


def agenda_docx(session: Session, profile: PolicyProfile, viewer: Viewer, meeting_id: int) -> bytes:
    """The compiled agenda as an official document (DOCX)."""
    meeting = visible_meeting(session, viewer, meeting_id)
    if meeting.agenda is None:
        raise ValidationError.single("meeting", "会议", "议题尚未汇总")
    name = series_of(profile, meeting.series).name
    county = county_identity(session, profile)
    doc = OfficialDocument(
        issuer=county.notice_issuer,
        number=None,
        title=f"{name}议题",
        addressee="各参会单位",
        body=agenda_lines(meeting, name),
        signature=county.notice_issuer,
        date_text=f"{meeting.compiled_at:%Y年%m月%d日}" if meeting.compiled_at else "",
    )
    return to_docx(doc)
