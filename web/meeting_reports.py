"""What follows a held meeting: the office's decision on each 通报批评 proposed for absence
without leave (DC7 三(一)), and 《关于进度缓慢重点项目情况的报告》 to the banner government
(AL3 第三条(二)5) — produced, read (page and DOCX) and marked sent."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from keyproj.clock import now_utc
from keyproj.codes import Role
from keyproj.errors import Conflict, ValidationError
from keyproj.services.access import require_role
from keyproj.services.awards.evaluations import OFFICE, sees_all
from keyproj.services.meetings import absence, slow_document, slow_report
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.downloads import DOCX, attachment
from web.meetings import ActionForm

bp = Blueprint("meeting_reports", __name__)


@bp.route("/meetings/absences/<int:proposal_id>", methods=["POST"], endpoint="decide")
def decide(proposal_id: int) -> BaseResponse:
    """The key office confirms or dismisses a proposed 通报批评 (DC7 三(一))."""
    require_role(current_viewer(), *OFFICE)
    _check()
    confirm = request.form.get("decision") == "confirm"
    meeting_id = 0
    with commit_or_refuse(ValidationError, Conflict) as outcome:
        row = absence.decide(
            db_session(),
            current_viewer(),
            proposal_id,
            confirm,
            request.form.get("reason", ""),
            now_utc(),
        )
        meeting_id = row.meeting_id
    outcome.flash("已通报批评，记入单位奖惩记录并通知该单位" if confirm else "已不予通报批评")
    if outcome.refusal is not None:
        meeting_id = _int(request.form.get("meeting", ""))
    return redirect(url_for("meetings.show", meeting_id=meeting_id), 303)


@bp.route("/meetings/<int:meeting_id>/slow-report", methods=["POST"], endpoint="produce")
def produce(meeting_id: int) -> BaseResponse:
    """The key office produces the held meeting's report of the slow projects (AL3)."""
    require_role(current_viewer(), Role.KEY_OFFICE)
    _check()
    with commit_or_refuse(ValidationError, Conflict) as outcome:
        row = slow_report.produce(
            db_session(), state().profile, current_viewer(), meeting_id, now_utc()
        )
    outcome.flash("已形成《关于进度缓慢重点项目情况的报告》")
    if outcome.refusal is not None:
        return redirect(url_for("meetings.show", meeting_id=meeting_id), 303)
    return redirect(url_for("meeting_reports.slow", slow_report_id=row.id), 303)


@bp.route("/meetings/slow-reports/<int:slow_report_id>", endpoint="slow")
def slow(slow_report_id: int) -> str:
    """The report: the whole for the offices and leaders, a unit's own projects once sent."""
    viewer = current_viewer()
    row = slow_report.visible_report(db_session(), viewer, slow_report_id)
    projects = slow_report.rows_in_scope(row, viewer)
    return render_template(
        "meetings/slow_report.html",
        row=row,
        projects=projects,
        figures=slow_document.project_figures,
        whole=sees_all(viewer),
        may_send=viewer.has(Role.KEY_OFFICE) and row.sent_at is None,
        title=slow_report.TITLE,
        form=ActionForm(),
    )


@bp.route("/meetings/slow-reports/<int:slow_report_id>.docx", endpoint="slow_docx")
def slow_docx(slow_report_id: int) -> BaseResponse:
    """The report as an official document (DOCX)."""
    body = slow_document.report_docx(
        db_session(), state().profile, current_viewer(), slow_report_id
    )
    return attachment(body, DOCX, f"{slow_report.TITLE}-{slow_report_id}.docx")


@bp.route("/meetings/slow-reports/<int:slow_report_id>/sent", methods=["POST"], endpoint="sent")
def sent(slow_report_id: int) -> BaseResponse:
    """The key office marks the report sent: numbered, and the projects' units told."""
    require_role(current_viewer(), Role.KEY_OFFICE)
    _check()
    with commit_or_refuse(Conflict) as outcome:
        row = slow_report.mark_sent(
            db_session(), state().profile, current_viewer(), slow_report_id, now_utc()
        )
    outcome.flash(
        f"已标记报送（{row.number}），已通知项目责任单位" if outcome.refusal is None else ""
    )
    return redirect(url_for("meeting_reports.slow", slow_report_id=slow_report_id), 303)


def _check() -> None:
    if not ActionForm().validate():
        abort(400)


def _int(raw: str) -> int:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else 0
