"""Year-end evaluation pages (GS8, AL13–14, DC6, HD7): the year's evaluations proposed and
confirmed by the key office, the records with filters and the form for one entered by hand,
the 通报 as DOCX, the evaluation as Excel, and a unit's record of rewards, sanctions and the
accountability held against it in the supervision ledger."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from keyproj.clock import now_utc, today_beijing
from keyproj.codes import UNIT_STAFF_ROLES, AwardKind, Role
from keyproj.errors import Conflict, FieldError, NotFound, ValidationError
from keyproj.inputs import BadInput, parse_year
from keyproj.services.awards import evaluations, records
from keyproj.services.awards.documents import bulletin_docx, evaluation_xlsx
from keyproj.services.meetings import absence
from keyproj.services.supervision.views import ledger
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.downloads import DOCX, XLSX, attachment

bp = Blueprint("awards", __name__)
ENTRY_FIELDS = ("unit_id", "kind", "reason", "clause", "year", "person", "project_code", "amount")


def _year() -> int:
    """The year asked for; else the one just ended (the year under way from December on)."""
    today = today_beijing()
    try:
        return parse_year(request.args.get("year", "").strip())
    except BadInput:
        return today.year if today.month == 12 else today.year - 1


@bp.route("/awards", endpoint="page")
def page() -> str:
    """The year's evaluations, the records with their filters, and the key office's forms."""
    return _page()


@bp.route("/awards/evaluations", methods=["POST"], endpoint="propose")
def propose() -> BaseResponse:
    """The key office has the year's evaluation proposed under the profile's rules."""
    viewer = current_viewer()
    year = _form_year()
    with commit_or_refuse(ValidationError, Conflict) as outcome:
        row = evaluations.propose(
            db_session(), state().profile, viewer, year, now_utc(), today_beijing()
        )
    if outcome.refusal is not None:
        flash(str(outcome.refusal), "error")
        return redirect(url_for("awards.page", year=year), 303)
    flash(f"已生成{year}年度考评建议，请逐项审核后确认", "info")
    return redirect(url_for("awards.evaluation", evaluation_id=row.id), 303)


@bp.route("/awards/evaluations/<int:evaluation_id>", endpoint="evaluation")
def evaluation(evaluation_id: int) -> str:
    """One evaluation: its proposed items in the viewer's scope, the figures behind them."""
    viewer = current_viewer()
    row = evaluations.evaluation(db_session(), viewer, evaluation_id)
    return render_template(
        "awards/evaluation.html",
        row=row,
        items=evaluations.items_in_scope(row, viewer),
        figures=evaluations.figures_in_scope(row, viewer),
        may_confirm=viewer.has(Role.KEY_OFFICE, Role.ADMIN) and row.confirmed_at is None,
    )


@bp.route("/awards/evaluations/<int:evaluation_id>/confirm", methods=["POST"], endpoint="confirm")
def confirm(evaluation_id: int) -> BaseResponse:
    """The key office confirms the evaluation, striking the ticked items with their reasons."""
    form = request.form
    struck = {
        int(n): form.get(f"reason_{n}", "")
        for n in form.getlist("strike")
        if n.isascii() and n.isdigit() and len(n) < 6
    }
    with commit_or_refuse(ValidationError, Conflict) as outcome:
        written = evaluations.confirm(
            db_session(), current_viewer(), evaluation_id, struck, now_utc()
        )
    if outcome.refusal is not None:
        flash(str(outcome.refusal), "error")
    else:
        flash(f"已确认，记入单位奖惩记录{len(written)}条", "info")
    return redirect(url_for("awards.evaluation", evaluation_id=evaluation_id), 303)


@bp.route("/awards/evaluations/<int:evaluation_id>.xlsx", endpoint="export")
def export(evaluation_id: int) -> Response:
    """The evaluation as Excel, in the viewer's scope."""
    viewer = current_viewer()
    row = evaluations.evaluation(db_session(), viewer, evaluation_id)
    return attachment(evaluation_xlsx(row, viewer), XLSX, f"{row.year}年度考评-{row.id}.xlsx")


@bp.route("/awards/evaluations/<int:evaluation_id>.docx", endpoint="bulletin")
def bulletin(evaluation_id: int) -> Response:
    """The confirmed evaluation as the year's 通报 (commendations and criticisms)."""
    viewer = current_viewer()
    row = evaluations.evaluation(db_session(), viewer, evaluation_id)
    if row.confirmed_at is None:
        raise NotFound("年终考评尚未确认，没有通报")
    body = bulletin_docx(db_session(), state().profile, row, viewer)
    return attachment(body, DOCX, f"{row.year}年度考评奖惩通报.docx")


@bp.route("/awards/records", methods=["POST"], endpoint="enter")
def enter() -> BaseResponse | tuple[str, int]:
    """The key office enters a commendation or sanction by hand (HD7, AL13, DC6)."""
    typed = {f: request.form.get(f, "") for f in ENTRY_FIELDS}
    with commit_or_refuse(ValidationError) as outcome:
        records.enter(db_session(), current_viewer(), records.Entry(**typed), now_utc())
    refusal = outcome.refusal
    if refusal is None:
        flash("已记入单位奖惩记录", "info")
        return redirect(url_for("awards.page", year=typed["year"] or None), 303)
    return _page(refusal.errors, typed), 422


@bp.route("/units/<int:unit_id>/record", endpoint="unit")
def unit(unit_id: int) -> str:
    """A unit's record (奖惩与问责记录): its commendations and sanctions and the
    accountability held against it in the supervision ledger (LP20, AL13)."""
    session, viewer = db_session(), current_viewer()
    found, held = records.of_unit(session, viewer, unit_id)
    own = viewer.has(*UNIT_STAFF_ROLES) and viewer.unit_id == unit_id
    # The ledger's own reading of the unit's accountability, for those who may read it.
    accountability = (
        ledger.unit_record(session, viewer, unit_id) if own or ledger.may_read(viewer) else None
    )
    return render_template(
        "awards/unit.html",
        unit=found,
        records=held,
        accountability=accountability,
        absences=absence.of_unit(session, unit_id),  # DC7 三(一): meetings missed without leave
    )


def _form_year() -> int:
    try:
        return parse_year(request.form.get("year", "").strip())
    except BadInput:
        return _year()


def _page(errors: list[FieldError] | None = None, typed: dict[str, str] | None = None) -> str:
    session, viewer = db_session(), current_viewer()
    year = _year()
    filters = records.filters_from(
        request.args.get("year", ""), request.args.get("unit", ""), request.args.get("kind", "")
    )
    office = viewer.has(Role.KEY_OFFICE, Role.ADMIN)
    return render_template(
        "awards/page.html",
        year=year,
        rules=state().profile.year_end,
        evaluations=evaluations.of_year(session, year),
        records=records.listed(session, viewer, filters),
        filters=filters,
        kinds=AwardKind.labels(),
        units=records.units_to_name(session) if evaluations.sees_all(viewer) else [],
        may_enter=office,
        may_propose=office,
        errors={e.field: str(e) for e in errors or []},
        typed=typed or {},
    )
