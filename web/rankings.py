"""Ranking pages (HD5, GS2, GS8): a period's ranking, stored runs, the Excel export and the
reminder letters with the unit's acknowledgement."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from keyproj.clock import now_utc, today_beijing
from keyproj.codes import Role
from keyproj.codes.org import UNIT_STAFF_ROLES
from keyproj.db.models import RankingRun
from keyproj.errors import Conflict, ValidationError
from keyproj.services.access import require_role
from keyproj.services.inspections.beside import NOTE, findings_beside_ranking
from keyproj.services.rankings import runs
from keyproj.services.rankings.compute import Ranking, clause_codes, from_json, in_scope, rank
from keyproj.services.rankings.export import ranking_xlsx
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.downloads import DOCX, XLSX, attachment
from web.inputs import asked_period

bp = Blueprint("rankings", __name__)


class AcknowledgeForm(FlaskForm):
    """The unit's measures to catch up, given when it acknowledges the letter (HD5)."""

    measures = TextAreaField(
        "整改措施",
        validators=[DataRequired("请填写整改措施"), Length(max=4000, message="不能超过4000个字符")],
    )
    submit = SubmitField("签收并报送整改措施")


class RunForm(FlaskForm):
    """Store the ranking shown (and issue the letters where HD5 applies)."""

    submit = SubmitField("保存本期排名")


def _period_key() -> str:
    """The period asked for, or the last one that has ended."""
    return asked_period(state().profile.ranking.cadence)


def _ranking() -> Ranking:
    """The ranking of the period asked for; a malformed period is a 400 with its reason."""
    return rank(db_session(), state().profile, _period_key())


@bp.route("/rankings", endpoint="page")
def page() -> str:
    """A period's ranking, towns and departments apart, each unit opening to its projects."""
    viewer = current_viewer()
    ranking = _ranking()
    session = db_session()
    saved = session.scalars(
        select(RankingRun)
        .where(RankingRun.period == ranking.period.key)
        .order_by(RankingRun.id.desc())
    ).all()
    return render_template(
        "rankings/page.html",
        ranking=ranking,
        groups=in_scope(ranking.groups, viewer),
        profile=state().profile,
        clauses=clause_codes(state().profile),
        saved=saved,
        letters=runs.letters_for(session, viewer),
        form=RunForm(),
        may_run=viewer.has(Role.KEY_OFFICE, Role.ADMIN),
        findings=findings_beside_ranking(session, state().profile, viewer),
        findings_note=NOTE,
    )


@bp.route("/rankings/export.xlsx", endpoint="export")
def export() -> Response:
    """The ranking as Excel, in the viewer's scope."""
    ranking = _ranking()
    title = f"{ranking.period.label}投资完成率排名"
    body = ranking_xlsx(title, ranking.rule, in_scope(ranking.groups, current_viewer()))
    return attachment(body, XLSX, f"ranking-{ranking.period.key}.xlsx")


@bp.route("/rankings/runs", methods=["POST"], endpoint="save")
def save() -> BaseResponse:
    """The key office stores the period's ranking; under HD5 the bottom units get their letters."""
    viewer = current_viewer()
    require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    if not RunForm().validate():
        abort(400)
    profile = state().profile
    key = request.form.get("period", "")
    with commit_or_refuse(ValidationError, Conflict) as outcome:
        run, _ = runs.save_run(db_session(), profile, key, viewer, now_utc())
        if profile.measures is not None:
            issued = runs.issue_letters(db_session(), profile, run, viewer, now_utc())
            flash(f"已发提醒函{len(issued)}份", "info")
    if outcome.refusal is not None:
        flash(str(outcome.refusal), "error")
        return redirect(url_for("rankings.page"), 303)
    return redirect(url_for("rankings.run", run_id=run.id), 303)


@bp.route("/rankings/runs/<int:run_id>", endpoint="run")
def run_page(run_id: int) -> str:
    """A stored run exactly as it was built: who, when, the figures."""
    found = db_session().get(RankingRun, run_id)
    if found is None:
        abort(404)
    groups = in_scope(from_json(found.figures), current_viewer())
    return render_template("rankings/run.html", run=found, groups=groups)


@bp.route("/rankings/letters/<int:letter_id>", endpoint="letter")
def letter_page(letter_id: int) -> str:
    """A reminder letter, the figures it rests on, and the unit's acknowledgement."""
    return _letter(letter_id, AcknowledgeForm())


@bp.route("/rankings/letters/<int:letter_id>/acknowledge", methods=["POST"], endpoint="acknowledge")
def acknowledge(letter_id: int) -> BaseResponse | tuple[str, int]:
    """The unit acknowledges its letter with its measures (HD5)."""
    viewer = current_viewer()
    form = AcknowledgeForm()
    if not form.validate():
        runs.letter(db_session(), viewer, letter_id)
        return _letter(letter_id, form), 400
    with commit_or_refuse(ValidationError, Conflict) as outcome:
        runs.acknowledge(db_session(), viewer, letter_id, form.measures.data or "", now_utc())
    if outcome.refusal is not None:
        flash(str(outcome.refusal), "error")
        return _letter(letter_id, form), 409
    flash("已签收提醒函", "info")
    return redirect(url_for("rankings.letter", letter_id=letter_id), 303)


@bp.route("/rankings/letters/<int:letter_id>.docx", endpoint="letter_docx")
def letter_docx(letter_id: int) -> Response:
    """The letter in official layout."""
    found = runs.letter(db_session(), current_viewer(), letter_id)
    return attachment(runs.letter_docx(found), DOCX, f"letter-{found.id}.docx")


def _letter(letter_id: int, form: AcknowledgeForm) -> str:
    viewer = current_viewer()
    found = runs.letter(db_session(), viewer, letter_id)
    may_ack = viewer.has(*UNIT_STAFF_ROLES) and found.unit_id == viewer.unit_id
    return render_template(
        "rankings/letter.html",
        letter=found,
        row=runs.letter_row(found),
        due=runs.ack_due(db_session(), state().profile, found),
        today=today_beijing(),
        form=form,
        may_ack=may_ack,
    )
