"""Sign-in records (successes, failures, lockouts, sign-outs) and API tokens for other systems."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from keyproj.codes import AuthEventKind
from keyproj.db.base import Base, Coded, UTCDateTime


class AuthEvent(Base):
    """One sign-in, failed sign-in, lockout, unlock or sign-out; ``username`` as typed (the user may not exist)."""

    __tablename__ = "auth_events"
    # The lockout of a username no account has is read from its failures (auth.sign_in).
    __table_args__ = (Index("ix_auth_events_username_occurred_at", "username", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    username: Mapped[str] = mapped_column(String(64))
    kind: Mapped[AuthEventKind] = mapped_column(Coded(AuthEventKind, 16))
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # Who acted for the user (an unlock): an administrator's username, or the command line.
    actor: Mapped[str | None] = mapped_column(String(64))


class ApiToken(Base):
    """A bearer token of one user for the JSON API (LP12, GS4); only its sha256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in lists so a token can be recognised
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
