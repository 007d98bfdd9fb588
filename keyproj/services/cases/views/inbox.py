"""The task inbox (X2): one query, read by name, serves the inbox page and the API's task list.

A viewer's inbox holds the ready tasks of their unit in the lanes their roles allow, and
the tasks they claimed; soonest deadline first (overdue tasks have the earliest deadlines).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Row, Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from keyproj.calendar import WorkCalendar
from keyproj.clock import BEIJING
from keyproj.codes import Colour, InboxStatus, Lane, TaskStatus, WarningLevel
from keyproj.db.models import (
    Case,
    DecidedItem,
    EarlyWarning,
    HumanTask,
    HumanTaskCandidate,
    Project,
    Unit,
    User,
)
from keyproj.errors import CalendarYearMissing, FieldError
from keyproj.paging import PAGE_SIZE, PagedByFilters, offset, paging_of, refuse
from keyproj.services.access import Viewer, inbox_scope, lanes_taken_by
from keyproj.services.cases.views.deadlines import Deadline, deadline_status
from keyproj.services.reference.calendar import REVISION_COLUMNS, cached_calendar
from keyproj.validation import QueryArgs

KEYWORD_MAX_LENGTH = 100


@dataclass(frozen=True)
class InboxFilters:
    """The inbox filters: project keyword, warning level, status, deadline range (Beijing dates), case."""

    project: str | None = None
    level: WarningLevel | None = None
    status: InboxStatus | None = None
    due_from: date | None = None
    due_to: date | None = None
    case_id: int | None = None
    page: int = 1
    per_page: int = PAGE_SIZE


FILTER_LABELS = {
    "project": "项目",
    "level": "预警级别",
    "status": "状态",
    "due_from": "期限起",
    "due_to": "期限止",
    "case_id": "案件ID",
    "page": "页码",
}


def inbox_filters(
    args: Mapping[str, str], strict: bool = False, per_page: int = PAGE_SIZE
) -> InboxFilters:
    """The filters from a query string; a malformed one is a ValidationError naming it.

    On the pages a blank filter is no filter; the API (``strict``) refuses blanks too.
    ``page`` and ``per_page`` (``per_page`` by default) are read as every list reads them: a
    bad one is a PagingError (a 400) on the page and in the API alike.
    """
    refused: list[FieldError] = []
    paging = paging_of(args, per_page, strict, refused)
    read = QueryArgs(args, FILTER_LABELS, blank_is_given=strict)
    filters = InboxFilters(
        project=read.read_keyword("project", KEYWORD_MAX_LENGTH),
        level=WarningLevel.parse(read.read_code("level", WarningLevel.labels())),
        status=InboxStatus.parse(read.read_code("status", InboxStatus.labels())),
        due_from=read.read_date("due_from"),
        due_to=read.read_date("due_to"),
        case_id=read.read_id("case_id"),
        page=paging.page,
        per_page=paging.per_page,
    )
    refuse(refused, read.errors)  # every bad parameter named at once
    return filters


@dataclass(frozen=True)
class InboxRow:
    """One task of the inbox with the project, warning and claimer facts beside it."""

    task_id: int
    case_id: int
    name: str
    title: str
    lane: Lane
    form: str
    status: TaskStatus
    deadline: Deadline
    ready_at: datetime
    claimed_by_id: int | None
    claimed_at: datetime | None
    claimed_by: str | None
    claimed_by_me: bool
    project_id: int | None
    project_name: str | None
    project_code: str | None
    level: WarningLevel
    colour: Colour
    part_unit_id: int | None = None  # the unit whose own part (LP13) the task belongs to
    part_unit_name: str | None = None
    # A decided item's task: the item and its meeting, shown instead of its carrier warning.
    item_matter: str | None = None
    item_origin: str | None = None


@dataclass
class InboxPage(PagedByFilters):
    """One page of the inbox, the total under the filters, and the filters themselves."""

    rows: list[InboxRow]
    total: int
    filters: InboxFilters
    lanes: list[Lane] = field(default_factory=list)


_CLAIMER = aliased(User, name="claimer")
_PART_UNIT = aliased(Unit, name="part_unit")
# Every column the pages and the API read, by name.
_COLUMNS = (
    HumanTask.id.label("task_id"),
    HumanTask.case_id,
    HumanTask.name,
    HumanTask.title,
    HumanTask.lane,
    HumanTask.form,
    HumanTask.status,
    HumanTask.due_at,
    HumanTask.ready_at,
    HumanTask.claimed_by_id,
    HumanTask.claimed_at,
    _CLAIMER.display_name.label("claimed_by"),
    Project.id.label("project_id"),
    Project.name.label("project_name"),
    Project.code.label("project_code"),
    EarlyWarning.level,
    EarlyWarning.colour,
    HumanTask.part_unit_id,
    _PART_UNIT.name.label("part_unit_name"),
    DecidedItem.matter.label("item_matter"),
    DecidedItem.origin_title.label("item_origin"),
    func.count().over().label("total"),
    REVISION_COLUMNS[0].label("calendar_years"),
    REVISION_COLUMNS[1].label("calendar_loaded_at"),
)


def inbox_query(viewer: Viewer, filters: InboxFilters, now: datetime) -> Select[Any]:
    """The inbox as one statement: the candidate-unit index narrows to the unit's tasks, the
    joins add project, warning and claimer, a window count gives the total, and the calendar's
    revision rides along so the working-day calendar needs no query of its own."""
    return (
        select(*_COLUMNS)
        .select_from(HumanTaskCandidate)
        .join(HumanTask, HumanTask.id == HumanTaskCandidate.task_id)
        .join(Case, Case.id == HumanTask.case_id)
        .join(EarlyWarning, EarlyWarning.id == Case.warning_id)
        .outerjoin(Project, Project.id == EarlyWarning.project_id)
        .outerjoin(_CLAIMER, _CLAIMER.id == HumanTask.claimed_by_id)
        .outerjoin(_PART_UNIT, _PART_UNIT.id == HumanTask.part_unit_id)
        .outerjoin(DecidedItem, DecidedItem.case_id == Case.id)
        .where(*inbox_scope(viewer), *_filter_clauses(filters, viewer, now))
        .order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.id)
        .limit(filters.per_page)
        .offset(offset(filters.page, filters.per_page))
    )


def inbox_page(session: Session, viewer: Viewer, filters: InboxFilters, now: datetime) -> InboxPage:
    """One page of the viewer's inbox: overdue first, then the nearest deadline."""
    lanes = lanes_taken_by(viewer)
    if not lanes:
        return InboxPage([], 0, filters, lanes)
    query = inbox_query(viewer, filters, now)
    records = session.execute(query).all()
    if not records:
        return InboxPage([], _total_past_the_end(session, query, filters), filters, lanes)
    first = records[0]
    calendar = _calendar(session, (int(first.calendar_years), first.calendar_loaded_at))
    rows = [_row(r, viewer, calendar, now) for r in records]
    return InboxPage(rows, int(first.total), filters, lanes)


def _total_past_the_end(session: Session, query: Select[Any], filters: InboxFilters) -> int:
    """The total of a page with no rows: none on the first page; past the end, a count of its own."""
    if filters.page == 1:
        return 0
    whole = query.limit(None).offset(None).order_by(None).subquery()
    return int(session.scalar(select(func.count()).select_from(whole)) or 0)


def _filter_clauses(filters: InboxFilters, viewer: Viewer, now: datetime) -> list[Any]:
    clauses: list[Any] = []
    keyword = (filters.project or "").strip()[:KEYWORD_MAX_LENGTH]
    if keyword:
        clauses.append(
            or_(Project.name.contains(keyword, autoescape=True), Project.code == keyword)
        )
    if filters.level:
        clauses.append(EarlyWarning.level == filters.level)
    if filters.status == InboxStatus.READY:
        clauses.append(HumanTask.status == TaskStatus.READY)
    elif filters.status == InboxStatus.CLAIMED:
        clauses.append(HumanTask.claimed_by_id == viewer.user_id)
    elif filters.status == InboxStatus.OVERDUE:
        clauses.append(HumanTask.due_at < now)
    if filters.due_from:
        clauses.append(HumanTask.due_at >= datetime.combine(filters.due_from, time(), BEIJING))
    if filters.due_to:
        end = datetime.combine(filters.due_to, time(23, 59, 59, 999999), BEIJING)
        clauses.append(HumanTask.due_at <= end)
    if filters.case_id is not None:
        clauses.append(HumanTask.case_id == filters.case_id)
    return clauses


def _calendar(session: Session, revision: tuple[int, datetime | None]) -> WorkCalendar | None:
    try:
        return cached_calendar(session, revision)
    except CalendarYearMissing:
        return None


def _row(
    record: Row[Any], viewer: Viewer, calendar: WorkCalendar | None, now: datetime
) -> InboxRow:
    return InboxRow(
        task_id=record.task_id,
        case_id=record.case_id,
        name=record.name,
        title=record.title,
        lane=record.lane,
        form=record.form,
        status=record.status,
        deadline=deadline_status(calendar, record.due_at, now),
        ready_at=record.ready_at,
        claimed_by_id=record.claimed_by_id,
        claimed_at=record.claimed_at,
        claimed_by=record.claimed_by,
        claimed_by_me=record.claimed_by_id == viewer.user_id,
        project_id=record.project_id,
        project_name=record.project_name,
        project_code=record.project_code,
        level=record.level,
        colour=record.colour,
        part_unit_id=record.part_unit_id,
        part_unit_name=record.part_unit_name,
        item_matter=record.item_matter,
        item_origin=record.item_origin,
    )
