"""Accounts on the administrators' pages: create, roles, unit, password, unlock, disable.

The same directory and account services back ``keyproj users``, so pages and commands agree;
accounts are never deleted, since cases, reports and sign-in records name them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from keyproj.codes import AdminAction, Role
from keyproj.db.models import User
from keyproj.errors import Conflict, NotFound, ValidationError
from keyproj.services.admin.changelog import Actor, record
from keyproj.services.org import MAX_ID, accounts, directory
from keyproj.services.org.auth import Client
from keyproj.services.org.sessions import end_sessions


def get_user(session: Session, user_id: int) -> User:
    """The account ``user_id`` (NotFound otherwise)."""
    user = session.get(User, user_id) if 0 < user_id <= MAX_ID else None
    if user is None:
        raise NotFound(f"用户 {user_id} 不存在")
    return user


def create(
    session: Session,
    actor: Actor,
    now: datetime,
    data: directory.UserData,
    password_hash: str | None = None,
) -> User:
    """A new account in an active unit (the password policy applies).

    ``password_hash`` lets a bulk load hash a shared password once (it must be of ``data.password``).
    """
    unit = directory.unit_by_code(session, data.unit_code)
    if not unit.active:
        raise ValidationError.single("unit_code", "所属单位", f"单位“{unit.name}”已停用")
    user = directory.create_user(session, data, password_hash)
    roles = "、".join(r.label for r in Role if r in user.roles)
    record(session, actor, AdminAction.USER_CREATED, _label(user), now, f"{unit.name}；{roles}")
    return user


def set_roles(
    session: Session, actor: Actor, now: datetime, user_id: int, roles: list[str]
) -> User:
    """Replace an account's roles; an administrator cannot take away their own."""
    user = get_user(session, user_id)
    if user.id == actor.user_id and Role.ADMIN not in roles:
        raise ValidationError.single("roles", "角色", "不能撤销自己的系统管理员角色")
    before = _roles(user)
    directory.set_roles(session, user, roles)
    if _roles(user) != before:
        change = f"{before} → {_roles(user)}"
        record(session, actor, AdminAction.USER_ROLES_CHANGED, _label(user), now, change)
    return user


def move(session: Session, actor: Actor, now: datetime, user_id: int, unit_code: str) -> User:
    """Move an account to another active unit."""
    user = get_user(session, user_id)
    unit = directory.unit_by_code(session, unit_code)
    if not unit.active:
        raise ValidationError.single("unit_code", "所属单位", f"单位“{unit.name}”已停用")
    if unit.id != user.unit_id:
        before = user.unit.name
        user.unit = unit
        session.flush()
        change = f"{before} → {unit.name}"
        record(session, actor, AdminAction.USER_UNIT_CHANGED, _label(user), now, change)
    return user


def reset_password(
    session: Session, actor: Actor, now: datetime, user_id: int, password: str
) -> User:
    """Set a new password (policy applies); every session signed in with the old one ends."""
    user = get_user(session, user_id)
    directory.set_password(session, user, password)
    record(session, actor, AdminAction.PASSWORD_RESET, _label(user), now)
    return user


def unlock(
    session: Session, actor: Actor, now: datetime, user_id: int, client: Client
) -> tuple[User, bool]:
    """Lift a lockout (also recorded in the sign-in log); whether the account was locked."""
    user = get_user(session, user_id)
    had_failures = user.locked_until is not None or bool(user.failed_logins)
    was_locked = accounts.unlock(session, user, now, actor.name, client)
    if had_failures:
        record(session, actor, AdminAction.USER_UNLOCKED, _label(user), now)
    return user, was_locked


def set_active(session: Session, actor: Actor, now: datetime, user_id: int, active: bool) -> User:
    """Disable an account (signed out at once, kept with its history) or enable it again."""
    user = get_user(session, user_id)
    if user.active == active:
        raise Conflict(f"账号 {user.username} 已是{'启用' if active else '停用'}状态")
    if not active and user.id == actor.user_id:
        raise ValidationError.single("active", "状态", "不能停用自己正在使用的账号")
    if active and not user.unit.active:
        raise ValidationError.single(
            "active", "状态", f"所属单位“{user.unit.name}”已停用：请先将账号调到启用的单位"
        )
    user.active = active
    if not active:
        end_sessions(user)
    session.flush()
    action = AdminAction.USER_ENABLED if active else AdminAction.USER_DISABLED
    record(session, actor, action, _label(user), now)
    return user


def _roles(user: User) -> str:
    return "、".join(r.label for r in Role if r in user.roles) or "无"


def _label(user: User) -> str:
    return f"账号 {user.username}（{user.display_name}）"
