"""GS8 service units' pages: the key office enters each 服务保障承诺书 and its fulfilment; towns
and project owners score each service unit against it; the mean scores ranked."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from keyproj.clock import now_utc, today_beijing
from keyproj.codes import PledgeOutcome, Role, UnitKind
from keyproj.errors import Conflict, PermissionDenied, ValidationError
from keyproj.inputs import BadInput, parse_year
from keyproj.services.awards import pledges
from keyproj.services.awards.records import units_to_name
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session

bp = Blueprint("pledges", __name__)


def _year(value: str) -> int:
    """The year given; else the one just ended (the year under way from December on)."""
    today = today_beijing()
    try:
        return parse_year(value.strip())
    except BadInput:
        return today.year if today.month == 12 else today.year - 1


@bp.route("/awards/pledges", endpoint="page")
def page() -> str:
    """The year's pledges, their mean scores and rank, the viewer's own scores and the forms."""
    session, viewer = db_session(), current_viewer()
    year = _year(request.args.get("year", ""))
    mine = {s.pledge_id: s for s in pledges.scores_of(session, viewer, year)}
    office = viewer.has(Role.KEY_OFFICE, Role.ADMIN)
    departments = [u for u in units_to_name(session) if u.kind == UnitKind.COUNTY_DEPARTMENT]
    return render_template(
        "awards/pledges.html",
        year=year,
        rows=pledges.service_ranking(session, year),
        scores=pledges.scores_of(session, viewer, year),
        mine=mine,
        unit_id=viewer.unit_id,
        outcomes=PledgeOutcome.labels(),
        departments=departments if office else [],
        may_enter=office,
        may_score=pledges.may_score(session, viewer, year),
        closed=pledges.year_confirmed(session, year),
    )


@bp.route("/awards/pledges", methods=["POST"], endpoint="save")
def save() -> BaseResponse:
    """The key office enters or corrects a service unit's pledge and its fulfilment."""
    form = request.form
    year = _year(form.get("year", ""))
    unit = form.get("unit_id", "")
    with commit_or_refuse(ValidationError, Conflict) as outcome:
        pledges.save_pledge(
            db_session(),
            current_viewer(),
            int(unit) if unit.isascii() and unit.isdigit() and len(unit) < 10 else 0,
            year,
            form.get("items", ""),
            form.get("outcome", ""),
            now_utc(),
        )
    _told(outcome.refusal, "已保存服务承诺")
    return redirect(url_for("pledges.page", year=year), 303)


@bp.route("/awards/pledges/<int:pledge_id>/score", methods=["POST"], endpoint="score")
def score(pledge_id: int) -> BaseResponse:
    """A town or project owner scores a service unit against its pledge (0–100, a comment)."""
    form = request.form
    with commit_or_refuse(ValidationError, Conflict, PermissionDenied) as outcome:
        row = pledges.score(
            db_session(),
            current_viewer(),
            pledge_id,
            form.get("score", ""),
            form.get("comment", ""),
            now_utc(),
        )
    if isinstance(outcome.refusal, PermissionDenied):
        raise outcome.refusal
    _told(outcome.refusal, "已保存打分")
    year = row.pledge.year if outcome.refusal is None else form.get("year") or None
    return redirect(url_for("pledges.page", year=year), 303)


def _told(refusal: Exception | None, done: str) -> None:
    flash(str(refusal) if refusal is not None else done, "error" if refusal else "info")
