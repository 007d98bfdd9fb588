"""Bulletin pages (LP19, DC7, GS1): the issued bulletins, one bulletin, its DOCX, and issuing."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse
from wtforms import SubmitField

from keyproj.clock import now_utc
from keyproj.codes import Role
from keyproj.errors import Conflict, ValidationError
from keyproj.services.access import require_role
from keyproj.services.bulletins import issue as bulletins
from keyproj.services.bulletins.figures import bulletin_period, compute
from keyproj.services.bulletins.text import sections, visible_listed
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.downloads import DOCX, attachment
from web.inputs import asked_period

bp = Blueprint("bulletins", __name__)


class IssueForm(FlaskForm):
    """Issue the period's bulletin: numbered and archived with its figures."""

    submit = SubmitField("印发本期通报")


def _period_key() -> str:
    """The period asked for, or the last one that has ended."""
    return asked_period(state().profile.bulletin.cadence)


@bp.route("/bulletins", endpoint="page")
def page() -> str:
    """The issued bulletins and a preview of a period's figures (every unit reads them: LP19)."""
    viewer = current_viewer()
    profile = state().profile
    session = db_session()
    period = bulletin_period(profile, _period_key())
    found = bulletins.archived(session, profile, period.key)
    figures = found.figures if found else compute(session, profile, bulletins.COUNTY, period.key)
    return render_template(
        "bulletins/page.html",
        period=period,
        issued=found,
        figures=figures,
        sections=sections(figures, viewer),
        listed=visible_listed(figures, viewer),
        archive=bulletins.listed(session, profile),
        profile=profile,
        form=IssueForm(),
        may_issue=viewer.has(Role.KEY_OFFICE, Role.ADMIN),
    )


@bp.route("/bulletins", methods=["POST"], endpoint="issue")
def issue() -> BaseResponse:
    """The key office issues the period's bulletin on demand."""
    viewer = current_viewer()
    require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    if not IssueForm().validate():
        abort(400)
    key = request.form.get("period", "")
    with commit_or_refuse(ValidationError, Conflict) as outcome:
        found = bulletins.issue(db_session(), state().profile, key, viewer, now_utc())
    if outcome.refusal is not None:
        flash(str(outcome.refusal), "error")
        return redirect(url_for("bulletins.page", period=key), 303)
    flash(f"已印发 {found.number}", "info")
    return redirect(url_for("bulletins.bulletin", bulletin_id=found.id), 303)


@bp.route("/bulletins/<int:bulletin_id>", endpoint="bulletin")
def bulletin(bulletin_id: int) -> str:
    """One archived bulletin, its sections from the stored figures."""
    viewer = current_viewer()
    found = bulletins.one(db_session(), bulletin_id)
    return render_template(
        "bulletins/bulletin.html",
        issued=found,
        figures=found.figures,
        sections=sections(found.figures, viewer),
        listed=visible_listed(found.figures, viewer),
    )


@bp.route("/bulletins/<int:bulletin_id>.docx", endpoint="docx")
def docx(bulletin_id: int) -> Response:
    """The archived bulletin in official layout, as sent to every town and department (LP19)."""
    found = bulletins.one(db_session(), bulletin_id)
    return attachment(bulletins.docx(found), DOCX, f"bulletin-{found.period}.docx")
