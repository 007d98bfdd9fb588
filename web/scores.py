"""Department score pages (AL11, AL12): a quarter's scores opening to each project's components,
the year-end weighted score, bonus points recorded by the key office, and the Excel export."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from keyproj.clock import now_utc
from keyproj.codes import Role
from keyproj.errors import Conflict, ValidationError
from keyproj.services.scoring.bonus import record_bonus
from keyproj.services.scoring.compute import (
    COMPONENTS,
    QuarterScores,
    in_scope,
    score_quarter,
    year_end,
)
from keyproj.services.scoring.export import scores_xlsx
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.downloads import XLSX, attachment
from web.inputs import asked_period

bp = Blueprint("scores", __name__)


def _period_key() -> str:
    """The quarter asked for, or the last one that has ended."""
    return asked_period("quarterly")


def _scores() -> QuarterScores:
    """The quarter asked for; a malformed key is a 400 with its reason."""
    return score_quarter(db_session(), state().profile, _period_key())


@bp.route("/scores", endpoint="page")
def page() -> str:
    """A quarter's department scores, each opening to its projects and their components."""
    viewer = current_viewer()
    scores = _scores()
    profile = state().profile
    year = year_end(db_session(), profile, scores.period.end.year)
    shown = {d.unit_id for d in in_scope(scores, viewer)}
    return render_template(
        "scores/page.html",
        scores=scores,
        departments=in_scope(scores, viewer),
        year=[row for row in year if row["unit_id"] in shown],
        weights=profile.scoring,
        components=COMPONENTS,
        may_award=viewer.has(Role.KEY_OFFICE, Role.ADMIN),
    )


@bp.route("/scores/export.xlsx", endpoint="export")
def export() -> Response:
    """The quarter's scores as Excel, in the viewer's scope."""
    scores = _scores()
    title = f"{scores.period.label}部门考评得分"
    body = scores_xlsx(title, scores.rule, in_scope(scores, current_viewer()))
    return attachment(body, XLSX, f"scores-{scores.period.key}.xlsx")


@bp.route("/scores/bonuses", methods=["POST"], endpoint="bonus")
def bonus() -> BaseResponse:
    """The key office awards bonus points to a department for the quarter, with a reason (AL12)."""
    viewer = current_viewer()
    key = request.form.get("period", "")
    try:
        unit_id = int(request.form.get("unit_id", ""))
    except ValueError:
        unit_id = 0
    with commit_or_refuse(ValidationError, Conflict) as outcome:
        record_bonus(
            db_session(),
            viewer,
            unit_id,
            key,
            request.form.get("points", ""),
            request.form.get("reason", ""),
            now_utc(),
        )
    if outcome.refusal is not None:
        flash(str(outcome.refusal), "error")
    else:
        flash("已记录加分", "info")
    return redirect(url_for("scores.page", period=key if key else None), 303)
