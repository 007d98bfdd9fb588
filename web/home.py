"""The signed-in user's home page: each of their roles' counts, each linking to its list (issue 15)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, url_for

from keyproj.clock import now_utc
from keyproj.services.home.page import home_page
from web.auth import current_viewer
from web.db import db_session, state

bp = Blueprint("home", __name__)


@bp.route("/", endpoint="index")
def index() -> str:
    """The home page: a section per role the user holds."""
    now = now_utc()
    profile = state().profile
    page = home_page(db_session(), current_viewer(), profile, now)
    return render_template(
        "home/index.html",
        home=page,
        triage_url=_triage_url(),
        notice_days=profile.deadlines.notice_working_days,
    )


def _triage_url() -> str:
    """The triage queue's page where the app has one, else the open warning cases."""
    if "triage.index" in current_app.view_functions:
        return url_for("triage.index")
    return url_for("cases.index", status="open")
