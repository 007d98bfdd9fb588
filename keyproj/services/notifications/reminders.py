"""Reminders: tasks near or past their deadline, reports due soon (LP8, AL6, HD2, GS1), bulletins (LP19)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.calendar import END_OF_DAY
from keyproj.clock import BEIJING, beijing_date, now_utc
from keyproj.codes import (
    OPEN_TASK,
    REMINDING_TIMERS,
    REPORT_WAITING,
    NotificationKind,
    ProjectStage,
    ReportStatus,
    Role,
    TaskStatus,
    Timer,
    UnitKind,
)
from keyproj.db.models import CaseEvent, HumanTask, Liaison, Project, Report, Unit
from keyproj.policy import PolicyProfile
from keyproj.services.access import leaders_taking
from keyproj.services.cases import events as case_events
from keyproj.services.cases.lanes import LANE_ROLES
from keyproj.services.notifications.store import (
    Delivery,
    Message,
    active_users,
    beijing_time,
    case_facts,
    notify,
    office_users,
    unit_users,
)
from keyproj.services.reference.calendar import cached_calendar


def send_task_reminders(session: Session, profile: PolicyProfile, now: datetime) -> int:
    """Remind open tasks due within the profile's working days; alert on overdue ones (X5).

    The claimer is told, or the candidate units' users holding the lane's role if nobody has
    claimed it; an overdue alert also goes to the key office. Once per task and kind.
    """
    calendar = cached_calendar(session)
    last_day = calendar.add_working_days(
        beijing_date(now), profile.reporting.reminder_working_days_before
    )
    horizon = datetime.combine(last_day, END_OF_DAY, tzinfo=BEIJING)
    tasks = list(
        session.scalars(
            select(HumanTask)
            .where(HumanTask.status.in_(OPEN_TASK), HumanTask.due_at <= horizon)
            .order_by(HumanTask.due_at, HumanTask.id)
        )
    )
    return notify(session, _task_deliveries(session, tasks, now), now)


# Timers whose reminders have messages of their own: the county government's tasks and the
# on-site meeting's items (notifications/county_gov), a supervision filing (…/supervision).
_OWN_MESSAGES = frozenset(
    {
        Timer.COUNTY_GOV_ASSIGN_OVERDUE,
        Timer.COUNTY_GOV_HANDLE_OVERDUE,
        Timer.FOLLOW_UP_OVERDUE,
        Timer.SUPERVISION_OVERDUE,
    }
)


def timer_reminders(session: Session, fired: list[CaseEvent], now: datetime) -> Iterator[Delivery]:
    """A reminding timer that fired (LP18: a report due soon or overdue; an evaluation or a
    notice overdue) reaches the people of the task it guards, the key office too when overdue.

    The message and its key are the reminder sweep's own, so each person hears of it once.
    """
    wanted = {
        (event.case_id, REMINDING_TIMERS[timer])
        for event in fired
        for timer in case_events.read_timer_fired(event)
        if timer in REMINDING_TIMERS and timer not in _OWN_MESSAGES
    }
    if not wanted:
        return
    rows = session.scalars(
        select(HumanTask)
        .where(
            HumanTask.case_id.in_(sorted({case_id for case_id, _ in wanted})),
            HumanTask.name.in_(sorted({name for _, name in wanted})),
            HumanTask.status.in_(OPEN_TASK),
            HumanTask.due_at.is_not(None),
        )
        .order_by(HumanTask.due_at, HumanTask.id)
    )
    yield from _task_deliveries(session, [r for r in rows if (r.case_id, r.name) in wanted], now)


def _task_deliveries(session: Session, tasks: list[HumanTask], now: datetime) -> Iterator[Delivery]:
    if not tasks:
        return
    facts = case_facts(session, [t.case_id for t in tasks])
    # The candidates came with the rows (a selectin relationship).
    candidates = {t.id: sorted(c.unit_id for c in t.candidates) for t in tasks}
    every_unit = sorted({u for found in candidates.values() for u in found})
    names = {
        u: n for u, n in session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(every_unit)))
    }
    key_office = office_users(session, UnitKind.KEY_OFFICE)
    claimers = set(active_users(session, [t.claimed_by_id for t in tasks]))
    lane_units: dict[str, set[int]] = {}
    for task in tasks:
        lane_units.setdefault(task.lane, set()).update(candidates.get(task.id, []))
    # One query per lane, not per task: a lane's role decides who of a unit may take it.
    by_lane = {
        lane: unit_users(session, units, LANE_ROLES.get(lane, frozenset()))
        for lane, units in lane_units.items()
    }
    leaders = leaders_taking(session, tasks)  # DC1: a 分包领导's own task reaches them
    for task in tasks:
        assert task.due_at is not None
        units = sorted(candidates.get(task.id, []))
        if task.status == TaskStatus.CLAIMED:
            people = [task.claimed_by_id] if task.claimed_by_id in claimers else []
        else:
            people = sorted({u for unit in units for u in by_lane[task.lane].get(unit, [])})
            if task.id in leaders:
                people = sorted({*people, leaders[task.id]})
        handlers = "、".join(names[u] for u in units if u in names) or task.lane
        where = f"{facts[task.case_id].label}的任务“{task.title}”（承办：{handlers}）"
        due = beijing_time(task.due_at)
        if task.due_at < now:
            kind, title = NotificationKind.TASK_OVERDUE, f"任务已逾期：{task.title}"
            body = f"{where}已于{due}到期，尚未办结，请尽快处理。"
            people = sorted({*people, *key_office})
        else:
            kind, title = NotificationKind.TASK_DUE_SOON, f"任务即将到期：{task.title}"
            body = f"{where}将于{due}到期，请抓紧办理。"
        message = Message(kind, title, body, f"/tasks/{task.id}", task.case_id, task.id)
        for user_id in people:
            yield user_id, f"task:{task.id}:{kind}", message


def send_report_reminders(session: Session, profile: PolicyProfile, today: date) -> int:
    """LP8, AL6, HD2, GS1: a report not yet submitted, within the profile's working days of its
    due day, is brought to the lead unit's liaisons; once per project and period."""
    rules = profile.reporting
    last_day = cached_calendar(session).add_working_days(today, rules.reminder_working_days_before)
    current = periods.containing(rules.cycle, today)
    previous = periods.last_ended(rules.cycle, today)
    created = 0
    # A due day may fall in the next period (HD2: the 5th of the next month).
    for period in (previous, current):
        due = periods.due_date(period, rules)
        if today <= due <= last_day:
            created += notify(session, _report_deliveries(session, period, due), now_utc())
    return created


def _report_deliveries(session: Session, period: periods.Period, due: date) -> Iterator[Delivery]:
    """The projects on the list whose report for ``period`` is missing or not yet submitted."""
    rows = session.execute(
        select(Project.id, Project.name, Project.lead_unit_id, Report.status)
        .outerjoin(Report, and_(Report.project_id == Project.id, Report.period == period.key))
        .where(
            Project.stage != ProjectStage.IN_USE,
            or_(Project.approved_on.is_(None), Project.approved_on <= period.end),
            or_(Report.id.is_(None), Report.status != ReportStatus.SUBMITTED),
        )
        .order_by(Project.id)
    ).all()
    if not rows:
        return
    liaisons = unit_users(session, [r.lead_unit_id for r in rows], [Role.UNIT_LIAISON])
    registered = registered_liaisons(session, [r.lead_unit_id for r in rows])
    label = f"{period.label}{periods.CYCLE_LABELS[period.cycle]}"
    for row in rows:
        state = REPORT_WAITING.get(row.status, "尚未填报")
        message = Message(
            NotificationKind.REPORT_DUE,
            f"{label}待报送：{row.name}",
            f"项目“{row.name}”的{label}应于{due.year}年{due.month}月{due.day}日前报送，目前{state}，请及时填报报送。",
            f"/projects/{row.id}",
        )
        people = set(liaisons.get(row.lead_unit_id, [])) | set(registered.get(row.lead_unit_id, []))
        for user_id in sorted(people):
            yield user_id, f"report:{row.id}:{period.key}", message


def registered_liaisons(session: Session, unit_ids: list[int]) -> dict[int, list[int]]:
    """Accounts linked to the liaisons the units registered (LP5, AL8), even without the liaison role."""
    rows = session.execute(
        select(Liaison.unit_id, Liaison.user_id).where(
            Liaison.unit_id.in_(sorted(set(unit_ids))),
            Liaison.user_id.is_not(None),
            Liaison.until.is_(None),
        )
    ).all()
    active = set(active_users(session, [user_id for _, user_id in rows]))
    found: dict[int, list[int]] = {}
    for unit_id, user_id in rows:
        if unit_id is not None and user_id in active:
            found.setdefault(unit_id, []).append(user_id)
    return found


def bulletin_due(session: Session, profile: PolicyProfile, today: date) -> int:
    """LP19: from the 1st to the profile's due day, the key office is told that the previous
    month's bulletin is due; once per month."""
    due_day = profile.bulletin.due_day_of_month
    if today.day > due_day:
        return 0
    month = periods.containing("monthly", today.replace(day=1) - timedelta(days=1))
    message = Message(
        NotificationKind.BULLETIN_DUE,
        f"{month.label}重点项目建设情况通报待编发",
        f"{month.label}重点项目建设情况通报应于{today.year}年{today.month}月{due_day}日前印发，"
        "报送县委、县政府并发各乡镇、县直部门，请汇总各项目进展及预警催办落实情况后编发。",
    )
    people = office_users(session, UnitKind.KEY_OFFICE)
    deliveries = [(user_id, f"bulletin:{month.key}", message) for user_id in people]
    return notify(session, deliveries, now_utc())
