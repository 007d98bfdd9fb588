"""Browser sessions that end on the server: each one carries its user's session nonce.

The session cookie is signed, not stored, so a copy of it would stay valid until it expired.
Every signed-in session therefore names its user *and* the user's current nonce; replacing the
nonce (at sign-out and at a password change) ends every session of the user at once, in every
browser, including any copied cookie.
"""

from __future__ import annotations

import hmac
import secrets

from sqlalchemy.orm import Session

from keyproj.db.models import User
from keyproj.services.org import MAX_ID

NONCE_BYTES = 24  # 32 characters of urlsafe base64: as hard to guess as the signing key


def session_token(user: User) -> str:
    """What a new browser session of ``user`` carries: the id and the nonce (made if none is live)."""
    if user.session_nonce is None:
        user.session_nonce = secrets.token_urlsafe(NONCE_BYTES)
    return f"{user.id}:{user.session_nonce}"


def user_of_session(session: Session, token: str) -> User | None:
    """The active user whose live session ``token`` is; None once it was ended or is malformed."""
    user_id, _, nonce = token.partition(":")
    if not (token.isascii() and user_id.isdigit() and nonce) or not 0 < int(user_id) <= MAX_ID:
        return None
    user = session.get(User, int(user_id))
    if user is None or not user.active or user.session_nonce is None:
        return None
    # Constant time: the comparison must not tell how much of a guessed nonce was right.
    if not hmac.compare_digest(user.session_nonce.encode(), nonce.encode()):
        return None
    return user


def end_sessions(user: User) -> None:
    """End every browser session of ``user``, everywhere; the caller commits."""
    user.session_nonce = None
