"""API endpoints of the dispatch meetings (AL3, HD4, DC3, DC7, GS1, GS2, GS6): read only."""

from __future__ import annotations

import re
from typing import Any

from flask import Response, jsonify

from keyproj.db.models import Meeting, SlowReport, Unit
from keyproj.inputs import ADMIN_YEARS, BadInput
from keyproj.services.decisions.views import row_of as item_row
from keyproj.services.meetings.slow_report import rows_in_scope, visible_report
from keyproj.services.meetings.views import MeetingPage, meeting_view, meetings_page
from web.api import bp
from web.api.auth import api_viewer
from web.api.paging import page_response, paging
from web.api.parse import filters
from web.api.serialize import moment
from web.db import db_session, state

SERIES_KEY = re.compile(r"[a-z0-9_]{1,32}")


def _year(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise BadInput("应为四位数字年份")
    return ADMIN_YEARS.check_year(int(text))


def _series(text: str) -> str:
    if not SERIES_KEY.fullmatch(text):
        raise BadInput("应为会议类别的键（小写字母、数字和下划线，至多32个字符）")
    return text


@bp.get("/meetings", endpoint="meetings")
def meetings() -> Response:
    """A page of the meetings the token's user may see, by year and series."""
    asked = paging()
    read = filters()
    year = read.read("year", _year)
    series = read.read("series", _series)  # a key the profile lacks lists no meeting
    read.done()
    page = meetings_page(db_session(), api_viewer(), asked, year=year, series=series)
    return page_response("meetings", page, meeting)


@bp.get("/meetings/<int:meeting_id>", endpoint="meeting")
def meeting_detail(meeting_id: int) -> Response:
    """One meeting with its agenda, the submissions in scope, attendance and minutes."""
    page = meeting_view(db_session(), state().profile, api_viewer(), meeting_id)
    return jsonify(detail(page))


@bp.get("/meetings/slow-reports/<int:slow_report_id>", endpoint="slow_report")
def slow_report(slow_report_id: int) -> Response:
    """《关于进度缓慢重点项目情况的报告》 (AL3): the whole, or a unit's own projects once sent."""
    viewer = api_viewer()
    row = visible_report(db_session(), viewer, slow_report_id)
    return jsonify(slow_report_json(row, rows_in_scope(row, viewer)))


def slow_report_json(row: SlowReport, projects: list[dict[str, Any]]) -> dict[str, Any]:
    """The report with the projects the viewer may read."""
    figures = row.figures
    return {
        "id": row.id,
        "meeting_id": row.meeting_id,
        "meeting": figures["meeting"],
        "addressee": row.addressee,
        "period": figures["period"],
        "period_label": figures["period_label"],
        "produced_at": moment(row.produced_at),
        "number": row.number,
        "sent_at": moment(row.sent_at),
        "projects": [
            {k: v for k, v in p.items() if k not in ("project_id", "unit_id")} for p in projects
        ],
        "measures": figures["measures"] if len(projects) == len(figures["projects"]) else [],
    }


def meeting(row: Meeting) -> dict[str, Any]:
    """A meeting as the list shows it."""
    return {
        "id": row.id,
        "series": row.series,
        "nominal_on": row.nominal_on.isoformat(),
        "held_on": row.held_on.isoformat(),
        "starts_at": row.starts_at.strftime("%H:%M"),
        "place": row.place,
        "chair": row.chair,
        "state": row.state.value,
        "state_label": row.state.label,
        "ask_on": row.ask_on.isoformat() if row.ask_on else None,
        "due_on": row.due_on.isoformat() if row.due_on else None,
        "host_unit": _unit(row.host_unit) if row.host_unit else None,
    }


def detail(page: MeetingPage) -> dict[str, Any]:
    """A meeting with what the viewer may see of it."""
    m = page.meeting
    return {
        **meeting(m),
        "series_name": page.series.name,
        "follow_up": page.follow_up.text if page.follow_up else "",
        "invited_units": [
            {"id": i.unit.id, "code": i.unit.code, "name": i.unit.name} for i in m.invites
        ],
        "agenda": m.agenda,
        "submissions": [
            {
                "id": s.id,
                "unit": {"id": s.unit.id, "code": s.unit.code, "name": s.unit.name},
                "project_code": s.project.code,
                "project_name": s.project.name,
                "progress": s.progress,
                "issues": s.issues,
                "requests": s.requests,
                "state": s.state.value,
                "state_label": s.state.label,
                "review_note": s.review_note,
            }
            for s in page.submissions
        ],
        "attendance": [
            {
                "unit_code": a.unit.code if a.unit else None,
                "person": a.person,
                "status": a.status.value,
                "status_label": a.status.label,
                "reason": a.reason,
            }
            for a in page.attendance
        ],
        "minutes": m.minutes,
        "decided_items": [
            {
                "id": d.id,
                "matter": d.matter,
                "owner_unit_id": d.owner_unit_id,
                "owner_unit": d.owner_unit,
                "due_on": d.due_on.isoformat(),
                "acceptance": d.acceptance,
                "state": d.state,
                "state_label": d.state_label,
                "case_id": d.case_id,
            }
            for d in map(item_row, page.decided)
        ],
    }


def _unit(unit: Unit) -> dict[str, Any]:
    return {"id": unit.id, "code": unit.code, "name": unit.name}
