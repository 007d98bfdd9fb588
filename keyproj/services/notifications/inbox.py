"""Notifications: each user's in-app inbox, and every producer and the mail delivery in one place."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from keyproj.clock import now_utc
from keyproj.db.models import Notification
from keyproj.errors import NotFound
from keyproj.paging import Page, Paging, fetch_page
from keyproj.services.notifications.events import dispatch_case_events
from keyproj.services.notifications.mailer import deliver_pending_mail
from keyproj.services.notifications.reminders import (
    bulletin_due,
    send_report_reminders,
    send_task_reminders,
)
from keyproj.services.notifications.store import KINDS, Message, notify

__all__ = [
    "KINDS",
    "Message",
    "bulletin_due",
    "deliver_pending_mail",
    "dispatch_case_events",
    "list_for_user",
    "mark_all_read",
    "mark_read",
    "notification_of",
    "notification_page",
    "notify",
    "send_report_reminders",
    "send_task_reminders",
    "unread_count",
]


def unread_count(session: Session, user_id: int) -> int:
    """How many of the user's notifications are unread."""
    query = select(func.count()).where(
        Notification.user_id == user_id,
        Notification.read_at.is_(None),
        Notification.held.is_(False),
    )
    return int(session.scalar(query) or 0)


def list_for_user(
    session: Session, user_id: int, limit: int = 20, offset: int = 0
) -> list[Notification]:
    """The user's notifications, newest first, ``limit`` of them after ``offset``."""
    return list(session.scalars(_user_query(user_id).limit(limit).offset(offset)))


def notification_page(session: Session, user_id: int, paging: Paging) -> Page[Notification]:
    """One page of the user's notifications, newest first, and how many there are."""
    return fetch_page(session, _user_query(user_id), paging)


def _user_query(user_id: int) -> Select[Notification]:
    return (
        select(Notification)
        .where(Notification.user_id == user_id, Notification.held.is_(False))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def mark_read(
    session: Session, user_id: int, ids: Iterable[int], now: datetime | None = None
) -> int:
    """Mark the user's own notifications among ``ids`` read; others' ids are ignored. Returns how many."""
    wanted = sorted(set(ids))
    if not wanted:
        return 0
    result = session.execute(
        update(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.id.in_(wanted),
            Notification.read_at.is_(None),
        )
        .values(read_at=now or now_utc())
        .execution_options(synchronize_session="fetch")
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def notification_of(session: Session, user_id: int, notification_id: int) -> Notification:
    """The user's own notification; NotFound for anyone else's (its existence is not revealed)."""
    found = session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user_id
        )
    )
    if found is None:
        raise NotFound(f"通知 {notification_id} 不存在")
    return found


def mark_all_read(session: Session, user_id: int, now: datetime | None = None) -> int:
    """Mark every unread notification of the user read; returns how many."""
    result = session.execute(
        update(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.read_at.is_(None),
            Notification.held.is_(False),
        )
        .values(read_at=now or now_utc())
        .execution_options(synchronize_session="fetch")
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
