"""The regulation's clause behind a 依据 link: its text, for every signed-in user."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from keyproj.policy.clauses import clause
from keyproj.policy.loader import available_profiles, load_profile

bp = Blueprint("clauses", __name__)


def _document(seed: str) -> str:
    """The title of the regulation a clause comes from (the profile that encodes it)."""
    for name in available_profiles():
        identity = load_profile(name).profile
        if identity.seed == seed:
            return f"{identity.name}《{identity.document}》"
    return "规章"


@bp.route("/clauses/<code>", endpoint="detail")
def detail(code: str) -> str:
    """The clause's text as the regulation words it; an unknown code is not found."""
    found = clause(code)
    if found is None:
        abort(404)
    return render_template("clauses/detail.html", clause=found, document=_document(found.seed))
