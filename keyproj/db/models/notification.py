"""Notifications stored per user, the case-event watermark that feeds them, and outgoing mail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from keyproj.codes import NotificationKind
from keyproj.db.base import Base, Coded, UTCDateTime


class Notification(Base):
    """One message in one user's in-app inbox; ``dedupe_key`` makes every producer idempotent."""

    __tablename__ = "notifications"
    __table_args__ = (
        # Insert-if-absent on this pair is what lets a worker run again after a crash.
        UniqueConstraint("user_id", "dedupe_key", name="uq_notifications_dedupe"),
        Index("ix_notifications_user_read", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(Coded(NotificationKind, 32))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(200))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("human_tasks.id"))
    dedupe_key: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Held for the user's daily digest: out of the unread list and unmailed until gathered.
    held: Mapped[bool] = mapped_column(default=False, server_default=false())


class NotificationCursor(Base):
    """How far a feed (``case_events``) has been turned into notifications: the last id read."""

    __tablename__ = "notification_cursors"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class OutgoingMail(Base):
    """An e-mail copy of a notification, sent by a worker; failures back off and are retried."""

    __tablename__ = "outgoing_mail"
    __table_args__ = (Index("ix_outgoing_mail_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # One mail per notification, so queuing twice cannot send twice.
    notification_id: Mapped[int] = mapped_column(
        ForeignKey("notifications.id", ondelete="CASCADE"), unique=True
    )
    to_address: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    # pending → sending (claimed by a worker) → sent, or back to pending, or failed for good.
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
