"""What interviews tell people (HD6): the key office of new proposals, the unit (and the
interviewing leader) of the time set, both again before the day, the office of a commitment
past its due day; each once (the notifications' dedupe keys); and the 约谈通知书 itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.clock import BEIJING
from keyproj.codes import (
    UNIT_STAFF_ROLES,
    CommitmentState,
    InterviewState,
    NotificationKind,
    UnitKind,
)
from keyproj.db.models import Interview, InterviewCommitment
from keyproj.policy.interviews import Interviews
from keyproj.services.documents.layout import OfficialDocument, to_docx
from keyproj.services.notifications.store import (
    Delivery,
    Message,
    active_users,
    beijing_time,
    notify,
    office_users,
    unit_users,
)
from keyproj.services.reference.wording import without_clauses


def proposed(session: Session, rows: list[Interview], now: datetime) -> int:
    """The key office is told of each new proposal, to schedule or dismiss it."""
    office = office_users(session, UnitKind.KEY_OFFICE)
    deliveries = []
    for row in rows:
        message = Message(
            NotificationKind.INTERVIEW_PROPOSED,
            f"约谈建议：{row.unit.name}",
            f"{_plain(row.trigger.label)}。{row.reason}请研判后安排约谈或说明不予约谈的理由。",
            f"/interviews/{row.id}",
        )
        deliveries += [(uid, f"interview:{row.id}:proposed", message) for uid in office]
    return notify(session, deliveries, now)


def scheduled(session: Session, row: Interview, now: datetime) -> int:
    """The unit's staff and the interviewing leader are told when and where (again if moved)."""
    assert row.scheduled_at is not None
    when = beijing_time(row.scheduled_at)
    message = Message(
        NotificationKind.INTERVIEW_SCHEDULED,
        f"约谈通知：{row.number}",
        f"定于{when}在{row.place}由{_leader(row)}对{row.unit.name}进行约谈"
        f"（{_plain(row.trigger.label)}）。请单位主要负责同志准时参加。",
        f"/interviews/{row.id}",
    )
    key = f"interview:{row.id}:scheduled:{row.scheduled_at.isoformat()}"
    return notify(session, [(uid, key, message) for uid in _people(session, row)], now)


def send_reminders(session: Session, settings: Interviews, today: date, now: datetime) -> int:
    """Interviews within ``reminder_days_before`` days: the unit and the leader are reminded
    once per scheduled time; open commitments past their day: the key office, once each."""
    return notify(session, _reminders(session, settings, today), now) + notify(
        session, _overdue(session, today), now
    )


def _reminders(session: Session, settings: Interviews, today: date) -> Iterator[Delivery]:
    last = today + timedelta(days=settings.reminder_days_before)
    rows = session.scalars(
        select(Interview)
        .where(Interview.state == InterviewState.SCHEDULED)
        .order_by(Interview.scheduled_at)
    )
    for row in rows:
        assert row.scheduled_at is not None
        day = row.scheduled_at.astimezone(BEIJING).date()
        if not today < day <= last:
            continue
        message = Message(
            NotificationKind.INTERVIEW_REMINDER,
            f"约谈提醒：{row.unit.name} {beijing_time(row.scheduled_at)}",
            f"{beijing_time(row.scheduled_at)}在{row.place}由{_leader(row)}约谈{row.unit.name}，"
            "请准时参加。",
            f"/interviews/{row.id}",
        )
        key = f"interview:{row.id}:reminder:{row.scheduled_at.isoformat()}"
        for uid in _people(session, row):
            yield uid, key, message


def _overdue(session: Session, today: date) -> Iterator[Delivery]:
    rows = session.scalars(
        select(InterviewCommitment)
        .where(
            InterviewCommitment.state == CommitmentState.OPEN, InterviewCommitment.due_on < today
        )
        .order_by(InterviewCommitment.due_on, InterviewCommitment.id)
    )
    office = office_users(session, UnitKind.KEY_OFFICE)
    for row in rows:
        unit = row.interview.unit.name
        message = Message(
            NotificationKind.COMMITMENT_OVERDUE,
            f"约谈承诺事项逾期：{unit}",
            f"{unit}在约谈中承诺“{row.text}”于{row.due_on}前完成，逾期尚未报告完成，请督促落实。",
            f"/interviews/{row.interview_id}#commitment-{row.id}",
        )
        for uid in office:
            yield uid, f"commitment:{row.id}:overdue", message


def _people(session: Session, row: Interview) -> list[int]:
    staff = unit_users(session, [row.unit_id], UNIT_STAFF_ROLES).get(row.unit_id, [])
    leader = active_users(session, [row.leader.user_id if row.leader else None])
    return sorted({*staff, *leader})


def _leader(row: Interview) -> str:
    return row.leader.name if row.leader else "市政府主管领导"


def notice_docx(row: Interview, settings: Interviews) -> bytes:
    """The 约谈通知书 of a scheduled (or held) interview, in official layout (GB/T 9704)."""
    assert row.scheduled_at is not None
    assert row.number is not None
    leader = row.leader.name if row.leader else ""
    projects = "、".join(f"“{p.name}”" for p in row.projects)
    about = f"你单位负责的{projects}" if projects else "你单位"
    body = [
        f"根据约谈制度，{about}存在以下情形：{_plain(row.trigger.label)}。",
        row.reason,
        f"经研究，定于{_written(row.scheduled_at, True)}在{row.place}，由{settings.interviewer}"
        f"{leader}对你单位进行约谈。请你单位主要负责同志准时参加，就存在问题的原因、"
        "整改措施和完成时限作出说明和承诺。",
    ]
    return to_docx(
        OfficialDocument(
            issuer=settings.notice_issuer,
            number=row.number,
            title="约谈通知书",
            addressee=row.unit.name,
            body=body,
            signature=settings.notice_issuer,
            date_text=_written(row.numbered_at or row.created_at, False),
        )
    )


def _plain(label: str) -> str:
    """A trigger's label without its clause code, and without the seed's "一是"."""
    return without_clauses(label)[2:]


def _written(moment: datetime, with_time: bool) -> str:
    local = moment.astimezone(BEIJING)
    day = f"{local.year}年{local.month}月{local.day}日"
    return f"{day}{local.hour}时{local.minute:02d}分" if with_time else day
