"""The administrators' pages: the accounts with their lock state, and unlocking one."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from keyproj.clock import now_utc
from keyproj.services.org import accounts
from keyproj.services.org.auth import Client
from web.auth import current_viewer
from web.db import db_session

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users", endpoint="users")
def users() -> str:
    """Every account, locked ones marked, with an unlock button (system administrators only)."""
    rows = accounts.accounts(db_session(), current_viewer(), now_utc())
    return render_template("admin/users.html", rows=rows, locked=sum(1 for r in rows if r.locked))


@bp.route("/users/<int:user_id>/unlock", methods=["POST"], endpoint="unlock")
def unlock(user_id: int) -> Response:
    """Lift an account's lockout (POST with the CSRF token; system administrators only)."""
    session = db_session()
    client = Client(request.remote_addr, request.headers.get("User-Agent"))
    user, was_locked = accounts.unlock_by_admin(
        session, current_viewer(), user_id, now_utc(), client
    )
    session.commit()
    if was_locked:
        flash(f"已解除用户 {user.username}（{user.display_name}）的登录锁定", "success")
    else:
        flash(f"用户 {user.username} 未被锁定，已将其登录失败次数清零", "info")
    return redirect(url_for("admin.users"), 303)
