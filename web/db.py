"""The app's Runtime and one SQLAlchemy session per request (opened lazily, closed at teardown)."""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session

from keyproj.runtime import Runtime


def state() -> Runtime:
    """The Runtime the app was built with (kept in ``app.extensions["keyproj"]``)."""
    return current_app.extensions["keyproj"]  # type: ignore[no-any-return]


def db_session() -> Session:
    """The request's session, created on first use so requests that need no database open none."""
    if "db_session" not in g:
        g.db_session = state().sessions()
    return g.db_session  # type: ignore[no-any-return]


def close_db_session(_exc: BaseException | None = None) -> None:
    """Close the request's session; anything not committed is rolled back."""
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
