"""In-app notifications: the bell's unread count in every page header, the list, mark read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from keyproj.paging import NOTIFICATION_PAGE_SIZE
from keyproj.services.notifications import inbox as notification_service
from keyproj.validation import QueryArgs
from web.db import db_session

bp = Blueprint("notifications", __name__)
PAGE_SIZE = NOTIFICATION_PAGE_SIZE


@bp.app_context_processor
def header_globals() -> dict[str, Any]:
    """What base.html needs on every page: the app (to test endpoints) and the bell's count."""
    return {"current_app": current_app, "unread_notifications": _unread_counter()}


def _unread_counter() -> Callable[[], int | None]:
    """A function the header calls only for a signed-in user, so other pages query nothing."""

    def count() -> int | None:
        if not current_user.is_authenticated:
            return None
        try:
            return notification_service.unread_count(db_session(), current_user.id)
        except SQLAlchemyError:
            # The header of the error page itself must not fail when the database does.
            current_app.logger.exception("unread notification count unavailable")
            db_session().rollback()
            return None

    return count


@bp.route("/notifications", endpoint="list")
def list_view() -> str:
    """The user's notifications, newest first, a page at a time."""
    page = _page()
    session = db_session()
    # One row more than a page tells whether there is a next page.
    rows = notification_service.list_for_user(
        session, current_user.id, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
    )
    return render_template(
        "notifications/list.html",
        notifications=rows[:PAGE_SIZE],
        page=page,
        has_next=len(rows) > PAGE_SIZE,
        unread=notification_service.unread_count(session, current_user.id),
    )


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"], endpoint="mark_read")
def mark_read(notification_id: int) -> Response:
    """Mark one of the user's own notifications read; another user's id is a 404."""
    session = db_session()
    notification_service.notification_of(session, current_user.id, notification_id)
    notification_service.mark_read(session, current_user.id, [notification_id])
    session.commit()
    return redirect(_back(), 303)


@bp.route("/notifications/read-all", methods=["POST"], endpoint="mark_all_read")
def mark_all_read() -> Response:
    """Mark every unread notification of the user read."""
    session = db_session()
    count = notification_service.mark_all_read(session, current_user.id)
    session.commit()
    flash(f"已将 {count} 条通知标为已读" if count else "没有未读通知", "info")
    return redirect(_back(), 303)


def _page() -> int:
    """The page asked for; a malformed number is refused with its name (a 400 page)."""
    read = QueryArgs(request.args, {"page": "页码"})
    page = read.read_page()
    read.done()
    return page


def _back() -> str:
    """The list page the user came from (its page number only; nothing else is taken from input)."""
    page = _page()
    return url_for("notifications.list", page=page) if page > 1 else url_for("notifications.list")
