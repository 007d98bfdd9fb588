"""The task inbox (X2): tasks the viewer's unit may take under the viewer's roles, and their own."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from keyproj.calendar import WorkCalendar
from keyproj.clock import BEIJING, beijing_date
from keyproj.db.models import Case, EarlyWarning, HumanTask, HumanTaskCandidate, Project, User
from keyproj.errors import CalendarYearMissing
from keyproj.services.access import Viewer, inbox_scope, lanes_taken_by
from keyproj.services.reference.calendar import REVISION_COLUMNS, cached_calendar

PAGE_SIZE = 50
INBOX_STATUSES = {"ready": "待认领", "claimed": "我已认领", "overdue": "已逾期"}
KEYWORD_MAX_LENGTH = 100


def list_tasks(session: Session, viewer: Viewer, case_id: int | None = None) -> list[HumanTask]:
    """Ready tasks of the viewer's unit and lanes plus tasks the viewer claimed; soonest deadline first.

    Reads only the materialized task rows (indexed by candidate unit), never engine state.
    """
    query = (
        select(HumanTask)
        .join(HumanTaskCandidate, HumanTaskCandidate.task_id == HumanTask.id)
        .where(*inbox_scope(viewer))
        # Overdue tasks have the earliest deadlines, so this puts them first.
        .order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.id)
    )
    if case_id is not None:
        query = query.where(HumanTask.case_id == case_id)
    return list(session.scalars(query))


@dataclass(frozen=True)
class InboxFilters:
    """The inbox filters: project keyword, warning level, status, deadline range (Beijing dates)."""

    project: str | None = None
    level: str | None = None
    status: str | None = None
    due_from: date | None = None
    due_to: date | None = None
    page: int = 1


@dataclass(frozen=True)
class Deadline:
    """A deadline as the pages show it: the moment, whether it passed, and working days left."""

    due_at: datetime | None
    overdue: bool
    text: str


@dataclass(frozen=True)
class InboxRow:
    """One task of the inbox with the project, warning and claimer facts beside it."""

    task_id: int
    case_id: int
    title: str
    lane: str
    status: str
    deadline: Deadline
    claimed_by: str | None
    claimed_by_me: bool
    project_id: int | None
    project_name: str | None
    project_code: str | None
    level: str
    colour: str


@dataclass
class InboxPage:
    """One page of the inbox, the total under the filters, and the filters themselves."""

    rows: list[InboxRow]
    total: int
    filters: InboxFilters
    page_size: int = PAGE_SIZE
    lanes: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """How many pages the total fills (at least one)."""
        return max(1, -(-self.total // self.page_size))


def inbox_page(session: Session, viewer: Viewer, filters: InboxFilters, now: datetime) -> InboxPage:
    """One page of the viewer's inbox: overdue first, then the nearest deadline.

    One statement: the candidate-unit index narrows to the unit's tasks, the joins add
    project, warning and claimer, a window count gives the total, and the calendar's
    revision rides along so the working-day calendar needs no query of its own.
    """
    lanes = lanes_taken_by(viewer)
    if not lanes:
        return InboxPage([], 0, filters, lanes=lanes)
    claimer = aliased(User)
    query = (
        select(
            HumanTask.id,
            HumanTask.case_id,
            HumanTask.title,
            HumanTask.lane,
            HumanTask.status,
            HumanTask.due_at,
            HumanTask.claimed_by_id,
            claimer.display_name,
            Project.id,
            Project.name,
            Project.code,
            EarlyWarning.level,
            EarlyWarning.colour,
            func.count().over(),
            *REVISION_COLUMNS,
        )
        .select_from(HumanTaskCandidate)
        .join(HumanTask, HumanTask.id == HumanTaskCandidate.task_id)
        .join(Case, Case.id == HumanTask.case_id)
        .join(EarlyWarning, EarlyWarning.id == Case.warning_id)
        .outerjoin(Project, Project.id == EarlyWarning.project_id)
        .outerjoin(claimer, claimer.id == HumanTask.claimed_by_id)
        .where(*inbox_scope(viewer), *_filter_clauses(filters, viewer, now))
        .order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.id)
        .limit(PAGE_SIZE)
        .offset((max(filters.page, 1) - 1) * PAGE_SIZE)
    )
    records = session.execute(query).all()
    if not records:
        return InboxPage([], 0, filters, lanes=lanes)
    calendar = _calendar(session, (int(records[0][14]), records[0][15]))
    rows = [_row(r, viewer, calendar, now) for r in records]
    return InboxPage(rows, int(records[0][13]), filters, lanes=lanes)


def _filter_clauses(filters: InboxFilters, viewer: Viewer, now: datetime) -> list[Any]:
    clauses: list[Any] = []
    keyword = (filters.project or "").strip()[:KEYWORD_MAX_LENGTH]
    if keyword:
        clauses.append(
            or_(Project.name.contains(keyword, autoescape=True), Project.code == keyword)
        )
    if filters.level:
        clauses.append(EarlyWarning.level == filters.level)
    if filters.status == "ready":
        clauses.append(HumanTask.status == "ready")
    elif filters.status == "claimed":
        clauses.append(HumanTask.claimed_by_id == viewer.user_id)
    elif filters.status == "overdue":
        clauses.append(HumanTask.due_at < now)
    if filters.due_from:
        clauses.append(HumanTask.due_at >= datetime.combine(filters.due_from, time(), BEIJING))
    if filters.due_to:
        end = datetime.combine(filters.due_to, time(23, 59, 59, 999999), BEIJING)
        clauses.append(HumanTask.due_at <= end)
    return clauses


def _calendar(session: Session, revision: tuple[int, datetime | None]) -> WorkCalendar | None:
    try:
        return cached_calendar(session, revision)
    except CalendarYearMissing:
        return None


def _row(record: Any, viewer: Viewer, calendar: WorkCalendar | None, now: datetime) -> InboxRow:
    (task_id, case_id, title, lane, status, due_at, claimed_by_id, claimed_by) = record[:8]
    (project_id, project_name, project_code, level, colour) = record[8:13]
    return InboxRow(
        task_id=task_id,
        case_id=case_id,
        title=title,
        lane=lane,
        status=status,
        deadline=deadline_status(calendar, due_at, now),
        claimed_by=claimed_by,
        claimed_by_me=claimed_by_id == viewer.user_id,
        project_id=project_id,
        project_name=project_name,
        project_code=project_code,
        level=level,
        colour=colour,
    )


def deadline_status(
    calendar: WorkCalendar | None, due_at: datetime | None, now: datetime
) -> Deadline:
    """How a deadline stands now, counted in working days (X5; today itself not counted)."""
    if due_at is None:
        return Deadline(None, False, "无期限")
    if due_at < now:
        text = "已逾期"
        if calendar is not None:
            days = _working_days(calendar, beijing_date(due_at), beijing_date(now))
            if days:
                text = f"已逾期{days}个工作日"
        return Deadline(due_at, True, text)
    today, last = beijing_date(now), beijing_date(due_at)
    if last == today:
        return Deadline(due_at, False, "今日截止")
    if calendar is None:
        return Deadline(due_at, False, "工作日历未载入")
    days = _working_days(calendar, today, last)
    if days is None:
        return Deadline(due_at, False, f"{last.year}年节假日安排未录入，无法计算工作日")
    return Deadline(due_at, False, f"剩余{days}个工作日")


def _working_days(calendar: WorkCalendar, start: date, end: date) -> int | None:
    try:
        return calendar.working_days_between(start, end)
    except CalendarYearMissing:
        return None
