"""Meeting pages (AL3, HD4, DC3, DC7, GS1, GS2, GS6): the year's meetings by series with the
schedule, one meeting with its agenda, submissions, attendance and minutes, and their forms."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SubmitField

from keyproj.clock import now_utc, today_beijing
from keyproj.codes import Attendance, MeetingState, Role, SubmissionState
from keyproj.errors import CalendarYearMissing, Conflict, ValidationError
from keyproj.services.access import require_role
from keyproj.services.admin.units import all_units
from keyproj.services.decisions.views import row_of as item_row
from keyproj.services.meetings import (
    absence,
    agenda,
    compiling,
    holding,
    offices,
    planning,
    schedule,
)
from keyproj.services.meetings.slow_report import visible_slow_report
from keyproj.services.meetings.views import meeting_view, year_view
from keyproj.services.reference.calendar import cached_calendar
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.downloads import DOCX, attachment

bp = Blueprint("meetings", __name__)
ATTENDANCE_FIELDS = ("unit_code", "person", "status", "reason")
ITEM_FIELDS = ("matter", "owner_unit_code", "due_on", "acceptance", "project_code")
SUBMISSION_FIELDS = ("project_code", "progress", "issues", "requests")


class ActionForm(FlaskForm):
    """The CSRF check of every form on the meeting pages; their fields are read as rows."""

    submit = SubmitField("提交")


def _year() -> int:
    raw = request.args.get("year", "")
    if not raw:
        return today_beijing().year
    if not (raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100):
        raise ValidationError.single("year", "年度", "应为2000至2100之间的年份")
    return int(raw)


@bp.route("/meetings", endpoint="index")
def index() -> str:
    """The year's meetings of each series, with the days a holiday moved."""
    year = _year()
    session = db_session()
    try:
        series = year_view(
            session, state().profile, cached_calendar(session), current_viewer(), year
        )
        missing = None
    except CalendarYearMissing as exc:
        series, missing = [], str(exc)
    viewer = current_viewer()
    return render_template(
        "meetings/index.html",
        year=year,
        series=series,
        missing=missing,
        form=ActionForm(),
        may_open=viewer.has(Role.KEY_OFFICE),
        states=MeetingState,
    )


@bp.route("/meetings/open", methods=["POST"], endpoint="open")
def open_() -> BaseResponse:
    """The key office opens a scheduled meeting ahead of the beat job, to set its place."""
    viewer = current_viewer()
    require_role(viewer, Role.KEY_OFFICE)
    if not ActionForm().validate():
        abort(400)
    session, profile = db_session(), state().profile
    key, raw = request.form.get("series", ""), request.form.get("nominal_on", "")
    with commit_or_refuse(ValidationError) as outcome:
        series = planning.series_of(profile, key)
        calendar = cached_calendar(session)
        day = date.fromisoformat(raw) if _is_day(raw) else None
        slot = next(
            (s for s in schedule.year_schedule(series, calendar, day.year) if s.nominal == day)
            if day
            else iter(()),
            None,
        )
        if slot is None:
            raise ValidationError.single("nominal_on", "会议日期", "不是该会议排期中的日期")
        meeting = planning.open_meeting(session, profile, calendar, key, slot, now_utc())
    if outcome.refusal is not None:
        flash(str(outcome.refusal), "error")
        return redirect(url_for("meetings.index"), 303)
    return redirect(url_for("meetings.show", meeting_id=meeting.id), 303)


@bp.route("/meetings/offices", methods=["GET", "POST"], endpoint="offices")
def offices_() -> BaseResponse | str:
    """The key office names the unit behind each office that follows up decided items (DC7)."""
    viewer = current_viewer()
    require_role(viewer, Role.KEY_OFFICE)
    session, profile = db_session(), state().profile
    if request.method == "POST":
        _check()
        with commit_or_refuse(ValidationError) as outcome:
            offices.map_office(
                session,
                profile,
                viewer,
                request.form.get("office", ""),
                request.form.get("unit_code", ""),
                now_utc(),
            )
        outcome.flash("督办单位已保存：此后记录的议定事项逾期时由该单位督办")
        return redirect(url_for("meetings.offices"), 303)
    return render_template(
        "meetings/offices.html",
        rows=offices.office_rows(session, profile),
        units=all_units(session),
        form=ActionForm(),
    )


@bp.route("/meetings/<int:meeting_id>", endpoint="show")
def show(meeting_id: int) -> str:
    """One meeting: the agenda, the items, attendance, minutes and the forms the viewer may use."""
    return _show(meeting_id)


def _show(meeting_id: int, typed: Mapping[str, object] | None = None) -> str:
    """The meeting's page; ``typed`` is what a refused form held, shown again to be put right."""
    session, viewer = db_session(), current_viewer()
    page = meeting_view(session, state().profile, viewer, meeting_id)
    typed = typed or {}
    invites = [i.unit.code for i in page.meeting.invites]
    attendance = typed.get("att") or [{"unit_code": code} for code in invites]
    return render_template(
        "meetings/show.html",
        page=page,
        decided=[item_row(i) for i in page.decided],
        form=ActionForm(),
        lines=compiling.agenda_lines(page.meeting, page.series.name) if page.meeting.agenda else [],
        states=SubmissionState,
        attendance_labels=Attendance.labels(),
        # DC7 三(一) and AL3 第三条(二)5: what followed the meeting (web/meeting_reports.py).
        absences=absence.of_meeting(session, viewer, meeting_id),
        slow_report=visible_slow_report(session, state().profile, viewer, page.meeting),
        may_decide=viewer.has(Role.KEY_OFFICE, Role.ADMIN),
        typed=typed,
        attendance_rows=_padded(attendance, max(len(invites), 3)),
        item_rows=_padded(typed.get("items") or [], 3),
    )


def _padded(rows: object, count: int) -> list[dict[str, str]]:
    """``rows`` followed by blank rows up to ``count``: the form always has room to add."""
    kept = list(rows) if isinstance(rows, list) else []
    return kept + [{} for _ in range(count - len(kept))]


@bp.route("/meetings/<int:meeting_id>/ask", methods=["POST"], endpoint="ask")
def ask(meeting_id: int) -> BaseResponse:
    """The key office asks the units for agenda items now (the beat job does it on the ask day)."""
    viewer = current_viewer()
    require_role(viewer, Role.KEY_OFFICE)
    _check()
    session = db_session()
    with commit_or_refuse(ValidationError) as outcome:
        meeting = agenda.visible_meeting(session, viewer, meeting_id)
        planning.ask_units(session, state().profile, meeting, now_utc())
    outcome.flash("已通知各责任单位报送议题")
    return _back(meeting_id)


@bp.route("/meetings/<int:meeting_id>/schedule", methods=["POST"], endpoint="reschedule")
def reschedule(meeting_id: int) -> BaseResponse:
    """The key office sets the meeting's day, time and place as the notice gives them."""
    _check()
    session = db_session()
    with commit_or_refuse(ValidationError) as outcome:
        planning.reschedule(
            session,
            state().profile,
            cached_calendar(session),
            current_viewer(),
            meeting_id,
            request.form,
        )
    outcome.flash("会议时间地点已保存")
    return _back(meeting_id)


@bp.route("/meetings/<int:meeting_id>/submissions", methods=["POST"], endpoint="submit")
def submit(meeting_id: int) -> BaseResponse | tuple[str, int]:
    """A unit's agenda item for one of its projects."""
    _check()
    with commit_or_refuse(ValidationError) as outcome:
        agenda.submit(db_session(), current_viewer(), meeting_id, request.form, now_utc())
    outcome.flash("议题已报送，待分包领导审核")
    if outcome.refusal is not None:  # the unit's text stays in the form to be put right
        typed = {f: request.form.get(f, "") for f in SUBMISSION_FIELDS}
        return _show(meeting_id, {"submission": typed}), 422
    return _back(meeting_id)


@bp.route("/meetings/submissions/<int:submission_id>", methods=["POST"], endpoint="review")
def review(submission_id: int) -> BaseResponse:
    """The leader in charge approves or returns an item."""
    _check()
    approve = request.form.get("decision") == "approve"
    session = db_session()
    with commit_or_refuse(ValidationError) as outcome:
        row = agenda.review(
            session,
            current_viewer(),
            submission_id,
            approve,
            request.form.get("note", ""),
            now_utc(),
        )
    outcome.flash("已同意" if approve else "已退回")
    meeting_id = row.meeting_id if outcome.refusal is None else int(request.form.get("meeting", 0))
    return _back(meeting_id)


@bp.route("/meetings/<int:meeting_id>/compile", methods=["POST"], endpoint="compile")
def compile_(meeting_id: int) -> BaseResponse:
    """The key office compiles the approved items into the agenda."""
    _check()
    with commit_or_refuse(ValidationError) as outcome:
        compiling.compile_agenda(
            db_session(), state().profile, current_viewer(), meeting_id, now_utc()
        )
    outcome.flash("议题已汇总")
    return _back(meeting_id)


@bp.route("/meetings/<int:meeting_id>/agenda.docx", endpoint="docx")
def docx(meeting_id: int) -> BaseResponse:
    """The compiled agenda as DOCX."""
    session, profile, viewer = db_session(), state().profile, current_viewer()
    body = compiling.agenda_docx(session, profile, viewer, meeting_id)
    meeting = agenda.visible_meeting(session, viewer, meeting_id)
    name = planning.series_of(profile, meeting.series).name
    return attachment(body, DOCX, f"{meeting.held_on:%Y年%m月%d日}{name}议题.docx")


@bp.route("/meetings/<int:meeting_id>/hold", methods=["POST"], endpoint="hold")
def hold(meeting_id: int) -> BaseResponse | tuple[str, int]:
    """Record the meeting as held: attendance, minutes and the decided items."""
    _check()
    attendance = _rows("att", ATTENDANCE_FIELDS, "person")
    items = _rows("item", ITEM_FIELDS, "matter")
    with commit_or_refuse(ValidationError, Conflict) as outcome:
        held = holding.hold(
            db_session(),
            state().profile,
            current_viewer(),
            meeting_id,
            attendance,
            request.form.get("minutes", ""),
            items,
            now_utc(),
        )
    if outcome.refusal is None and held.absent_without_leave:
        names = "、".join(r.person for r in held.absent_without_leave)
        proposed = "，已提出通报批评建议待确认" if held.proposed else ""
        flash(f"无故缺席：{names}（已标记{proposed}）", "warning")
    if outcome.refusal is None and held.substitutes:
        names = "、".join(r.person for r in held.substitutes)
        flash(f"替会：{names}（一把手未参会，已标记）", "warning")
    outcome.flash("会议已记录")
    if isinstance(outcome.refusal, ValidationError):
        # The attendance, minutes and items typed stay in the form: nothing was saved.
        typed = {"att": attendance, "items": items, "minutes": request.form.get("minutes", "")}
        return _show(meeting_id, typed), 422
    return _back(meeting_id)


def _rows(prefix: str, fields: tuple[str, ...], required: str) -> list[dict[str, str]]:
    """The form's rows (inputs named ``<prefix>_<field>``, one per row); blank rows dropped."""
    columns = {f: request.form.getlist(f"{prefix}_{f}") for f in fields}
    count = len(columns[required])
    rows = [
        {f: (columns[f][i] if i < len(columns[f]) else "") for f in fields} for i in range(count)
    ]
    return [r for r in rows if any(v.strip() for k, v in r.items() if k != "status")]


def _check() -> None:
    if not ActionForm().validate():
        abort(400)


def _back(meeting_id: int) -> BaseResponse:
    return redirect(url_for("meetings.show", meeting_id=meeting_id), 303)


def _is_day(raw: str) -> bool:
    try:
        date.fromisoformat(raw)
    except ValueError:
        return False
    return True
