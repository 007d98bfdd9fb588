"""The supervision ledger (督查台账, LP13, LP20): its page and xlsx, filings by the supervision
office on a case or on its own finding, and a unit's accountability record."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from keyproj.clock import now_utc, today_beijing
from keyproj.errors import Conflict, FieldError, PermissionDenied, ValidationError
from keyproj.inputs import LONG_TEXT
from keyproj.services.access import require_role
from keyproj.services.supervision.filing import Finding, file_finding, file_from_case
from keyproj.services.supervision.views import ledger
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.paging import kept_args, paging

bp = Blueprint("supervision", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/supervision", endpoint="index")
def index() -> str:
    """The ledger, filterable by state; the listed rows are LP13's summary list."""
    return _page()


@bp.route("/supervision/export.xlsx", endpoint="export")
def export() -> Response:
    """The ledger (as filtered) as a workbook."""
    data = ledger.export(db_session(), current_viewer(), _state())
    name = f"督查台账{today_beijing().isoformat()}.xlsx"
    response = Response(data, mimetype=XLSX)
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return response


@bp.route("/supervision/findings", methods=["POST"], endpoint="finding")
def finding() -> BaseResponse | tuple[str, int]:
    """LP20: the supervision office files a problem it found on a project."""
    viewer, form = current_viewer(), request.form
    require_role(viewer, "supervision")
    typed: dict[str, object] = {
        "project_id": form.get("project_id", ""),
        "summary": form.get("summary", ""),
        "lead_unit_code": form.get("lead_unit_code", ""),
        "phase_unit_codes": form.getlist("phase_unit_codes"),
    }
    project = typed["project_id"]
    data = Finding(
        int(project) if isinstance(project, str) and project.isdigit() else None,
        str(typed["summary"]),
        str(typed["lead_unit_code"]),
        [c for c in form.getlist("phase_unit_codes") if c],
    )
    with commit_or_refuse(ValidationError, Conflict) as outcome:
        row = file_finding(db_session(), state().profile, viewer, data, now_utc())
    refusal = outcome.refusal
    if refusal is None:
        flash("督查事项已列入督查台账，请在待办任务中下达督查立项通知书", "success")
        return redirect(url_for("cases.detail", case_id=row.case_id), 303)
    errors = (
        refusal.errors
        if isinstance(refusal, ValidationError)
        else [FieldError("project_id", "项目", str(refusal))]
    )
    return _page(errors, typed), 422


@bp.route("/cases/<int:case_id>/supervision", methods=["POST"], endpoint="file_case")
def file_case(case_id: int) -> BaseResponse:
    """LP20: the supervision office files a matter on this case; the new case links back."""
    viewer = current_viewer()
    summary = request.form.get("summary", "")
    with commit_or_refuse(ValidationError, Conflict, PermissionDenied) as outcome:
        row = file_from_case(db_session(), state().profile, viewer, case_id, summary, now_utc())
    refusal = outcome.refusal
    if isinstance(refusal, PermissionDenied):
        raise refusal
    if refusal is not None:
        flash(
            "; ".join(str(e) for e in refusal.errors)
            if isinstance(refusal, ValidationError)
            else str(refusal),
            "error",
        )
        return redirect(url_for("cases.detail", case_id=case_id, _anchor="supervision"), 303)
    flash("已对该案件立项督查，请在待办任务中下达督查立项通知书", "success")
    return redirect(url_for("cases.detail", case_id=row.case_id), 303)


@bp.route("/supervision/units/<int:unit_id>", endpoint="unit")
def unit(unit_id: int) -> str:
    """A unit's record: the accountability held against it (LP20)."""
    record = ledger.unit_record(db_session(), current_viewer(), unit_id)
    return render_template("supervision/unit.html", record=record)


def _page(errors: list[FieldError] | None = None, typed: dict[str, object] | None = None) -> str:
    session, viewer = db_session(), current_viewer()
    chosen = _state()
    return render_template(
        "supervision/index.html",
        page=ledger.page(session, viewer, chosen, paging()),
        query=kept_args("state"),
        states=ledger.STATES,
        chosen=chosen or "",
        choices=ledger.finding_choices(session, viewer),
        errors={e.field: str(e) for e in errors or []},
        typed=typed or {},
        summary_max=LONG_TEXT,
    )


def _state() -> str | None:
    value = request.args.get("state", "")
    return value if value in ledger.STATES else None
