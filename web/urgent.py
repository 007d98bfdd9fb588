"""The key office's urgent issues (LP9): each to be reported to the county government in time."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from keyproj.clock import now_utc
from keyproj.codes import Role
from keyproj.errors import Conflict, FieldError, ValidationError
from keyproj.services.projects import urgent
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session
from web.paging import kept_args, paging
from web.report_forms import put_errors

bp = Blueprint("urgent", __name__)


class ReportForm(FlaskForm):
    """What the key office reported to the county government, and how."""

    report = TextAreaField(
        "报告县政府情况",
        validators=[DataRequired("请填写报告情况"), Length(max=4000, message="不能超过4000个字符")],
    )
    submit = SubmitField("已报告县政府")


@bp.route("/urgent-issues", endpoint="list")
def list_view() -> str:
    """Urgent issues, the open ones by deadline first, each with the report form for the key office."""
    return _render(ReportForm(), None, [])


@bp.route("/urgent-issues/<int:urgent_id>/report", methods=["POST"], endpoint="report")
def report(urgent_id: int) -> Response | tuple[str, int]:
    """Record the key office's report of one urgent issue to the county government."""
    form = ReportForm()
    loose: list[FieldError] = []
    status = 400
    viewer = current_viewer()
    if form.validate():
        with commit_or_refuse(ValidationError, Conflict) as outcome:
            urgent.report_to_county(
                db_session(), viewer, urgent_id, form.report.data or "", now_utc()
            )
        refusal = outcome.refusal
        if refusal is None:
            flash("已记录报告县政府情况", "info")
            return redirect(url_for("urgent.list"), 303)
        if isinstance(refusal, ValidationError):
            loose = put_errors(form, refusal)
        else:
            loose, status = [FieldError("status", "状态", str(refusal))], 409
    else:
        urgent.require_may_report(viewer)
    return _render(form, urgent_id, loose), status


def _render(form: ReportForm, failed: int | None, loose: list[FieldError]) -> str:
    viewer = current_viewer()
    return render_template(
        "urgent/list.html",
        duties=urgent.report_duties(db_session(), viewer, paging()),
        query=kept_args(),
        form=form,
        failed=failed,
        loose=loose,
        may_report=viewer.has(Role.KEY_OFFICE, Role.ADMIN),
        now=now_utc(),
    )
