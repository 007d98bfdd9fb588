"""The administrators' account pages: the list, a new account, and one account's changes."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from keyproj.clock import now_utc
from keyproj.codes import ROLES
from keyproj.errors import Conflict, ValidationError
from keyproj.services.admin import users as user_admin
from keyproj.services.admin.changelog import Actor, actor_of
from keyproj.services.admin.units import all_units
from keyproj.services.org import accounts
from keyproj.services.org.directory import UserData
from web.admin import bp, client
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session
from web.paging import kept_args, paging


def _actor() -> Actor:
    return actor_of(db_session(), current_viewer())


@bp.route("/users", endpoint="users")
def users() -> str:
    """A page of the accounts, locked ones marked, with an unlock button."""
    listing = accounts.accounts(db_session(), current_viewer(), now_utc(), paging())
    return render_template("admin/users.html", listing=listing, query=kept_args())


@bp.route("/users/new", methods=["GET", "POST"], endpoint="new_user")
def new_user() -> Response | str:
    """Create an account: username, name, unit, roles, a first password."""
    session = db_session()
    form = request.form
    if request.method == "POST":
        data = UserData(
            username=form.get("username", "").strip(),
            display_name=form.get("display_name", ""),
            unit_code=form.get("unit_code", ""),
            password=form.get("password", ""),
            roles=form.getlist("roles"),
            email=form.get("email", "").strip() or None,
            phone=form.get("phone", "").strip() or None,
        )
        with commit_or_refuse(ValidationError) as outcome:
            user = user_admin.create(session, _actor(), now_utc(), data)
        if outcome.refusal is None:
            flash(f"已创建账号 {user.username}（{user.display_name}）", "success")
            return redirect(url_for("admin.user", user_id=user.id), 303)
        flash(str(outcome.refusal), "error")
    return render_template("admin/user_new.html", form=form, roles=ROLES, units=all_units(session))


@bp.route("/users/<int:user_id>", endpoint="user")
def user(user_id: int) -> str:
    """One account with the forms that change it."""
    session = db_session()
    found = user_admin.get_user(session, user_id)
    locked = found.locked_until is not None and found.locked_until > now_utc()
    return render_template(
        "admin/user.html", user=found, locked=locked, roles=ROLES, units=all_units(session)
    )


@bp.route("/users/<int:user_id>/roles", methods=["POST"], endpoint="user_roles")
def user_roles(user_id: int) -> Response:
    """Replace the account's roles."""
    with commit_or_refuse(ValidationError) as outcome:
        user_admin.set_roles(
            db_session(), _actor(), now_utc(), user_id, request.form.getlist("roles")
        )
    outcome.flash("角色已更新")
    return redirect(url_for("admin.user", user_id=user_id), 303)


@bp.route("/users/<int:user_id>/unit", methods=["POST"], endpoint="user_unit")
def user_unit(user_id: int) -> Response:
    """Move the account to another unit."""
    with commit_or_refuse(ValidationError) as outcome:
        user_admin.move(
            db_session(), _actor(), now_utc(), user_id, request.form.get("unit_code", "")
        )
    outcome.flash("所属单位已更新")
    return redirect(url_for("admin.user", user_id=user_id), 303)


@bp.route("/users/<int:user_id>/password", methods=["POST"], endpoint="user_password")
def user_password(user_id: int) -> Response:
    """Set a new password; the account's browser sessions end."""
    with commit_or_refuse(ValidationError) as outcome:
        user_admin.reset_password(
            db_session(), _actor(), now_utc(), user_id, request.form.get("password", "")
        )
    outcome.flash("密码已重置，该账号已在所有浏览器上退出登录")
    return redirect(url_for("admin.user", user_id=user_id), 303)


@bp.route("/users/<int:user_id>/active", methods=["POST"], endpoint="user_active")
def user_active(user_id: int) -> Response:
    """Disable the account (it signs out everywhere) or enable it again."""
    active = request.form.get("active") == "1"
    with commit_or_refuse(ValidationError, Conflict) as outcome:
        user_admin.set_active(db_session(), _actor(), now_utc(), user_id, active)
    outcome.flash("账号已恢复" if active else "账号已停用，历史记录保留")
    return redirect(url_for("admin.user", user_id=user_id), 303)


@bp.route("/users/<int:user_id>/unlock", methods=["POST"], endpoint="unlock")
def unlock(user_id: int) -> Response:
    """Lift an account's lockout (POST with the CSRF token)."""
    session = db_session()
    user, was_locked = user_admin.unlock(session, _actor(), now_utc(), user_id, client())
    session.commit()
    if was_locked:
        flash(f"已解除用户 {user.username}（{user.display_name}）的登录锁定", "success")
    else:
        flash(f"用户 {user.username} 未被锁定，已将其登录失败次数清零", "info")
    # Back to the page of the list the button was on.
    return redirect(url_for("admin.users", **kept_args("page")), 303)
