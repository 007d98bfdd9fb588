"""Interview pages (约谈, HD6): the register with its state filter, the key office's record
form and run-now button, an interview's page with its schedule, hold and dismiss forms, the
commitments each unit marks done, and the 约谈通知书 as DOCX."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from keyproj.clock import now_utc, today_beijing
from keyproj.codes import UNIT_STAFF_ROLES, InterviewState, InterviewTrigger
from keyproj.errors import Conflict, ValidationError
from keyproj.services.interviews import lifecycle, notices, register
from keyproj.services.interviews.lifecycle import Record
from keyproj.services.interviews.typed import CommitmentRow
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.downloads import DOCX, attachment
from web.paging import kept_args, paging

bp = Blueprint("interviews", __name__)
BLANK_ROWS = 5  # commitment rows the hold form offers
REFUSALS = (ValidationError, Conflict)  # PermissionDenied is the 403 page


@bp.route("/interviews", endpoint="index")
def index() -> str:
    """The register, filterable by state; the key office records one or runs the proposals."""
    return _index()


@bp.route("/interviews", methods=["POST"], endpoint="record")
def record() -> BaseResponse | tuple[str, int]:
    """The key office records an interview to hold (HD6 之四至之六, or one it knows of)."""
    form = request.form
    data = Record(
        form.get("unit_id", ""),
        form.get("trigger", ""),
        form.get("reason", ""),
        [p for p in form.getlist("project_ids") if p],
        form.get("requested_by_leader_id", ""),
    )
    with commit_or_refuse(*REFUSALS) as outcome:
        row = lifecycle.record(db_session(), state().profile, current_viewer(), data, now_utc())
    if outcome.refusal is None:
        flash("已登记约谈，请安排约谈时间、地点和约谈领导", "success")
        return redirect(url_for("interviews.detail", interview_id=row.id), 303)
    typed: dict[str, object] = {**form.to_dict(), "project_ids": form.getlist("project_ids")}
    return _index(_errors(outcome.refusal, "reason"), typed), 422


@bp.route("/interviews/proposals", methods=["POST"], endpoint="propose")
def propose() -> BaseResponse:
    """The key office runs the daily proposals now."""
    with commit_or_refuse(*REFUSALS) as outcome:
        made = lifecycle.propose(
            db_session(), state().profile, today_beijing(), now_utc(), current_viewer()
        )
    outcome.flash(f"已提出约谈建议{len(made) if outcome.refusal is None else 0}条", "info")
    return redirect(url_for("interviews.index"), 303)


@bp.route("/interviews/<int:interview_id>", endpoint="detail")
def detail(interview_id: int) -> str:
    """One interview: why, when, by whom, what was said and promised."""
    return _detail(interview_id)


@bp.route("/interviews/<int:interview_id>/schedule", methods=["POST"], endpoint="schedule")
def schedule(interview_id: int) -> BaseResponse | tuple[str, int]:
    """Set or move the time, place and leader; the unit is told."""
    form = request.form.to_dict()
    with commit_or_refuse(*REFUSALS) as outcome:
        lifecycle.schedule(
            db_session(), state().profile, current_viewer(), interview_id, form, now_utc()
        )
    return _after(interview_id, outcome.refusal, "已安排约谈并通知被约谈单位", "scheduled_at")


@bp.route("/interviews/<int:interview_id>/hold", methods=["POST"], endpoint="hold")
def hold(interview_id: int) -> BaseResponse | tuple[str, int]:
    """Record the interview as held, with its minutes and the unit's commitments."""
    form = request.form
    rows = [
        CommitmentRow(text, due)
        for text, due in zip(
            form.getlist("commitment_text"), form.getlist("commitment_due_on"), strict=False
        )
    ]
    with commit_or_refuse(*REFUSALS) as outcome:
        lifecycle.hold(
            db_session(),
            current_viewer(),
            interview_id,
            form.get("held_on", ""),
            form.get("minutes", ""),
            rows,
            now_utc(),
        )
    return _after(interview_id, outcome.refusal, "已记录约谈情况和承诺事项", "held_on")


@bp.route("/interviews/<int:interview_id>/dismiss", methods=["POST"], endpoint="dismiss")
def dismiss(interview_id: int) -> BaseResponse | tuple[str, int]:
    """Decide against the interview, with the reason."""
    reason = request.form.get("dismissed_reason", "")
    with commit_or_refuse(*REFUSALS) as outcome:
        lifecycle.dismiss(db_session(), current_viewer(), interview_id, reason, now_utc())
    return _after(interview_id, outcome.refusal, "已决定不予约谈", "dismissed_reason")


@bp.route("/interviews/commitments/<int:commitment_id>/done", methods=["POST"], endpoint="done")
def done(commitment_id: int) -> BaseResponse | tuple[str, int]:
    """The interviewed unit (or the key office) reports a commitment done."""
    viewer = current_viewer()
    item = register.commitment(db_session(), viewer, commitment_id)
    interview_id = item.interview_id
    note = request.form.get("done_note", "")
    with commit_or_refuse(*REFUSALS) as outcome:
        lifecycle.complete(db_session(), viewer, commitment_id, note, now_utc())
    return _after(interview_id, outcome.refusal, "已报告承诺事项完成情况", "done_note")


@bp.route("/interviews/<int:interview_id>/notice.docx", endpoint="notice_docx")
def notice_docx(interview_id: int) -> Response:
    """The 约谈通知书 of a scheduled interview, in official layout."""
    row = register.interview(db_session(), current_viewer(), interview_id)
    settings = state().profile.interviews
    if settings is None or row.number is None:
        abort(404)
    return attachment(notices.notice_docx(row, settings), DOCX, f"interview-{row.id}.docx")


# --- rendering ----------------------------------------------------------------------------


def _after(
    interview_id: int, refusal: Exception | None, done_text: str, field: str
) -> BaseResponse | tuple[str, int]:
    if refusal is None:
        flash(done_text, "success")
        return redirect(url_for("interviews.detail", interview_id=interview_id), 303)
    typed: dict[str, object] = {**request.form.to_dict()}
    for name in ("commitment_text", "commitment_due_on"):  # the rows typed, kept in order
        typed[name] = request.form.getlist(name)
    return _detail(interview_id, _errors(refusal, field), typed), 422


def _errors(refusal: Exception, field: str) -> dict[str, str]:
    """Field → message; a refusal that names no field is shown by the form's first field."""
    if isinstance(refusal, ValidationError):
        return {e.field: str(e) for e in refusal.errors}
    return {field: str(refusal)}


def _index(errors: dict[str, str] | None = None, typed: dict[str, object] | None = None) -> str:
    session, viewer = db_session(), current_viewer()
    chosen = request.args.get("state", "")
    chosen = chosen if chosen in InterviewState.labels() else ""
    return render_template(
        "interviews/index.html",
        page=register.interview_page(session, viewer, paging(), chosen or None),
        query=kept_args("state"),
        states=InterviewState.labels(),
        chosen=chosen,
        settings=state().profile.interviews,
        not_set=register.NOT_SET,
        may_manage=register.may_manage(viewer),
        choices=register.choices(session) if register.may_manage(viewer) else None,
        triggers=InterviewTrigger.labels(),
        today=today_beijing(),
        errors=errors or {},
        typed=typed or {},
    )


def _detail(
    interview_id: int, errors: dict[str, str] | None = None, typed: dict[str, object] | None = None
) -> str:
    session, viewer = db_session(), current_viewer()
    row = register.interview(session, viewer, interview_id)
    manage = register.may_manage(viewer) and state().profile.interviews is not None
    own = viewer.has(*UNIT_STAFF_ROLES) and row.unit_id == viewer.unit_id
    return render_template(
        "interviews/detail.html",
        row=row,
        settings=state().profile.interviews,
        may_manage=manage,
        may_complete=own or register.may_manage(viewer),
        leaders=register.choices(session).leaders if manage else [],
        today=today_beijing(),
        is_overdue=register.is_overdue,
        blank_rows=BLANK_ROWS,
        errors=errors or {},
        typed=typed or {},
    )
