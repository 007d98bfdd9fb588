"""The key office's home: triage, notices due (LP13), overdue tasks by unit, cases by stage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from keyproj.calendar import WorkCalendar
from keyproj.clock import BEIJING, beijing_date
from keyproj.codes import OPEN_TASK, CaseStatus, Lane, WarningStatus
from keyproj.db.models import Case, EarlyWarning, HumanTask, HumanTaskCandidate, Unit
from keyproj.errors import CalendarYearMissing
from keyproj.services.access import Viewer, case_scope
from keyproj.services.cases.events import NOTICE_TASK
from keyproj.services.reference.calendar import cached_calendar

# How far back the LP13 cut-off search looks before it gives up (a calendar gap).
_SEARCH_DAYS = 60


@dataclass(frozen=True)
class NoticesDue:
    """LP13 notices still to send: open notice tasks, and queued warnings by their due date.

    ``queued_overdue`` / ``queued_due_today`` are None when the working-day calendar lacks
    a year the due dates fall in.
    """

    tasks: int
    tasks_overdue: int
    queued: int
    queued_overdue: int | None
    queued_due_today: int | None


@dataclass(frozen=True)
class UnitOverdue:
    """A unit and how many open tasks offered to it are past their deadline."""

    unit_id: int
    unit_name: str
    count: int


@dataclass(frozen=True)
class StageCount:
    """A task of the diagram, its lane, and how many open cases wait at it."""

    name: str
    title: str
    lane: Lane
    count: int


@dataclass(frozen=True)
class KeyOfficeHome:
    """What the key office sees first."""

    triage: int
    notices: NoticesDue
    overdue_by_unit: list[UnitOverdue]
    stages: list[StageCount]

    @property
    def overdue_tasks(self) -> int:
        """Overdue tasks over every unit (a task offered to two units counts for each)."""
        return sum(u.count for u in self.overdue_by_unit)


def queued_warnings() -> ColumnElement[bool]:
    """Open warnings with no case yet: the triage queue (LP13: compiled before a notice)."""
    return (EarlyWarning.status == WarningStatus.OPEN) & ~(
        select(Case.id).where(Case.warning_id == EarlyWarning.id).exists()
    )


def key_office_home(
    session: Session, viewer: Viewer, notice_days: int, now: datetime
) -> KeyOfficeHome:
    """The key office's counts; ``notice_days`` is the profile's LP13 working days."""
    return KeyOfficeHome(
        triage=_count(session, select(func.count()).where(queued_warnings())),
        notices=_notices_due(session, viewer, notice_days, now),
        overdue_by_unit=_overdue_by_unit(session, viewer, now),
        stages=_stages(session, viewer),
    )


def _count(session: Session, query: object) -> int:
    return int(session.scalar(query) or 0)  # type: ignore[call-overload]


def _notice_tasks(viewer: Viewer) -> list[ColumnElement[bool]]:
    return [
        HumanTask.name == NOTICE_TASK,
        HumanTask.status.in_(OPEN_TASK),
        HumanTask.case_id.in_(select(Case.id).where(case_scope(viewer))),
    ]


def _notices_due(session: Session, viewer: Viewer, days: int, now: datetime) -> NoticesDue:
    tasks = _notice_tasks(viewer)
    queued = select(func.count()).select_from(EarlyWarning).where(queued_warnings())
    overdue = today = None
    try:
        calendar = cached_calendar(session)
        today_date = beijing_date(now)
        # A warning raised on day d is due on add_working_days(d, days): later days are due
        # no earlier, so one cut-off per question turns the due dates into two counts.
        late_before = _last_raised(calendar, today_date, days, lambda due: due < today_date)
        today_before = _last_raised(calendar, today_date, days, lambda due: due <= today_date)
        overdue = _count(session, queued.where(EarlyWarning.raised_at < _after(late_before)))
        upto_today = _count(session, queued.where(EarlyWarning.raised_at < _after(today_before)))
        today = upto_today - overdue
    except CalendarYearMissing:
        pass
    return NoticesDue(
        tasks=_count(session, select(func.count()).select_from(HumanTask).where(*tasks)),
        tasks_overdue=_count(
            session,
            select(func.count()).select_from(HumanTask).where(*tasks, HumanTask.due_at < now),
        ),
        queued=_count(session, queued),
        queued_overdue=overdue,
        queued_due_today=today,
    )


def _last_raised(calendar: WorkCalendar, today: date, days: int, due_by: object) -> date | None:
    """The latest raising day whose LP13 due date passes ``due_by`` (None: none in the window)."""
    for back in range(_SEARCH_DAYS + days * 2):
        day = today - timedelta(days=back)
        if due_by(calendar.add_working_days(day, days)):  # type: ignore[operator]
            return day
    return None


def _after(day: date | None) -> datetime:
    """The first moment after Beijing ``day`` (the epoch when there is no such day)."""
    if day is None:
        return datetime(1970, 1, 1, tzinfo=BEIJING)
    return datetime.combine(day + timedelta(days=1), time(), BEIJING)


def _overdue_by_unit(session: Session, viewer: Viewer, now: datetime) -> list[UnitOverdue]:
    query = (
        select(Unit.id, Unit.name, func.count())
        .select_from(HumanTaskCandidate)
        .join(HumanTask, HumanTask.id == HumanTaskCandidate.task_id)
        .join(Unit, Unit.id == HumanTaskCandidate.unit_id)
        .where(
            HumanTask.status.in_(OPEN_TASK),
            HumanTask.due_at < now,
            HumanTask.case_id.in_(select(Case.id).where(case_scope(viewer))),
        )
        .group_by(Unit.id, Unit.name)
        .order_by(func.count().desc(), Unit.name)
    )
    return [UnitOverdue(*row) for row in session.execute(query)]


def _stages(session: Session, viewer: Viewer) -> list[StageCount]:
    query = (
        select(
            HumanTask.name,
            func.min(HumanTask.title),
            HumanTask.lane,
            func.count(func.distinct(Case.id)),
        )
        .join(Case, Case.id == HumanTask.case_id)
        .where(Case.status == CaseStatus.OPEN, HumanTask.status.in_(OPEN_TASK), case_scope(viewer))
        .group_by(HumanTask.name, HumanTask.lane)
        .order_by(func.count(func.distinct(Case.id)).desc(), HumanTask.name)
    )
    return [StageCount(*row) for row in session.execute(query)]
