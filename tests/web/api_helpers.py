"""Helpers of the JSON API tests: tokens, and the error shape every failure must have."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from keyproj.clock import now_utc
from keyproj.db.models import User
from keyproj.services.org import tokens


def bearer(
    session: Session, user: User, now: datetime | None = None, expires_at: datetime | None = None
) -> dict[str, str]:
    """The Authorization header of a new, committed token of ``user``."""
    raw = tokens.issue_token(session, user, "市重点项目系统", now or now_utc(), expires_at)
    session.commit()
    return {"Authorization": f"Bearer {raw}"}


def api_error(response: TestResponse, status: int, code: str) -> dict[str, object]:
    """The error object of a JSON error response, after checking its status, code and shape."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    error = body["error"]
    assert error["code"] == code
    assert any("\u4e00" <= c <= "\u9fff" for c in error["message"]), "message is not in Chinese"
    return error  # type: ignore[no-any-return]
