"""The JSON API under /api/v1 (LP12, GS4): bearer tokens, the pages' data scope, JSON errors."""

from __future__ import annotations

from flask import Blueprint, Response

from web.api import auth, errors

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.before_request(auth.authenticate)
errors.register(bp)


@bp.after_request
def no_store(response: Response) -> Response:
    """API answers carry per-user data: no cache may keep them."""
    response.headers.setdefault("Cache-Control", "no-store")
    return response


# A client sends no CSRF token: the bearer token in a header is what another site cannot forge.
bp.record_once(lambda setup: setup.app.extensions["csrf"].exempt(bp))

# The endpoint modules attach their routes to ``bp`` when imported.
from web.api import (  # noqa: E402, F401
    cases,
    decisions,
    half_year,
    inspection_reports,
    instructions,
    interviews,
    meetings,
    openapi,
    plans,
    projects,
    sitework,
    tours,
    triage,
    warnings,
)
