"""The open tasks behind the home counts: a list by task, responsible unit and deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from keyproj.codes import OPEN_TASK, Lane
from keyproj.db.models import (
    Case,
    DecidedItem,
    EarlyWarning,
    HumanTask,
    HumanTaskCandidate,
    Project,
)
from keyproj.paging import PAGE_SIZE, Page, Paging, fetch_page
from keyproj.services.access import Viewer
from keyproj.services.home.common import visible_tasks

# The diagram's tasks a home page counts, by their name in the diagram (warning_case.bpmn).
TASKS = {
    "issue_notice": "发出预警催办通知",
    "respond": "受理并开展协调",
    "report_outcome": "报告协调成效",
    "evaluate": "评估协调成效",
    "county_gov_assign": "县府办提请分管领导协调",
    "county_gov_handle": "县政府协调处置",
    "phase_escalated": "阶段性责任单位逾期协调",
    "follow_up_item": "落实会议纪要事项",
    "county_gov_follow_up_check": "督办纪要落实",
    "supervision_file": "督查立项",
    "supervision_result": "督查结果及问责",
}


@dataclass(frozen=True)
class WaitingFilters:
    """Which open tasks: of one diagram task, offered to one unit, past their deadline."""

    task: str | None = None
    unit_id: int | None = None
    overdue: bool = False
    page: int = 1
    per_page: int = PAGE_SIZE


@dataclass(frozen=True)
class WaitingTask:
    """An open task of a visible case, with its project and deadline."""

    task_id: int
    case_id: int
    title: str
    lane: Lane
    due_at: datetime | None
    notice_number: str | None
    project_id: int | None
    project_name: str | None
    item_matter: str | None = None  # a decided item's case: the item, not its carrier warning


def waiting_tasks(
    session: Session, viewer: Viewer, filters: WaitingFilters, now: datetime
) -> Page[WaitingTask]:
    """One page of the open tasks under ``filters``, nearest deadline first."""
    page = fetch_page(session, _query(viewer, filters, now), Paging(filters.page, filters.per_page))
    return page.map(lambda row: WaitingTask(*row))


def _query(viewer: Viewer, filters: WaitingFilters, now: datetime) -> Select[*tuple[Any, ...]]:
    query = (
        select(
            HumanTask.id,
            Case.id,
            HumanTask.title,
            HumanTask.lane,
            HumanTask.due_at,
            Case.notice_number,
            Project.id,
            Project.name,
            DecidedItem.matter,
        )
        .join(Case, Case.id == HumanTask.case_id)
        .join(EarlyWarning, EarlyWarning.id == Case.warning_id)
        .outerjoin(Project, Project.id == EarlyWarning.project_id)
        .outerjoin(DecidedItem, DecidedItem.case_id == Case.id)
        .where(HumanTask.status.in_(OPEN_TASK), *visible_tasks(viewer))
        .order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.id)
    )
    if filters.task:
        query = query.where(HumanTask.name == filters.task)
    if filters.unit_id:
        offered = select(HumanTaskCandidate.task_id).where(
            HumanTaskCandidate.unit_id == filters.unit_id
        )
        query = query.where(HumanTask.id.in_(offered))
    if filters.overdue:
        query = query.where(HumanTask.due_at < now)
    return query
