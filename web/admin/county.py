"""The county's identity (name, document issuers and number prefixes), the active profile
read-only with its citations and clause texts, and the administration change log."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from keyproj.clock import now_utc
from keyproj.errors import ValidationError
from keyproj.services.admin import changelog
from keyproj.services.admin.profile import profile_values
from keyproj.services.reference import identity
from web.admin import bp
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.paging import kept_args, paging


@bp.route("/county", methods=["GET", "POST"], endpoint="county")
def county() -> Response | str:
    """The county's name and the issuers and prefixes of its documents, editable."""
    session, profile = db_session(), state().profile
    if request.method == "POST":
        values = {name: request.form.get(name, "") for name in identity.LABELS}
        with commit_or_refuse(ValidationError) as outcome:
            identity.save_identity(
                session, changelog.actor_of(session, current_viewer()), now_utc(), profile, values
            )
        outcome.flash("本县信息已保存：此后签发的文书使用新的名称和字号")
        if outcome.refusal is None:
            return redirect(url_for("admin.county"), 303)
        shown = identity.Identity(
            values["county_name"],
            values["notice_issuer"],
            values["warning_notice_prefix"],
            values["supervision_issuer"],
            values["supervision_notice_prefix"],
        )
    else:
        shown = identity.county_identity(session, profile)
    return render_template(
        "admin/county.html",
        identity=shown,
        labels=identity.LABELS,
        defaults=identity.defaults(profile),
    )


@bp.route("/profile", endpoint="profile")
def profile() -> str:
    """The active policy profile, read-only: each value, its clause or local reason, the text."""
    active = state().profile
    return render_template("admin/profile.html", profile=active, values=profile_values(active))


@bp.route("/log", endpoint="log")
def log() -> str:
    """A page of the administration change log, newest first."""
    page = changelog.changes(db_session(), current_viewer(), paging())
    return render_template("admin/log.html", page=page, query=kept_args())
