"""The key office's home: triage, notices due (LP13), overdue tasks by unit, cases by stage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from keyproj.calendar import WorkCalendar
from keyproj.clock import BEIJING, beijing_date
from keyproj.codes import OPEN_TASK, Lane
from keyproj.db.models import EarlyWarning, HumanTask, HumanTaskCandidate, Unit
from keyproj.errors import CalendarYearMissing
from keyproj.services.access import Viewer
from keyproj.services.cases.events import NOTICE_TASK
from keyproj.services.home.common import open_tasks_named, visible_tasks
from keyproj.services.home.waiting import TASKS
from keyproj.services.reference.calendar import cached_calendar
from keyproj.services.triage.queue import queued

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
    """Open warnings no case covers: the triage queue (LP13: compiled before a notice)."""
    return queued()


def key_office_home(
    session: Session, viewer: Viewer, notice_days: int, now: datetime
) -> KeyOfficeHome:
    """The key office's counts; ``notice_days`` is the profile's LP13 working days."""
    notices = _notices_due(session, viewer, notice_days, now)
    return KeyOfficeHome(
        triage=notices.queued,  # the queue the triage works through is the one awaiting notices
        notices=notices,
        overdue_by_unit=_overdue_by_unit(session, viewer, now),
        stages=_stages(session, viewer),
    )


def _count(session: Session, query: object) -> int:
    return int(session.scalar(query) or 0)  # type: ignore[call-overload]


def _notice_tasks(viewer: Viewer) -> list[ColumnElement[bool]]:
    return [open_tasks_named([NOTICE_TASK]), *visible_tasks(viewer)]


def _notices_due(session: Session, viewer: Viewer, days: int, now: datetime) -> NoticesDue:
    tasks = _notice_tasks(viewer)
    cutoffs = _cutoffs(session, days, now)
    late, upto_today = cutoffs or (_after(None), _after(None))
    # One pass over the queue: all of it, raised before the overdue cut-off, before today's.
    queued, overdue, due_by_today = session.execute(
        select(
            func.count(),
            func.count().filter(EarlyWarning.raised_at < late),
            func.count().filter(EarlyWarning.raised_at < upto_today),
        ).where(queued_warnings())
    ).one()
    return NoticesDue(
        tasks=_count(session, select(func.count()).select_from(HumanTask).where(*tasks)),
        tasks_overdue=_count(
            session,
            select(func.count()).select_from(HumanTask).where(*tasks, HumanTask.due_at < now),
        ),
        queued=int(queued),
        queued_overdue=int(overdue) if cutoffs else None,
        queued_due_today=int(due_by_today) - int(overdue) if cutoffs else None,
    )


def _cutoffs(session: Session, days: int, now: datetime) -> tuple[datetime, datetime] | None:
    """The moments before which a queued warning is overdue, and due by today (LP13).

    A warning raised on day d is due on add_working_days(d, days): later days are due no
    earlier, so one cut-off per question turns the due dates into counts. None when the
    working-day calendar lacks a year the dates fall in.
    """
    try:
        calendar = cached_calendar(session)
        today = beijing_date(now)
        late = _last_raised(calendar, today, days, lambda due: due < today)
        by_today = _last_raised(calendar, today, days, lambda due: due <= today)
    except CalendarYearMissing:
        return None
    return _after(late), _after(by_today)


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
            *visible_tasks(viewer),
        )
        .group_by(Unit.id, Unit.name)
        .order_by(func.count().desc(), Unit.name)
    )
    return [UnitOverdue(*row) for row in session.execute(query)]


def _stages(session: Session, viewer: Viewer) -> list[StageCount]:
    """Open tasks by the step they wait at, most first.

    Each lead and phase unit has its own task of a step (LP13), so a case naming two units
    counts twice at 受理 — as the list each count links to shows it; the count reads the
    (name, status) index alone, and the title and lane of each of the diagram's few steps
    come from one task of it.
    """
    counts = session.execute(
        select(HumanTask.name, func.count())
        .where(HumanTask.status.in_(OPEN_TASK), *visible_tasks(viewer))
        .group_by(HumanTask.name)
    ).all()
    stages = []
    for name, count in counts:
        title, lane = session.execute(
            select(HumanTask.title, HumanTask.lane).where(HumanTask.name == name).limit(1)
        ).one()
        # The step's plain name where known: the diagram's titles carry clause codes.
        stages.append(StageCount(name, TASKS.get(name, title), lane, int(count)))
    return sorted(stages, key=lambda s: (-s.count, s.name))
