"""Bearer tokens of the JSON API (LP12, GS4): issued once, stored only as a sha256, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.db.models import ApiToken, User
from keyproj.errors import NotFound
from keyproj.validation import Checks

TOKEN_PREFIX = "kp_"
PREFIX_LENGTH = 10  # "kp_" and 7 random characters: enough to recognise a token in a list
LABELS = {"name": "令牌名称", "expires_at": "有效期至"}


def token_hash(raw: str) -> str:
    """The sha256 (hex) under which a token is stored."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def issue_token(
    session: Session, user: User, name: str, now: datetime, expires_at: datetime | None = None
) -> str:
    """A new token of ``user``; the raw token is returned once and never stored."""
    checks = Checks(LABELS)
    checks.required("name", name)
    checks.max_length("name", name, 100)
    if expires_at is not None and expires_at <= now:
        checks.fail("expires_at", "有效期须晚于当前时间")
    checks.done()
    # 32 random bytes: guessing is hopeless, so a plain sha256 (no salt, no slow hash) suffices.
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            user_id=user.id,
            name=name.strip(),
            token_hash=token_hash(raw),
            prefix=raw[:PREFIX_LENGTH],
            created_at=now,
            expires_at=expires_at,
        )
    )
    session.flush()
    return raw


def verify(session: Session, raw: str, now: datetime) -> User | None:
    """The active user of a valid (known, unrevoked, unexpired) token, else None; notes its use."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(raw)))
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        return None
    token.last_used_at = now
    session.flush()
    return user


def revoke(session: Session, token_id: int, now: datetime) -> ApiToken:
    """Revoke a token at once; revoking it again keeps the first revocation time."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"令牌 {token_id} 不存在")
    if token.revoked_at is None:
        token.revoked_at = now
        session.flush()
    return token


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """A user's tokens, newest first."""
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(session.scalars(query))
