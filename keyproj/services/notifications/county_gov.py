"""LP16 reminders: a county government task or an on-site meeting's follow-up item past its
deadline is flagged by its timer, and 县府办 (and the item's owner unit) are told; nothing moves on."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import OPEN_TASK, NotificationKind, Timer, UnitKind
from keyproj.db.models import CaseEvent, HumanTask
from keyproj.services.cases import events as case_events
from keyproj.services.cases.lanes import LANE_ROLES
from keyproj.services.notifications.store import (
    CaseFacts,
    Delivery,
    Message,
    beijing_time,
    office_users,
    unit_users,
)

# The overdue timers of the county government's tasks, and the task each guards.
COUNTY_TASK_TIMERS = {
    Timer.COUNTY_GOV_ASSIGN_OVERDUE: "county_gov_assign",
    Timer.COUNTY_GOV_HANDLE_OVERDUE: "county_gov_handle",
}
FOLLOW_UP_TASK = "follow_up_item"


def overdue(session: Session, case: CaseFacts, event: CaseEvent) -> Iterator[Delivery]:
    """The reminders of one ``timer_fired`` event's LP16 timers (other timers tell no one here)."""
    fired = set(case_events.read_timer_fired(event))
    names = [COUNTY_TASK_TIMERS[t] for t in COUNTY_TASK_TIMERS if t in fired]
    if Timer.FOLLOW_UP_OVERDUE in fired:
        names.append(FOLLOW_UP_TASK)
    if not names:
        return
    office = office_users(session, UnitKind.COUNTY_GOV_OFFICE)
    for task in _late_tasks(session, event, names):
        message = _message(case, task)
        recipients = list(office)
        if task.name == FOLLOW_UP_TASK:  # the owner unit is reminded too
            owners = unit_users(
                session, [c.unit_id for c in task.candidates], LANE_ROLES.get(task.lane)
            )
            recipients += [u for users in owners.values() for u in users]
        # The reminder sweep's own key: each person hears of a task's lateness once, however
        # many later timers (another item falling due) find it still open.
        for user_id in sorted(set(recipients)):
            yield user_id, f"task:{task.id}:{NotificationKind.TASK_OVERDUE}", message


def _late_tasks(session: Session, event: CaseEvent, names: list[str]) -> list[HumanTask]:
    """The case's tasks of these names still open and past their deadline when the timer fired."""
    query = (
        select(HumanTask)
        .where(
            HumanTask.case_id == event.case_id,
            HumanTask.name.in_(names),
            HumanTask.status.in_(OPEN_TASK),
            HumanTask.due_at < event.occurred_at,
        )
        .order_by(HumanTask.id)
    )
    return list(session.scalars(query))


def _message(case: CaseFacts, task: HumanTask) -> Message:
    due = beijing_time(task.due_at) if task.due_at else ""
    what = "现场办公会议纪要事项" if task.name == FOLLOW_UP_TASK else f"“{task.title}”"
    return Message(
        NotificationKind.TASK_OVERDUE,
        f"逾期提醒：{task.title}",
        f"{case.label}的{what}已超过办理期限（{due}），尚未办结，请县府办督办（第十六条）。",
        f"/tasks/{task.id}",
        case.case_id,
        task.id,
    )
