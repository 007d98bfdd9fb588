"""Account administration: the accounts with their lock state, and lifting a lockout.

An administrator unlocks an account in the browser; the command line (``keyproj users unlock``)
is the way back when every administrator is locked out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from keyproj.codes import AuthEventKind, Role
from keyproj.db.models import User
from keyproj.errors import NotFound, PermissionDenied
from keyproj.services.access import Viewer
from keyproj.services.org import MAX_ID
from keyproj.services.org.auth import Client, record_event

COMMAND_LINE = "命令行"  # the actor of an unlock from ``keyproj users unlock``
NO_CLIENT = Client()  # no address or browser: the command line


@dataclass(frozen=True)
class Account:
    """One account as the administrators' list shows it."""

    id: int
    username: str
    display_name: str
    unit_name: str
    roles: tuple[str, ...]  # labels, e.g. 单位联络员
    active: bool
    locked_until: datetime | None  # only while the lock lasts
    failed_logins: int
    last_login_at: datetime | None

    @property
    def locked(self) -> bool:
        """True while sign-in is refused."""
        return self.locked_until is not None


def require_admin(viewer: Viewer) -> None:
    """Refuse anyone but a system administrator (PermissionDenied)."""
    if not viewer.has(Role.ADMIN):
        raise PermissionDenied("只有系统管理员可以管理用户账号")


def accounts(session: Session, viewer: Viewer, now: datetime) -> list[Account]:
    """Every account by username, with its lock state at ``now`` (administrators only)."""
    require_admin(viewer)
    users = session.scalars(select(User).options(joinedload(User.unit)).order_by(User.username))
    return [_account(user, now) for user in users]


def _account(user: User, now: datetime) -> Account:
    locked = user.locked_until is not None and user.locked_until > now
    return Account(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        unit_name=user.unit.name,
        roles=tuple(Role.label_of(r) for r in sorted(user.roles)),
        active=user.active,
        locked_until=user.locked_until if locked else None,
        failed_logins=user.failed_logins or 0,
        last_login_at=user.last_login_at,
    )


def unlock(
    session: Session, user: User, now: datetime, actor: str, client: Client = NO_CLIENT
) -> bool:
    """Lift ``user``'s lockout and clear its failure count; True when it was locked at ``now``.

    ``actor`` (an administrator's username, or ``COMMAND_LINE``) goes into the sign-in record.
    The caller commits.
    """
    was_locked = user.locked_until is not None and user.locked_until > now
    if user.locked_until is None and not user.failed_logins:
        return False  # nothing to lift: the sign-in record stays as it was
    user.locked_until = None
    user.failed_logins = 0
    record_event(session, AuthEventKind.UNLOCKED, user.username, user, now, client, actor)
    session.flush()
    return was_locked


def unlock_by_admin(
    session: Session, viewer: Viewer, user_id: int, now: datetime, client: Client = NO_CLIENT
) -> tuple[User, bool]:
    """An administrator unlocks the account ``user_id``: the user, and whether it was locked."""
    require_admin(viewer)
    user = session.get(User, user_id) if 0 < user_id <= MAX_ID else None
    if user is None:
        raise NotFound(f"用户 {user_id} 不存在")
    admin = session.get(User, viewer.user_id)
    actor = admin.username if admin is not None else str(viewer.user_id)
    return user, unlock(session, user, now, actor, client)


def unlock_by_username(session: Session, username: str, now: datetime) -> tuple[User, bool]:
    """Unlock ``username`` from the command line: the user, and whether it was locked."""
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise NotFound(f"用户“{username}”不存在")
    return user, unlock(session, user, now, COMMAND_LINE)
