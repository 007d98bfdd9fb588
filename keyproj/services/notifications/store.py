"""Writing notifications once per (user, dedupe key), queuing their mail, and finding recipients."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from keyproj.clock import BEIJING
from keyproj.codes import NotificationKind, NotificationMode
from keyproj.db.models import (
    Case,
    DecidedItem,
    EarlyWarning,
    Leader,
    Notification,
    OutgoingMail,
    Project,
    Unit,
    User,
    UserRole,
)
from keyproj.services.notifications import mailer

# How much of a decided item's text a message names it by.
ITEM_CHARS = 30
# What each kind of notification is about, as users see it in their inbox.
KINDS = NotificationKind.labels()
# The per-task notifications a user may take as one daily digest instead (issue 15).
GATHERED_KINDS = frozenset(
    {NotificationKind.TASK_READY, NotificationKind.TASK_DUE_SOON, NotificationKind.TASK_OVERDUE}
)


@dataclass(frozen=True)
class Message:
    """What a notification says, and what it points at."""

    kind: str
    title: str
    body: str
    link: str | None = None
    case_id: int | None = None
    task_id: int | None = None


Delivery = tuple[int, str, Message]  # (user id, dedupe key, message)


def insert_if_absent(session: Session, table: Any, keys: list[str]) -> Any:
    """An INSERT that skips rows clashing on ``keys`` (ON CONFLICT DO NOTHING, both backends)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing(index_elements=keys)


_NOTIFICATIONS: Table = Notification.__table__  # type: ignore[assignment]


def notify(session: Session, deliveries: Iterable[Delivery], now: datetime) -> int:
    """Store each (user, key) notification unless it exists; queue mail for the new ones.

    Returns how many notifications are new, so a second run of any producer returns 0.
    """
    rows: dict[tuple[int, str], dict[str, Any]] = {}
    deliveries = list(deliveries)
    digest_users = _digest_users(session, {d[0] for d in deliveries if d[2].kind in GATHERED_KINDS})
    for user_id, key, message in deliveries:
        rows.setdefault(
            (user_id, key),
            {
                "user_id": user_id,
                "dedupe_key": key,
                "kind": message.kind,
                "title": message.title[:200],
                "body": message.body,
                "link": message.link,
                "case_id": message.case_id,
                "task_id": message.task_id,
                "created_at": now,
                "read_at": None,
                "held": message.kind in GATHERED_KINDS and user_id in digest_users,
            },
        )
    if not rows:
        return 0
    statement = insert_if_absent(session, _NOTIFICATIONS, ["user_id", "dedupe_key"]).returning(
        _NOTIFICATIONS.c.id, _NOTIFICATIONS.c.user_id, _NOTIFICATIONS.c.dedupe_key
    )
    params = list(rows.values())
    created = session.execute(statement, params[0] if len(params) == 1 else params).all()
    # A held notification is mailed with its digest, not on its own.
    mailed = [(nid, rows[uid, key]) for nid, uid, key in created if not rows[uid, key]["held"]]
    _queue_mail(session, mailed, now)
    return len(created)


def _digest_users(session: Session, user_ids: set[int]) -> set[int]:
    """Those of ``user_ids`` who take their per-task notifications as a daily digest."""
    if not user_ids:
        return set()
    query = select(User.id).where(
        User.id.in_(sorted(user_ids)), User.notification_mode == NotificationMode.DIGEST
    )
    return set(session.scalars(query))


def _queue_mail(session: Session, created: list[tuple[int, dict[str, Any]]], now: datetime) -> None:
    """An outgoing mail row for every new notification whose user has an e-mail address."""
    if not created:
        return
    user_ids = sorted({row["user_id"] for _, row in created})
    people = {
        uid: (name, email)
        for uid, name, email in session.execute(
            select(User.id, User.display_name, User.email).where(User.id.in_(user_ids))
        )
        if email and email.strip()
    }
    mails = []
    for notification_id, row in created:
        if row["user_id"] not in people:
            continue
        name, email = people[row["user_id"]]
        mails.append(
            {
                "notification_id": notification_id,
                "to_address": email.strip(),
                "subject": mailer.subject(row["title"]),
                "body": mailer.body(name, row["body"], row["link"]),
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
        )
    if mails:
        session.execute(insert(OutgoingMail), mails)


def unit_users(
    session: Session, unit_ids: Iterable[int], roles: Iterable[str] | None = None
) -> dict[int, list[int]]:
    """Active users of each unit, holding any of ``roles`` when given: unit id → user ids."""
    units = sorted(set(unit_ids))
    if not units:
        return {}
    query = select(User.unit_id, User.id).where(User.unit_id.in_(units), User.active.is_(True))
    if roles is not None:
        held = select(UserRole.user_id).where(UserRole.role.in_(sorted(set(roles))))
        query = query.where(User.id.in_(held))
    found: dict[int, list[int]] = {}
    for unit_id, user_id in session.execute(query.order_by(User.id)):
        found.setdefault(unit_id, []).append(user_id)
    return found


def office_users(session: Session, kind: str) -> list[int]:
    """Active users of the active units of one kind (key_office, county_gov_office, …)."""
    units = session.scalars(select(Unit.id).where(Unit.kind == kind, Unit.active.is_(True)))
    return sorted({u for users in unit_users(session, units).values() for u in users})


def active_users(session: Session, user_ids: Iterable[int | None]) -> list[int]:
    """The given users that exist and are active (accounts get switched off)."""
    ids = sorted({i for i in user_ids if i is not None})
    if not ids:
        return []
    return list(session.scalars(select(User.id).where(User.id.in_(ids), User.active.is_(True))))


@dataclass(frozen=True)
class CaseFacts:
    """What a message says about a case: its project, linked leader's account, notice number."""

    case_id: int
    project_id: int | None
    project_name: str | None
    leader_user_id: int | None
    notice_number: str | None
    item_matter: str | None = None  # a decided item's case: the item it carries out

    @property
    def label(self) -> str:
        """How messages name the case: a decided item by itself, a warning's case by its
        project where it has one."""
        if self.item_matter:
            matter = self.item_matter
            return f"议定事项“{matter[:ITEM_CHARS]}{'…' if len(matter) > ITEM_CHARS else ''}”"
        if self.project_name:
            return f"项目“{self.project_name}”"
        return f"预警案件{self.case_id}"

    @property
    def subject(self) -> str:
        """The case as a sentence's subject: 项目“…”的预警案件, or 议定事项“…” alone."""
        return self.label if self.item_matter else f"{self.label}的预警案件"


def case_facts(session: Session, case_ids: Iterable[int]) -> dict[int, CaseFacts]:
    """The facts of several cases in one query."""
    ids = sorted(set(case_ids))
    if not ids:
        return {}
    query = (
        select(
            Case.id,
            Project.id,
            Project.name,
            Leader.user_id,
            Case.notice_number,
            DecidedItem.matter,
        )
        .join(EarlyWarning, EarlyWarning.id == Case.warning_id)
        .outerjoin(Project, Project.id == EarlyWarning.project_id)
        .outerjoin(Leader, Leader.id == Project.leader_id)
        .outerjoin(DecidedItem, DecidedItem.case_id == Case.id)
        .where(Case.id.in_(ids))
    )
    return {row[0]: CaseFacts(*row) for row in session.execute(query)}


def beijing_time(moment: datetime) -> str:
    """A moment as users read it: Beijing time to the minute."""
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
