"""Bearer tokens of the JSON API (LP12, GS4): issued once, stored only as a sha256, revocable."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.db.models import ApiToken, User
from keyproj.errors import NotFound, ValidationError
from keyproj.services.org import MAX_ID
from keyproj.validation import Checks

TOKEN_PREFIX = "kp_"
PREFIX_LENGTH = 10  # "kp_" and 7 random characters: enough to recognise a token in a list
LABELS = {"name": "令牌名称", "expires_at": "有效期至"}
MAX_DAYS = 3650  # ten years: a longer-lived token should be a long-lived one (no expiry) on purpose


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
    elif expires_at is not None and expires_at > now + timedelta(days=MAX_DAYS):
        checks.fail("expires_at", f"有效期最长{MAX_DAYS}天（约10年）；长期使用请不设有效期")
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


def expiry_after(now: datetime, days: int | None) -> datetime | None:
    """The end of a token valid for ``days`` days (1 to MAX_DAYS) from ``now``; None: no expiry."""
    if days is None:
        return None
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError.single(
            "days", "有效天数", f"须为1至{MAX_DAYS}之间的整数（最长约10年），“{days}”超出范围"
        )
    return now + timedelta(days=days)


def revoke(session: Session, token_id: int, now: datetime) -> tuple[ApiToken, bool]:
    """Revoke a token at once: the token, and whether this call revoked it (revoking it again
    keeps the first revocation time)."""
    token = session.get(ApiToken, token_id) if 0 < token_id <= MAX_ID else None
    if token is None:
        raise NotFound(f"令牌 {token_id} 不存在")
    if token.revoked_at is not None:
        return token, False
    token.revoked_at = now
    session.flush()
    return token, True


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """A user's tokens, newest first."""
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(session.scalars(query))


@dataclass(frozen=True)
class TokenListing:
    """One token as ``keyproj users tokens`` lists it: never the token itself, only its prefix."""

    id: int
    username: str
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    def state(self, now: datetime) -> str:
        """有效, 已过期 or 已吊销 at ``now``."""
        if self.revoked_at is not None:
            return "已吊销"
        if self.expires_at is not None and self.expires_at <= now:
            return "已过期"
        return "有效"


def token_listing(session: Session, username: str | None = None) -> list[TokenListing]:
    """Every token, or those of ``username`` (NotFound if no such user), in the order issued."""
    query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
    if username is not None:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(f"用户“{username}”不存在")
        query = query.where(ApiToken.user_id == user.id)
    rows = session.execute(query.order_by(ApiToken.id))
    return [
        TokenListing(
            id=token.id,
            username=owner,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            expires_at=token.expires_at,
            last_used_at=token.last_used_at,
            revoked_at=token.revoked_at,
        )
        for token, owner in rows
    ]
