"""The daily digest (issue 15): a user's held per-task notifications gathered into one a day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from keyproj.clock import beijing_date
from keyproj.codes import NotificationKind, NotificationMode
from keyproj.db.models import Notification, User
from keyproj.errors import NotFound, ValidationError
from keyproj.services.notifications.store import Message, notify

# The digest names this many notifications; the rest are counted (the list page has them all).
LISTED = 30
NOTIFICATIONS_PAGE = "/notifications"


def mode_of(session: Session, user_id: int) -> NotificationMode:
    """How the user takes their per-task notifications."""
    mode = session.scalar(select(User.notification_mode).where(User.id == user_id))
    if mode is None:
        raise NotFound(f"用户 {user_id} 不存在")
    return mode


def set_mode(session: Session, user_id: int, mode: str) -> NotificationMode:
    """Set the user's own notification mode; an unknown mode is refused, naming the field."""
    chosen = NotificationMode.parse(mode)
    if chosen is None:
        raise ValidationError.single("mode", "通知方式", "请选择“即时通知”或“每日汇总”")
    session.execute(update(User).where(User.id == user_id).values(notification_mode=chosen))
    if chosen == NotificationMode.IMMEDIATE:
        # Nothing stays hidden once the user stops gathering: what was held shows at once.
        session.execute(
            update(Notification)
            .where(Notification.user_id == user_id, Notification.held.is_(True))
            .values(held=False)
        )
    return chosen


def send_digests(session: Session, now: datetime) -> int:
    """One digest per user and Beijing day of everything held for them; returns how many.

    A second run on the same day finds that day's digest written and leaves what was held
    since for the next day's, so a digest is never sent twice and nothing is lost.
    """
    held = session.execute(
        select(Notification.id, Notification.user_id, Notification.title)
        .where(Notification.held.is_(True))
        .order_by(Notification.user_id, Notification.created_at, Notification.id)
    ).all()
    gathered: dict[int, list[tuple[int, str]]] = {}
    for notification_id, user_id, title in held:
        gathered.setdefault(user_id, []).append((notification_id, title))
    day = beijing_date(now)
    sent = 0
    for user_id, items in gathered.items():
        if notify(session, [(user_id, f"digest:{day.isoformat()}", _digest(day, items))], now):
            session.execute(
                update(Notification)
                .where(Notification.id.in_([i for i, _ in items]))
                .values(held=False, read_at=now)
            )
            sent += 1
    return sent


def _digest(day: date, items: list[tuple[int, str]]) -> Message:
    """The digest's text: how many, and the first ``LISTED`` titles."""
    lines = [f"· {title}" for _, title in items[:LISTED]]
    if len(items) > LISTED:
        lines.append(f"……另有 {len(items) - LISTED} 条，请到通知列表查看。")
    label = f"{day.year}年{day.month}月{day.day}日"
    return Message(
        NotificationKind.DAILY_DIGEST,
        f"{label}通知汇总（{len(items)} 条）",
        "\n".join([f"您有 {len(items)} 条待办相关通知：", *lines]),
        NOTIFICATIONS_PAGE,
    )
