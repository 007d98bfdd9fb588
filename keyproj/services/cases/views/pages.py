"""Read models of the case pages: the scoped case list, one case, one task, the pinned diagram."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from keyproj.calendar import WorkCalendar
from keyproj.codes import (
    OPEN_TASK,
    RESPONSIBLE_UNIT_KINDS,
    CaseOutcome,
    CaseStatus,
    Colour,
    Lane,
    TaskStatus,
    WarningLevel,
)
from keyproj.db.models import (
    Case,
    CaseEvent,
    CaseUnit,
    DecidedItem,
    EarlyWarning,
    HumanTask,
    ProcessDefinition,
    Project,
    Unit,
    User,
)
from keyproj.errors import CalendarYearMissing, NotFound
from keyproj.paging import PAGE_SIZE, PagedByFilters, Paging, fetch_page
from keyproj.services.access import Viewer, case_scope, is_responsible, may_take_task
from keyproj.services.cases import events
from keyproj.services.cases.definitions import title_of
from keyproj.services.cases.views.county_gov import CountyGovPart, county_gov_part
from keyproj.services.cases.views.deadlines import Deadline, deadline_status
from keyproj.services.cases.views.inbox import KEYWORD_MAX_LENGTH
from keyproj.services.cases.views.leader import LeaderPart, leader_part
from keyproj.services.cases.views.long_matter import LongMatter, case_follow_up
from keyproj.services.cases.views.measure import Measure, case_measure
from keyproj.services.cases.views.parts import UnitPart, unit_parts
from keyproj.services.cases.views.timeline import TaskInfo, Timeline, case_timeline
from keyproj.services.reference.calendar import cached_calendar


@dataclass(frozen=True)
class CaseFilters:
    """The case list filters: status, warning level, project keyword, responsible unit."""

    status: CaseStatus | None = None
    level: WarningLevel | None = None
    project: str | None = None
    unit_id: int | None = None
    page: int = 1
    per_page: int = PAGE_SIZE


@dataclass(frozen=True)
class CurrentTask:
    """An open task of a case with its deadline."""

    task_id: int
    name: str
    title: str
    lane: Lane
    status: TaskStatus
    deadline: Deadline
    claimed_by: str | None
    part_unit_name: str | None = None  # the unit whose own part it is (LP13)


@dataclass(frozen=True)
class CaseRow:
    """One case in the list."""

    case_id: int
    notice_number: str | None
    status: CaseStatus
    outcome: CaseOutcome | None
    opened_at: datetime
    project_id: int | None
    project_name: str | None
    project_code: str | None
    level: WarningLevel
    colour: Colour
    rule_id: str
    tasks: list[CurrentTask]
    item_matter: str | None = None  # a decided item's case: the item, not its carrier warning


@dataclass
class CaseList(PagedByFilters):
    """One page of the viewer's cases, the total, the filters and the units offered."""

    rows: list[CaseRow]
    total: int
    filters: CaseFilters
    units: list[tuple[int, str]]


def case_list(session: Session, viewer: Viewer, filters: CaseFilters, now: datetime) -> CaseList:
    """The viewer's cases under the filters, newest first, with their open tasks."""
    query = (
        select(Case, EarlyWarning, Project, DecidedItem.matter)
        .join(EarlyWarning, EarlyWarning.id == Case.warning_id)
        .outerjoin(Project, Project.id == EarlyWarning.project_id)
        .outerjoin(DecidedItem, DecidedItem.case_id == Case.id)
        .where(case_scope(viewer), *_case_filters(filters))
        .order_by(Case.opened_at.desc(), Case.id.desc())
    )
    page = fetch_page(session, query, Paging(filters.page, filters.per_page))
    tasks = open_tasks(session, [case.id for case, *_ in page.items], now)
    rows = [
        CaseRow(
            case_id=case.id,
            notice_number=case.notice_number,
            status=case.status,
            outcome=case.outcome,
            opened_at=case.opened_at,
            project_id=project.id if project else None,
            project_name=project.name if project else None,
            project_code=project.code if project else None,
            level=warning.level,
            colour=warning.colour,
            rule_id=warning.rule_id,
            tasks=tasks.get(case.id, []),
            item_matter=matter,
        )
        for case, warning, project, matter in page.items
    ]
    total = page.total
    return CaseList(rows, total, filters, filter_units(session, viewer))


def _case_filters(filters: CaseFilters) -> list[Any]:
    clauses: list[Any] = []
    if filters.status:
        clauses.append(Case.status == filters.status)
    if filters.level:
        clauses.append(EarlyWarning.level == filters.level)
    keyword = (filters.project or "").strip()[:KEYWORD_MAX_LENGTH]
    if keyword:
        clauses.append(
            or_(Project.name.contains(keyword, autoescape=True), Project.code == keyword)
        )
    if filters.unit_id:
        clauses.append(
            Case.id.in_(select(CaseUnit.case_id).where(CaseUnit.unit_id == filters.unit_id))
        )
    return clauses


def filter_units(session: Session, viewer: Viewer) -> list[tuple[int, str]]:
    """Units offered by the unit filter: every responsible unit for the offices, none otherwise."""
    if not viewer.county_wide:
        return []
    query = (
        select(Unit.id, Unit.name)
        .where(Unit.kind.in_(RESPONSIBLE_UNIT_KINDS), Unit.active.is_(True))
        .order_by(Unit.code)
    )
    return [(i, n) for i, n in session.execute(query)]


def unit_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of the units a notice can name responsible, for the task forms."""
    query = (
        select(Unit.code, Unit.name)
        .where(Unit.kind.in_(RESPONSIBLE_UNIT_KINDS), Unit.active.is_(True))
        .order_by(Unit.code)
    )
    return [(c, n) for c, n in session.execute(query)]


def open_tasks(
    session: Session, case_ids: list[int], now: datetime
) -> dict[int, list[CurrentTask]]:
    """The ready or claimed tasks of the cases, by case, with their deadlines."""
    if not case_ids:
        return {}
    claimer, part_unit = aliased(User), aliased(Unit)
    query = (
        select(HumanTask, claimer.display_name, part_unit.name)
        .outerjoin(claimer, claimer.id == HumanTask.claimed_by_id)
        .outerjoin(part_unit, part_unit.id == HumanTask.part_unit_id)
        .where(HumanTask.case_id.in_(case_ids), HumanTask.status.in_(OPEN_TASK))
        .order_by(HumanTask.due_at, HumanTask.id)
    )
    records = session.execute(query).all()
    calendar = _calendar(session) if records else None
    out: dict[int, list[CurrentTask]] = {}
    for task, claimed_by, part_unit_name in records:
        out.setdefault(task.case_id, []).append(
            CurrentTask(
                task.id,
                task.name,
                task.title,
                task.lane,
                task.status,
                deadline_status(calendar, task.due_at, now),
                claimed_by,
                part_unit_name,
            )
        )
    return out


def _calendar(session: Session) -> WorkCalendar | None:
    try:
        return cached_calendar(session)
    except CalendarYearMissing:
        return None


@dataclass
class CaseDetail:
    """Everything the case page shows."""

    case: Case
    warning: EarlyWarning
    project: Project | None
    units: list[tuple[str, str]]  # (role label, unit name)
    current: list[CurrentTask]
    timeline: Timeline
    may_report_progress: bool
    long_matter: LongMatter | None = None  # LP18: the report cycles of a long matter
    flagged: frozenset[str] = frozenset()  # open tasks flagged overdue by their timer
    parts: list[UnitPart] = field(default_factory=list)  # each unit's own part (LP13, LP17)
    county_gov: CountyGovPart | None = None  # LP16: the county government's part, once reached
    measure: Measure | None = None  # HD5/HD6: the reminder letter or interview, once decided
    leader: LeaderPart | None = None  # DC1–DC2: the 分包领导's on-site coordination, once reached
    diagram: str = ""  # the name of the diagram the case runs on (its jurisdiction's, X3)

    @property
    def active_elements(self) -> list[str]:
        """Diagram element ids of the open tasks, for the diagram's markers (one per element:
        each unit's part waits at the same element, LP13)."""
        return list(dict.fromkeys(t.name for t in self.current))


def visible_case(
    session: Session, viewer: Viewer, case_id: int
) -> tuple[Case, EarlyWarning, Project | None]:
    """The case with its warning and project; NotFound if missing or outside the viewer's scope."""
    query = (
        select(Case, EarlyWarning, Project)
        .join(EarlyWarning, EarlyWarning.id == Case.warning_id)
        .outerjoin(Project, Project.id == EarlyWarning.project_id)
        .where(Case.id == case_id, case_scope(viewer))
    )
    found = session.execute(query).first()
    if found is None:
        raise NotFound(f"案件 {case_id} 不存在或无权查看")
    return found[0], found[1], found[2]


def case_detail(
    session: Session,
    viewer: Viewer,
    case_id: int,
    now: datetime,
    timeline_page: Paging | None = None,
) -> CaseDetail:
    """One case: facts, responsible units, open tasks, a page of its timeline and the notice."""
    case, warning, project = visible_case(session, viewer, case_id)
    unit_rows = session.execute(
        select(CaseUnit.role, CaseUnit.unit_id, Unit.name)
        .join(Unit, Unit.id == CaseUnit.unit_id)
        .where(CaseUnit.case_id == case.id)
        .order_by(CaseUnit.role, Unit.code)
    ).all()
    infos = {
        name: TaskInfo(title, form)
        for name, title, form in session.execute(
            select(HumanTask.name, HumanTask.title, HumanTask.form).where(
                HumanTask.case_id == case.id
            )
        )
    }
    responsible = is_responsible(viewer, {u for _, u, _ in unit_rows})
    follow_up = case_follow_up(session, case.id)
    return CaseDetail(
        case=case,
        warning=warning,
        project=project,
        units=[(role.label, name) for role, _, name in unit_rows],
        current=open_tasks(session, [case.id], now).get(case.id, []),
        timeline=case_timeline(session, case.id, infos, timeline_page),
        may_report_progress=responsible and case.status == CaseStatus.OPEN,
        long_matter=follow_up.long_matter,
        flagged=follow_up.flagged,
        parts=unit_parts(session, case.id),
        county_gov=county_gov_part(session, case.id, now),
        measure=case_measure(session, case.id, now),
        leader=leader_part(session, case.id, now),
        diagram=title_of(session, case.definition_id),
    )


@dataclass
class TaskDetail:
    """Everything the task page shows: the task, who holds it, whether the viewer may act, the case."""

    task: HumanTask
    case: CaseDetail
    deadline: Deadline
    claimed_by: str | None
    completed_by: str | None
    may_act: bool
    viewer_id: int
    proposal: dict[str, Any] = field(default_factory=dict)  # what the diagram proposed (AL13)

    @property
    def claimed_by_me(self) -> bool:
        """True when the viewer holds the task."""
        return self.task.status == TaskStatus.CLAIMED and self.task.claimed_by_id == self.viewer_id

    @property
    def claimed_by_other(self) -> bool:
        """True when someone other than the viewer holds the task."""
        return self.task.status == TaskStatus.CLAIMED and self.task.claimed_by_id != self.viewer_id


def visible_task(session: Session, viewer: Viewer, task_id: int) -> HumanTask:
    """The task if its case is in the viewer's scope; NotFound otherwise (no existence leak)."""
    query = (
        select(HumanTask)
        .join(Case, Case.id == HumanTask.case_id)
        .where(HumanTask.id == task_id, case_scope(viewer))
    )
    task = session.scalar(query)
    if task is None:
        raise NotFound(f"任务 {task_id} 不存在或无权查看")
    return task


def task_detail(session: Session, viewer: Viewer, task_id: int, now: datetime) -> TaskDetail:
    """One task and its case; NotFound when the task is missing or its case is outside the scope."""
    task = session.get(HumanTask, task_id, populate_existing=True)
    if task is None:
        raise NotFound(f"任务 {task_id} 不存在或无权查看")
    try:
        case = case_detail(session, viewer, task.case_id, now)
    except NotFound:
        raise NotFound(f"任务 {task_id} 不存在或无权查看") from None
    names = _user_names(session, [task.claimed_by_id, task.completed_by_id])
    may_act = task.status in OPEN_TASK and may_take_task(viewer, task)
    return TaskDetail(
        task=task,
        case=case,
        deadline=deadline_status(_calendar(session), task.due_at, now),
        claimed_by=names.get(task.claimed_by_id or 0),
        completed_by=names.get(task.completed_by_id or 0),
        may_act=may_act,
        viewer_id=viewer.user_id,
        proposal=_proposal(session, task),
    )


def _proposal(session: Session, task: HumanTask) -> dict[str, Any]:
    """The values the diagram proposed for the task's form when it became ready, if any."""
    ready = session.scalar(
        select(CaseEvent).where(
            CaseEvent.case_id == task.case_id,
            CaseEvent.kind == events.EventKind.TASK_READY,
            CaseEvent.task_id == task.engine_task_id,
        )
    )
    return (events.read_task_ready(ready).proposal or {}) if ready is not None else {}


def _user_names(session: Session, ids: list[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    query = select(User.id, User.display_name).where(User.id.in_(wanted))
    return {i: n for i, n in session.execute(query)}


def diagram_xml(session: Session, viewer: Viewer, case_id: int) -> str:
    """The BPMN XML of the diagram version the case is pinned to (X3)."""
    case, _, _ = visible_case(session, viewer, case_id)
    xml = session.scalar(
        select(ProcessDefinition.bpmn_xml).where(ProcessDefinition.id == case.definition_id)
    )
    if xml is None:
        raise NotFound(f"案件 {case_id} 的流程图不存在")
    return xml
