"""The administrators' pages: accounts, units, API tokens, the calendar, the county, the profile.

Every page is for system administrators only (checked before any handler); every change goes
through ``keyproj.services.admin`` and is written to the change log.
"""

from __future__ import annotations

from flask import Blueprint, request

from keyproj.services.org.accounts import require_admin
from keyproj.services.org.auth import Client
from web.auth import current_viewer

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def only_administrators() -> None:
    """Refuse every administration page to anyone but a system administrator (403)."""
    require_admin(current_viewer())


def client() -> Client:
    """The browser a change came from, for the sign-in record."""
    return Client(request.remote_addr, request.headers.get("User-Agent"))


# The pages register their routes on ``bp``.
from web.admin import accounts, calendar, county, tokens, units  # noqa: E402

__all__ = ["accounts", "bp", "calendar", "client", "county", "tokens", "units"]
