"""Case events → notifications: new tasks, escalations, copies of warning notices, closings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from keyproj.codes import (
    OPEN_TASK,
    CaseOutcome,
    EscalationReason,
    NotificationKind,
    Timer,
    UnitKind,
    WarningLevel,
)
from keyproj.db.models import (
    CaseEvent,
    HumanTask,
    NotificationCursor,
    Unit,
)
from keyproj.policy import PolicyProfile, load_profile
from keyproj.services.access import leaders_taking
from keyproj.services.cases import events as case_events
from keyproj.services.cases.events import NOTICE_TASK, EventKind
from keyproj.services.cases.lanes import LANE_ROLES, LEADER_TASK
from keyproj.services.notifications import (
    county_gov,
    decisions,
    following,
    reminders,
    supervision,
)
from keyproj.services.notifications.store import (
    CaseFacts,
    Delivery,
    Message,
    active_users,
    beijing_time,
    case_facts,
    insert_if_absent,
    notify,
    office_users,
    unit_users,
)

FEED = "case_events"
# Ids come from a sequence: a transaction still open may commit an event with a smaller id
# than one already read. The watermark therefore trails the newest events by this long, and
# events inside the window are read again next time (the dedupe key makes that harmless).
SETTLE = timedelta(minutes=10)
_WANTED = or_(
    CaseEvent.kind.in_((EventKind.TASK_READY, EventKind.ESCALATED, EventKind.CLOSED)),
    and_(CaseEvent.kind == EventKind.COMPLETED, CaseEvent.task_name == NOTICE_TASK),
    # Overdue reminders: LP16 county tasks and items, LP18 reports, an LP20 filing.
    CaseEvent.kind == EventKind.TIMER_FIRED,
    # Instructions go to the units and back to the leader; followers hear of the steps.
    CaseEvent.kind.in_(following.FOLLOWED_KINDS | following.INSTRUCTION_KINDS),
)


def dispatch_case_events(
    session: Session, now: datetime, profile: PolicyProfile | None = None, limit: int = 1000
) -> int:
    """Notify the people concerned by case events after the watermark; returns how many are new.

    The watermark row is locked (FOR UPDATE on PostgreSQL, the write lock on SQLite) and
    advanced in the caller's transaction, so concurrent runs take turns. ``profile`` decides
    whether notices are copied to the linked leader (LP8); without it, each case's own profile.
    """
    created = 0
    while True:
        position = _lock_cursor(session)
        query = select(CaseEvent).where(CaseEvent.id > position, _WANTED)
        events = list(session.scalars(query.order_by(CaseEvent.id).limit(limit)))
        if not events:
            return created
        created += notify(session, _deliveries(session, events, profile, now), now)
        settled = position
        for event in events:
            if event.occurred_at > now - SETTLE:
                break
            settled = event.id
        session.execute(
            update(NotificationCursor)
            .where(NotificationCursor.name == FEED)
            .values(position=settled)
        )
        if len(events) < limit or settled == position:
            return created


def _lock_cursor(session: Session) -> int:
    """The watermark, locked for this transaction; created at 0 the first time."""
    exists = select(NotificationCursor.position).where(NotificationCursor.name == FEED)
    if session.execute(exists).first() is None:
        start = {"name": FEED, "position": 0}
        session.execute(insert_if_absent(session, NotificationCursor, ["name"]), start)
    if session.get_bind().dialect.name == "postgresql":
        return int(session.execute(exists.with_for_update()).scalar_one())
    # SQLite has no row locks: a write takes the database's write lock for the transaction.
    session.execute(
        update(NotificationCursor)
        .where(NotificationCursor.name == FEED)
        .values(position=NotificationCursor.position)
    )
    return int(session.execute(exists).scalar_one())


def _deliveries(
    session: Session, events: list[CaseEvent], profile: PolicyProfile | None, now: datetime
) -> Iterator[Delivery]:
    facts = case_facts(session, [e.case_id for e in events])
    tasks = _tasks_of(session, [e for e in events if e.kind == EventKind.TASK_READY])
    for event in events:
        key, case = f"event:{event.id}", facts[event.case_id]
        if event.kind == EventKind.TASK_READY:
            task = tasks.get((event.case_id, event.task_id or ""))
            if task is not None:
                yield from _task_ready(session, key, case, task)
        elif event.kind == EventKind.ESCALATED:
            reason = case_events.read_escalated(event)
            if reason == EscalationReason.ITEM_OVERDUE:  # a decided item: to the office's 督办
                yield from decisions.overdue(session, key, case)
            else:
                yield from _escalated(session, key, case, reason)
        elif event.kind == EventKind.CLOSED:
            yield from _closed(session, key, case, case_events.read_closed(event))
        elif event.kind == EventKind.TIMER_FIRED:  # LP16 county tasks and items, LP20 filings
            yield from county_gov.overdue(session, case, event)
            if Timer.SUPERVISION_OVERDUE in case_events.read_timer_fired(event):
                yield from supervision.overdue(session, key, case)
        elif event.kind == EventKind.INSTRUCTION:
            yield from following.instruction_given(session, key, case, event)
        elif event.kind == EventKind.INSTRUCTION_ANSWERED:
            yield from following.instruction_answered(session, key, case, event)
        elif case_events.read_notice(event) is not None:
            yield from _notice_issued(session, key, case, event, profile)
    fired = [e for e in events if e.kind == EventKind.TIMER_FIRED]
    yield from reminders.timer_reminders(session, fired, now)
    # After the messages above: a follower they already reach gets one notification, not two.
    yield from following.to_followers(session, events, facts)


def _tasks_of(
    session: Session, events: list[CaseEvent]
) -> dict[tuple[int, str], tuple[HumanTask, list[int]]]:
    """The still-open task rows the events announce, with their candidate units."""
    engine_ids = sorted({e.task_id for e in events if e.task_id})
    if not engine_ids:
        return {}
    rows = session.scalars(
        select(HumanTask).where(
            HumanTask.engine_task_id.in_(engine_ids), HumanTask.status.in_(OPEN_TASK)
        )
    )
    # The candidates come with the rows (a selectin relationship): no query per task.
    return {
        (r.case_id, r.engine_task_id): (r, sorted(c.unit_id for c in r.candidates)) for r in rows
    }


def _task_ready(
    session: Session, key: str, case: CaseFacts, found: tuple[HumanTask, list[int]]
) -> Iterator[Delivery]:
    """X2: every active user of a candidate unit who holds the lane's role may take the task.

    A task already done or cancelled by the time this runs is not announced.
    """
    task, units = found
    users = unit_users(session, units, LANE_ROLES.get(task.lane, frozenset()))
    due = f"，请于{beijing_time(task.due_at)}前办理" if task.due_at else "，请及时办理"
    message = Message(
        NotificationKind.TASK_READY,
        f"新待办任务：{task.title}",
        f"{case.subject}有新的待办任务“{task.title}”（{task.lane}）{due}。",
        f"/tasks/{task.id}",
        case.case_id,
        task.id,
    )
    people = [u for members in users.values() for u in members]
    # DC1: the project's 分包领导 takes their own task, though their role is not the lane's.
    people += [u for u in leaders_taking(session, [task]).values() if u not in people]
    for user_id in people:
        yield user_id, key, message


def _escalated(session: Session, key: str, case: CaseFacts, code: str) -> Iterator[Delivery]:
    """LP16: an escalated case goes to the county government office (DC1–DC3: where the
    diagram sends it to the project's 分包领导 first, the office hears that)."""
    reason = EscalationReason.label_of(code) or "未能在责任单位层面解决"
    title, where = "预警案件提请县政府协调", "已提请县政府协调处置，请及时研究办理"
    if _went_to_leader(session, case.case_id):
        title = "预警案件转项目分包领导协调"
        where = "已转项目分包领导现场办公协调，未解决的将提交县政府月度项目推进调度例会"
    message = Message(
        NotificationKind.ESCALATED,
        title,
        f"{case.subject}因{reason}，{where}。",
        f"/cases/{case.case_id}",
        case.case_id,
    )
    for user_id in office_users(session, UnitKind.COUNTY_GOV_OFFICE):
        yield user_id, key, message


def _went_to_leader(session: Session, case_id: int) -> bool:
    """Whether the escalated case went to its 分包领导 (a case escalates once)."""
    query = select(HumanTask.id).where(HumanTask.case_id == case_id, HumanTask.name == LEADER_TASK)
    return session.scalar(query.limit(1)) is not None


def _closed(session: Session, key: str, case: CaseFacts, outcome: str) -> Iterator[Delivery]:
    """A closed case is reported to the key office, which keeps the ledger of cases."""
    message = Message(
        NotificationKind.CASE_CLOSED,
        "议定事项已办结" if case.item_matter else "预警案件已办结",
        f"{case.subject}已办结，办理结果：{CaseOutcome.label_of(outcome) or CaseOutcome.CLOSED.label}。",
        f"/cases/{case.case_id}",
        case.case_id,
    )
    for user_id in office_users(session, UnitKind.KEY_OFFICE):
        yield user_id, key, message


def _notice_issued(
    session: Session,
    key: str,
    case: CaseFacts,
    event: CaseEvent,
    profile: PolicyProfile | None,
) -> Iterator[Delivery]:
    """LP8: the notice is copied to the project's linked county leader (where the profile says
    so); LP13: major issues and their responsibility split go to the supervision office."""
    issued = case_events.read_notice(event)
    assert issued is not None  # the feed selects the notice's completions only
    number = issued.number or case.notice_number or ""
    form = issued.form
    lead = session.get(Unit, issued.lead_unit_id) if issued.lead_unit_id else None
    level = WarningLevel.label_of(form.get("level")) or "预警"
    text = (form.get("notice_text") or "").strip()
    body = f"重点办已就{case.label}发出{level}催办通知（{number}）"
    body += f"，牵头责任单位：{lead.name}。" if lead else "。"
    message = Message(
        NotificationKind.NOTICE_COPY,
        f"预警催办通知抄送：{number}",
        body + (f"通知内容：{text}" if text else ""),
        f"/cases/{case.case_id}",
        case.case_id,
    )
    profile = profile or _case_profile(session, event.case_id)
    if form.get("major"):  # LP13: listed in the supervision ledger with its responsibility split
        phases = [str(c) for c in form.get("phase_unit_codes") or []]
        yield from supervision.major_listed(session, key, case, number, lead, phases)
        recipients = []
    else:
        recipients = office_users(session, UnitKind.SUPERVISION_OFFICE)
    if profile.reporting.copy_to_linked_leader:
        recipients += active_users(session, [case.leader_user_id])
    for user_id in recipients:
        yield user_id, key, message


def _case_profile(session: Session, case_id: int) -> PolicyProfile:
    """The profile a case was started under, as its first event recorded it."""
    first = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.seq == 1)
    ).one()
    profile = case_events.read_started(first).profile
    if profile is None:
        raise KeyError(f"case {case_id} recorded no profile")
    return load_profile(profile)
