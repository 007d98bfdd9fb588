"""In-app notifications: the bell's unread count in every page header, the list, mark read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from keyproj.codes import NotificationMode
from keyproj.paging import NOTIFICATION_PAGE_SIZE
from keyproj.services.notifications import digest
from keyproj.services.notifications import inbox as notification_service
from web.db import db_session
from web.paging import kept_args, paging

bp = Blueprint("notifications", __name__)


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
    """The user's notifications, newest first, a page at a time, with how many there are."""
    session = db_session()
    page = notification_service.notification_page(
        session, current_user.id, paging(NOTIFICATION_PAGE_SIZE)
    )
    return render_template(
        "notifications/list.html",
        page=page,
        back=kept_args("page"),  # mark-read returns to this page
        query=kept_args(),
        unread=notification_service.unread_count(session, current_user.id),
        modes=NotificationMode.labels(),
        mode=digest.mode_of(session, current_user.id),
    )


@bp.route("/notifications/mode", methods=["POST"], endpoint="set_mode")
def set_mode() -> Response:
    """Save how the user takes task notifications: at once, or as one digest a day."""
    session = db_session()
    chosen = digest.set_mode(session, current_user.id, request.form.get("mode", ""))
    session.commit()
    flash(f"通知方式已设为“{chosen.label}”", "success")
    return redirect(url_for("notifications.list"), 303)


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


def _back() -> str:
    """The list page the user came from (its page and page size only; the list checks them)."""
    return url_for("notifications.list", **kept_args("page"))
