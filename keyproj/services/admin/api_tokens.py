"""API tokens on the administrators' pages: the list with ids, issuing one (shown once), revoking."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import AdminAction
from keyproj.db.models import ApiToken, User
from keyproj.errors import ValidationError
from keyproj.paging import Page, Paging, fetch_page
from keyproj.services.admin.changelog import Actor, record
from keyproj.services.admin.users import get_user
from keyproj.services.org import tokens
from keyproj.services.org.tokens import TokenListing


def token_page(session: Session, paging: Paging) -> Page[TokenListing]:
    """A page of every token, newest first; never the token itself, only its prefix."""
    query = (
        select(ApiToken, User.username)
        .join(User, User.id == ApiToken.user_id)
        .order_by(ApiToken.id.desc())
    )
    return fetch_page(session, query, paging).map(lambda row: _listing(row[0], row[1]))


def issue(
    session: Session, actor: Actor, now: datetime, user_id: int, name: str, days: int | None
) -> tuple[ApiToken, str]:
    """Issue a token to an active account: the stored token and the raw one (shown once)."""
    user = get_user(session, user_id)
    if not user.active:
        raise ValidationError.single("user_id", "用户", f"账号 {user.username} 已停用")
    raw = tokens.issue_token(session, user, name, now, tokens.expiry_after(now, days))
    token = session.scalars(
        select(ApiToken).where(ApiToken.token_hash == tokens.token_hash(raw))
    ).one()
    until = "长期有效" if days is None else f"{days}天"
    details = f"{token.id}号“{token.name}”（{token.prefix}…），{until}"
    record(session, actor, AdminAction.TOKEN_ISSUED, f"账号 {user.username}", now, details)
    return token, raw


def revoke(session: Session, actor: Actor, now: datetime, token_id: int) -> tuple[ApiToken, bool]:
    """Revoke a token at once: the token, and whether it was still valid until now."""
    # Told by the revocation itself: two calls in one clock tick would share a timestamp.
    token, revoked_now = tokens.revoke(session, token_id, now)
    if revoked_now:
        owner = session.get(User, token.user_id)
        target = f"账号 {owner.username}" if owner is not None else f"令牌 {token.id}"
        details = f"{token.id}号“{token.name}”（{token.prefix}…）"
        record(session, actor, AdminAction.TOKEN_REVOKED, target, now, details)
    return token, revoked_now


def _listing(token: ApiToken, owner: str) -> TokenListing:
    return TokenListing(
        id=token.id,
        username=owner,
        name=token.name,
        prefix=token.prefix,
        created_at=token.created_at,
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )
