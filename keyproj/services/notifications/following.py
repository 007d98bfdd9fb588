"""Case events → notifications about instructions (批示) and to the followers of a case."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import REMINDING_TIMERS, UNIT_STAFF_ROLES, NotificationKind, Timer, UnitKind
from keyproj.db.models import Case, CaseEvent, CaseInstruction, CaseUnit, HumanTask, Leader, User
from keyproj.services.access import may_see_case, viewer_for
from keyproj.services.cases import events as case_events
from keyproj.services.cases import instruction_events
from keyproj.services.cases.events import EventKind
from keyproj.services.instructions.following import followers
from keyproj.services.notifications.store import (
    CaseFacts,
    Delivery,
    Message,
    active_users,
    office_users,
    unit_users,
)

# What a follower hears of: the steps that move the case, not each task's claim or release.
FOLLOWED_KINDS = frozenset(
    {
        EventKind.COMPLETED,
        EventKind.TIMER_FIRED,
        EventKind.ESCALATED,
        EventKind.CLOSED,
        EventKind.PROGRESS_UPDATE,
        EventKind.INSTRUCTION,
        EventKind.INSTRUCTION_ANSWERED,
    }
)
INSTRUCTION_KINDS = frozenset({EventKind.INSTRUCTION, EventKind.INSTRUCTION_ANSWERED})


def instruction_given(
    session: Session, key: str, case: CaseFacts, event: CaseEvent
) -> Iterator[Delivery]:
    """The instruction reaches the staff of the case's responsible units (the key office while
    no notice has named any), to be answered with their response or outcome report."""
    given = instruction_events.read_instruction(event)
    leader = _leader_name(session, given.instruction_id)
    due = f"，要求于{given.due_on}前办理" if given.due_on else ""
    message = Message(
        NotificationKind.INSTRUCTION,
        f"县领导批示：{case.label}",
        f"{leader}对{case.subject}作出批示{due}：{given.text}。请在受理或报告协调成效时答复。",
        f"/cases/{case.case_id}#instructions",
        case.case_id,
    )
    units = list(session.scalars(select(CaseUnit.unit_id).where(CaseUnit.case_id == case.case_id)))
    if units:
        recipients = [
            u for ids in unit_users(session, units, UNIT_STAFF_ROLES).values() for u in ids
        ]
    else:
        recipients = office_users(session, UnitKind.KEY_OFFICE)
    for user_id in recipients:
        yield user_id, key, message


def instruction_answered(
    session: Session, key: str, case: CaseFacts, event: CaseEvent
) -> Iterator[Delivery]:
    """The leader who gave the instruction hears that a unit answered it."""
    answered = instruction_events.read_instruction_answered(event)
    author = session.scalar(
        select(CaseInstruction.author_id).where(CaseInstruction.id == answered.instruction_id)
    )
    message = Message(
        NotificationKind.INSTRUCTION_ANSWERED,
        f"批示已答复：{case.label}",
        f"您对{case.label}{'' if case.item_matter else '预警案件'}的批示已由责任单位在"
        f"“{answered.task_title}”中答复。",
        f"/cases/{case.case_id}#instructions",
        case.case_id,
    )
    for user_id in active_users(session, [author]):
        yield user_id, key, message


def to_followers(
    session: Session, events: list[CaseEvent], facts: dict[int, CaseFacts]
) -> Iterator[Delivery]:
    """Each followed event to the case's followers who may still see it, the actor excepted."""
    wanted = [e for e in events if e.kind in FOLLOWED_KINDS]
    followed = followers(session, [e.case_id for e in wanted])
    if not followed:
        return
    seeing = _still_seeing(session, followed)
    titles = _task_titles(session, [e for e in wanted if e.case_id in followed])
    for event in wanted:
        case = facts[event.case_id]
        message = Message(
            NotificationKind.CASE_FOLLOWED,
            f"关注的案件有新进展：{case.label}",
            f"{case.subject}{_what(event, titles)}。",
            f"/cases/{case.case_id}#timeline",
            case.case_id,
        )
        for user_id in seeing.get(event.case_id, []):
            if user_id != event.actor_id:
                yield user_id, f"event:{event.id}", message


def _still_seeing(session: Session, followed: dict[int, list[int]]) -> dict[int, list[int]]:
    """The followers who are active and may still see the case (a leader may be unlinked)."""
    ids = sorted({u for members in followed.values() for u in members})
    query = select(User).where(User.id.in_(ids), User.active.is_(True))
    users = {u.id: u for u in session.scalars(query)}
    out: dict[int, list[int]] = {}
    for case_id, ids in followed.items():
        case = session.get(Case, case_id)
        for user_id in ids:
            user = users.get(user_id)
            if case and user and may_see_case(session, viewer_for(session, user), case):
                out.setdefault(case_id, []).append(user_id)
    return out


def _task_titles(session: Session, events: list[CaseEvent]) -> dict[tuple[int, str], str]:
    engine_ids = sorted({e.task_id for e in events if e.task_id})
    if not engine_ids:
        return {}
    query = select(HumanTask.case_id, HumanTask.engine_task_id, HumanTask.title).where(
        HumanTask.engine_task_id.in_(engine_ids)
    )
    return {(c, t): title for c, t, title in session.execute(query)}


def _what(event: CaseEvent, titles: dict[tuple[int, str], str]) -> str:
    """What happened, in a clause: “已提请县政府协调”."""
    kind = event.kind
    if kind == EventKind.COMPLETED:
        title = titles.get((event.case_id, event.task_id or ""), "一项任务")
        return f"“{title}”已办理完成"
    if kind == EventKind.TIMER_FIRED:
        fired = case_events.read_timer_fired(event)
        if fired and all(t in REMINDING_TIMERS for t in fired):  # the task stays open
            return f"{'、'.join(Timer.label_of(t) for t in fired)}，已提醒承办单位"
        return "办理期限届满，流程已自动流转"
    if kind == EventKind.ESCALATED:
        return "已提请县政府协调"
    if kind == EventKind.CLOSED:
        return "已办结"
    if kind == EventKind.PROGRESS_UPDATE:
        return f"有新的动态进展：{case_events.read_update(event)[:100]}"
    if kind == EventKind.INSTRUCTION:
        return f"有新的县领导批示：{instruction_events.read_instruction(event).text[:100]}"
    return "的县领导批示已由责任单位答复"


def _leader_name(session: Session, instruction_id: int) -> str:
    name = session.scalar(
        select(Leader.name)
        .join(CaseInstruction, CaseInstruction.leader_id == Leader.id)
        .where(CaseInstruction.id == instruction_id)
    )
    return f"县领导{name}" if name else "县领导"
