"""Read models of the JSON API: warnings, cases and tasks within the viewer's scope.

Visibility of one case or task is the case pages' (re-exported here for the API); the task
list is the inbox's own query, so the API and the inbox page cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session, joinedload

from keyproj.codes import CaseStatus, WarningLevel, WarningStatus
from keyproj.db.models import Case, CaseEvent, EarlyWarning, HumanTask, Project, Unit, User
from keyproj.errors import ValidationError
from keyproj.paging import Page, Paging, fetch_page
from keyproj.services.access import Viewer, case_scope, project_scope
from keyproj.services.cases.repository import open_task_rows
from keyproj.services.cases.views.inbox import InboxFilters, InboxPage, inbox_page
from keyproj.services.cases.views.pages import visible_case, visible_task
from keyproj.services.decisions.warnings import early_warnings

EVENTS_IN_DETAIL = 100  # the case's first events; /cases/<id>/events pages through them all


@dataclass
class CaseEvents:
    """A page of a case's event log, in order, with the names behind its actor and unit ids."""

    events: Page[CaseEvent]
    actor_names: dict[int, str]
    unit_names: dict[int, str]


@dataclass
class CaseDetail:
    """One case with its warning, open tasks and the first page of its event log."""

    case: Case
    tasks: list[HumanTask]
    log: CaseEvents


def warning_scope(viewer: Viewer) -> ColumnElement[bool]:
    """Warnings of visible projects; portfolio warnings (no project) only for the county-wide roles."""
    if viewer.county_wide:
        return true()
    return EarlyWarning.project_id.in_(select(Project.id).where(project_scope(viewer)))


def list_warnings(
    session: Session,
    viewer: Viewer,
    paging: Paging,
    status: str | None = None,
    project_id: int | None = None,
    level: str | None = None,
) -> Page[EarlyWarning]:
    """One page of the warnings the viewer may see, newest first, and their total."""
    if level and WarningLevel.parse(level) is None:
        raise ValidationError.single("level", "预警级别", f"取值“{level}”无效")
    if status and WarningStatus.parse(status) is None:
        raise ValidationError.single("status", "状态", f"取值“{status}”无效")
    query = (
        select(EarlyWarning)
        .where(warning_scope(viewer), early_warnings())
        .options(joinedload(EarlyWarning.project))
    )
    if status:
        query = query.where(EarlyWarning.status == status)
    if project_id is not None:
        query = query.where(EarlyWarning.project_id == project_id)
    if level:
        query = query.where(EarlyWarning.level == level)
    query = query.order_by(EarlyWarning.raised_at.desc(), EarlyWarning.id.desc())
    return fetch_page(session, query, paging)


def list_cases(
    session: Session,
    viewer: Viewer,
    paging: Paging,
    status: str | None = None,
    project_id: int | None = None,
) -> Page[Case]:
    """One page of the cases the viewer may see, newest first, and their total."""
    if status and CaseStatus.parse(status) is None:
        raise ValidationError.single("status", "状态", f"取值“{status}”无效")
    query = (
        select(Case)
        .where(case_scope(viewer))
        .options(joinedload(Case.warning).joinedload(EarlyWarning.project))
        .order_by(Case.opened_at.desc(), Case.id.desc())
    )
    if status:
        query = query.where(Case.status == status)
    if project_id is not None:
        warnings_of_project = select(EarlyWarning.id).where(EarlyWarning.project_id == project_id)
        query = query.where(Case.warning_id.in_(warnings_of_project))
    return fetch_page(session, query, paging)


def case_detail(session: Session, viewer: Viewer, case_id: int) -> CaseDetail:
    """A visible case with its open tasks and the first EVENTS_IN_DETAIL events of its log."""
    case, _warning, _project = visible_case(session, viewer, case_id)
    log = _event_page(session, case.id, Paging(1, EVENTS_IN_DETAIL))
    return CaseDetail(case, open_task_rows(session, case.id), log)


def case_events(session: Session, viewer: Viewer, case_id: int, paging: Paging) -> CaseEvents:
    """A page of a visible case's event log, in the order it was written."""
    case, _warning, _project = visible_case(session, viewer, case_id)
    return _event_page(session, case.id, paging)


def _event_page(session: Session, case_id: int, paging: Paging) -> CaseEvents:
    query = select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.seq)
    page: Page[CaseEvent] = fetch_page(session, query, paging)
    actors = {e.actor_id for e in page.items if e.actor_id is not None}
    units = {e.unit_id for e in page.items if e.unit_id is not None}
    actor_names = {
        row.id: row.display_name
        for row in session.execute(select(User.id, User.display_name).where(User.id.in_(actors)))
    }
    unit_names = {
        row.id: row.name
        for row in session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(units)))
    }
    return CaseEvents(page, actor_names, unit_names)


def inbox_tasks(
    session: Session, viewer: Viewer, filters: InboxFilters, now: datetime
) -> InboxPage:
    """The viewer's inbox as the API lists it: the inbox page's query, filters, order and paging."""
    return inbox_page(session, viewer, filters, now)


__all__ = [
    "CaseDetail",
    "CaseEvents",
    "case_detail",
    "case_events",
    "inbox_tasks",
    "list_cases",
    "list_warnings",
    "visible_case",
    "visible_task",
]
