"""Sign-in hardening: the password policy, lockout after repeated failures, and the sign-in record.

A username that has no (active) account is locked out exactly like an account: after five
failures its sign-ins are refused "until" the same time an account's would be. Its state is
read from the sign-in record, so the answers reveal no username.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session

from keyproj.clock import BEIJING
from keyproj.codes import AuthEventKind
from keyproj.db.models import AuthEvent, User
from keyproj.passwords import check_policy, hash_password, verify_password
from keyproj.services.org.sessions import end_sessions, session_token

# A product choice (no regulation sets them): 5 wrong passwords in a row lock for 30 minutes.
MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 30
LOGIN_FAILED = "用户名或密码错误"


@dataclass(frozen=True)
class Client:
    """Where a sign-in came from, as the sign-in record keeps it."""

    ip: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in: the user and the new session's token, else the Chinese reason."""

    user: User | None
    message: str | None = None
    session_token: str | None = None

    @property
    def ok(self) -> bool:
        """True when the user is signed in."""
        return self.user is not None


def check_password_policy(password: str) -> None:
    """Refuse (ValidationError on "password") a password under 8 characters or with < 3 character classes."""
    check_policy(password)


def sign_in(
    session: Session, username: str, password: str, now: datetime, client: Client = Client()
) -> SignIn:
    """Check a username and password with lockout, and record the attempt; the caller commits."""
    typed = username.strip()
    # Locked for update: two concurrent wrong passwords must both count towards the lockout.
    user = session.scalar(select(User).where(User.username == typed).with_for_update())
    if user is None or not user.active:
        verify_password(_dummy_hash(), password)  # same cost either way: usernames stay hidden
        return _no_account(session, typed, user, now, client)
    if user.locked_until is not None and user.locked_until > now:
        # Refused even with the right password; the failure does not extend the lock. The
        # password is still hashed, so a locked account answers as slowly as a missing one.
        verify_password(_dummy_hash(), password)
        record_event(session, AuthEventKind.LOGIN_FAILED, typed, user, now, client)
        return SignIn(None, locked_message(user.locked_until))
    if not verify_password(user.password_hash, password):
        return _failed(session, typed, user, now, client)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    token = session_token(user)
    record_event(session, AuthEventKind.LOGIN, typed, user, now, client)
    session.flush()
    return SignIn(user, session_token=token)


def sign_out(session: Session, user_id: int, now: datetime, client: Client = Client()) -> None:
    """Record a sign-out and end every session of the user, in every browser; the caller commits."""
    user = session.get(User, user_id)
    if user is not None:
        end_sessions(user)
        record_event(session, AuthEventKind.LOGOUT, user.username, user, now, client)
        session.flush()


def locked_message(until: datetime) -> str:
    """The Chinese message of a locked account, with the unlock time in Beijing time."""
    when = until.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
    return (
        f"连续{MAX_FAILED_LOGINS}次密码错误，账号已锁定至{when}（北京时间），"
        "请届时再试或联系系统管理员"
    )


def _failed(session: Session, typed: str, user: User, now: datetime, client: Client) -> SignIn:
    user.failed_logins = (user.failed_logins or 0) + 1
    record_event(session, AuthEventKind.LOGIN_FAILED, typed, user, now, client)
    if user.failed_logins < MAX_FAILED_LOGINS:
        session.flush()
        return SignIn(None, LOGIN_FAILED)
    # The counter starts again, so after the lock another five failures are needed to re-lock.
    user.failed_logins = 0
    user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
    record_event(session, AuthEventKind.LOCKED, typed, user, now, client)
    session.flush()
    return SignIn(None, locked_message(user.locked_until))


def _no_account(
    session: Session, typed: str, user: User | None, now: datetime, client: Client
) -> SignIn:
    """A failure of a username without an active account, counted and locked as ``_failed`` does."""
    name = typed[:64]
    last_lock = session.scalar(
        select(func.max(AuthEvent.occurred_at)).where(
            AuthEvent.username == name, AuthEvent.kind == AuthEventKind.LOCKED
        )
    )
    locked_until = last_lock + timedelta(minutes=LOCK_MINUTES) if last_lock else None
    if locked_until is not None and locked_until > now:
        record_event(session, AuthEventKind.LOGIN_FAILED, typed, user, now, client)
        session.flush()
        return SignIn(None, locked_message(locked_until))
    # As for an account: failures while locked do not count, and a lock starts the count again.
    since: ColumnElement[bool] = (
        AuthEvent.occurred_at >= locked_until if locked_until is not None else true()
    )
    earlier = session.scalar(
        select(func.count()).where(
            AuthEvent.username == name, AuthEvent.kind == AuthEventKind.LOGIN_FAILED, since
        )
    )
    record_event(session, AuthEventKind.LOGIN_FAILED, typed, user, now, client)
    if (earlier or 0) + 1 < MAX_FAILED_LOGINS:
        session.flush()
        return SignIn(None, LOGIN_FAILED)
    record_event(session, AuthEventKind.LOCKED, typed, user, now, client)
    session.flush()
    return SignIn(None, locked_message(now + timedelta(minutes=LOCK_MINUTES)))


def record_event(
    session: Session,
    kind: AuthEventKind,
    typed: str,
    user: User | None,
    now: datetime,
    client: Client = Client(),
    actor: str | None = None,
) -> None:
    """Add one row to the sign-in record (``typed``: the username as given); the caller commits."""
    session.add(
        AuthEvent(
            user_id=user.id if user is not None else None,
            username=typed[:64],
            kind=kind,
            ip=_cut(client.ip, 64),
            user_agent=_cut(client.user_agent, 255),
            occurred_at=now,
            actor=_cut(actor, 64),
        )
    )


def _cut(value: str | None, limit: int) -> str | None:
    return value[:limit] if value else None


@cache
def _dummy_hash() -> str:
    return hash_password("Dummy#password1")
