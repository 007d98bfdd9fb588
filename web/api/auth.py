"""Bearer-token authentication of the API; the session cookie of the pages is never accepted here."""

from __future__ import annotations

from flask import Response, g, request

from keyproj.clock import now_utc
from keyproj.services.access import Viewer, viewer_for
from keyproj.services.org import tokens
from web.api.errors import error_response
from web.db import db_session

PUBLIC_ENDPOINTS = frozenset({"api.openapi"})


def authenticate() -> Response | None:
    """Check the request's bearer token (every endpoint but the OpenAPI document needs one)."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw:
        return error_response(
            401, "unauthorized", "缺少访问令牌：请在请求头中提供 Authorization: Bearer <令牌>"
        )
    session = db_session()
    user = tokens.verify(session, raw, now_utc())
    if user is None:
        return error_response(401, "invalid_token", "访问令牌无效、已过期或已吊销")
    g.api_viewer = viewer_for(session, user)
    session.commit()  # keeps the token's last use even when the request itself fails
    return None


def api_viewer() -> Viewer:
    """The Viewer of the token's user (endpoints behind ``authenticate`` only)."""
    return g.api_viewer  # type: ignore[no-any-return]
