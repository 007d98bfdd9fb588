"""Half-year evaluation pages (GS2 半年评比): the half-year's composite ranking as it stands, the
office's button that stores it, a stored evaluation with the speakers, the ranking and the tours
it was built from, its publication, and its Excel export."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from keyproj.clock import now_utc, today_beijing
from keyproj.codes import Role
from keyproj.errors import Conflict, ValidationError
from keyproj.inputs import BadInput, parse_year
from keyproj.services.half_year import compute, records
from keyproj.services.half_year.export import half_year_xlsx
from keyproj.services.rankings.composite import applies
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.downloads import XLSX, attachment

bp = Blueprint("half_year", __name__)


def _asked(source: Any) -> tuple[int, int]:
    """The year and half asked for; the half-year that ended last by default."""
    year, half = records.last_ended(today_beijing())
    try:
        year = parse_year((source.get("year") or "").strip())
    except BadInput:
        if source.get("year"):
            raise ValidationError.single("year", "年度", "年度应为四位数字，如 2026") from None
    text = (source.get("half") or "").strip()
    if text:
        half = compute.check_half(int(text) if text in ("1", "2") else 0)
    return year, half


@bp.route("/half-year", endpoint="page")
def page() -> str:
    """The half-year's composite ranking as it stands now, and the stored evaluations."""
    viewer, session, profile = current_viewer(), db_session(), state().profile
    year, half = _asked(request.args)
    preview = None
    if applies(profile, "half_year"):
        preview = records.in_scope(compute.build(session, profile, year, half), viewer)
    stored = records.stored(session)
    return render_template(
        "half_year/page.html",
        year=year,
        half=half,
        label=compute.label(year, half),
        preview=preview,
        stored=stored,
        may_run=viewer.has(*records.OFFICE),
        titles={row.id: records.title(row) for row in stored},
    )


@bp.route("/half-year/evaluations", methods=["POST"], endpoint="run")
def run() -> BaseResponse:
    """The key office stores the half-year's evaluation as it stands."""
    viewer = current_viewer()
    with commit_or_refuse(ValidationError, Conflict) as outcome:
        year, half = _asked(request.form)
        row = records.run(db_session(), state().profile, viewer, year, half, now_utc())
    if outcome.refusal is not None:
        flash(str(outcome.refusal), "error")
        return redirect(url_for("half_year.page"), 303)
    flash(f"已生成{records.title(row)}，请核对后确认发布", "info")
    return redirect(url_for("half_year.evaluation", half_year_id=row.id), 303)


@bp.route("/half-year/evaluations/<int:half_year_id>", endpoint="evaluation")
def evaluation(half_year_id: int) -> str:
    """A stored evaluation exactly as it was built, in the viewer's scope."""
    viewer = current_viewer()
    row = records.evaluation(db_session(), half_year_id)
    return render_template(
        "half_year/evaluation.html",
        row=row,
        title=records.title(row),
        figures=records.figures_in_scope(row, viewer),
        may_publish=viewer.has(Role.KEY_OFFICE, Role.ADMIN) and row.confirmed_at is None,
    )


@bp.route("/half-year/evaluations/<int:half_year_id>/publish", methods=["POST"], endpoint="publish")
def publish(half_year_id: int) -> BaseResponse:
    """The key office confirms the evaluation: it is published and frozen."""
    viewer = current_viewer()
    with commit_or_refuse(Conflict) as outcome:
        row = records.publish(db_session(), viewer, half_year_id, now_utc())
    if outcome.refusal is not None:
        flash(str(outcome.refusal), "error")
    else:
        flash(f"{records.title(row)}已确认发布", "info")
    return redirect(url_for("half_year.evaluation", half_year_id=half_year_id), 303)


@bp.route("/half-year/evaluations/<int:half_year_id>.xlsx", endpoint="export")
def export(half_year_id: int) -> Response:
    """The evaluation as Excel, in the viewer's scope."""
    row = records.evaluation(db_session(), half_year_id)
    figures = records.figures_in_scope(row, current_viewer())
    body = half_year_xlsx(records.title(row), figures)
    return attachment(body, XLSX, f"half-year-{row.year}-{row.half}.xlsx")
