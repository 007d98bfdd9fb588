"""What several home sections share: cases waiting at a task, and projects by their worst colour."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from keyproj.codes import OPEN_TASK, Colour, WarningStatus
from keyproj.db.models import Case, DecidedItem, EarlyWarning, HumanTask, Project
from keyproj.services.access import Viewer, case_scope, project_scope

# A home page's short lists stay short: the count links to the whole list.
SHORT_LIST = 10
# The four colours from best to worst (HD3), ranked as the project list's colour filter ranks them.
COLOUR_RANK = {colour: rank for rank, colour in enumerate(Colour, start=1)}


@dataclass(frozen=True)
class WaitingCase:
    """An open case waiting at a task: its project and the task's title and deadline."""

    case_id: int
    notice_number: str | None
    project_id: int | None
    project_name: str | None
    task_title: str
    due_at: datetime | None
    item_matter: str | None = None  # a decided item's case: the item, not its carrier warning


@dataclass(frozen=True)
class ColourCounts:
    """How many of a set of projects have each worst open-warning colour (HD3), and none."""

    by_colour: dict[Colour, int]
    no_warning: int

    @property
    def total(self) -> int:
        """Every project counted."""
        return sum(self.by_colour.values()) + self.no_warning


def open_tasks_named(names: Collection[str]) -> ColumnElement[bool]:
    """Open tasks with one of ``names`` (the diagram's task ids)."""
    return HumanTask.name.in_(sorted(names)) & HumanTask.status.in_(OPEN_TASK)


def visible_tasks(viewer: Viewer) -> list[ColumnElement[bool]]:
    """Tasks of the cases the viewer may see (``case_scope``), as WHERE clauses on human_tasks.

    The offices see every case: no clause, so their counts read the task indexes alone.
    """
    if viewer.county_wide:
        return []
    return [HumanTask.case_id.in_(select(Case.id).where(case_scope(viewer)))]


def count_cases_waiting(session: Session, viewer: Viewer, names: Collection[str]) -> int:
    """How many visible open cases wait at one of the tasks ``names``.

    The diagram has no parallel copies of a task, so a case waits at one task of a name:
    counting the open tasks counts the cases.
    """
    query = (
        select(func.count())
        .select_from(HumanTask)
        .where(open_tasks_named(names), *visible_tasks(viewer))
    )
    return int(session.scalar(query) or 0)


def cases_waiting(
    session: Session, viewer: Viewer, names: Collection[str], limit: int = SHORT_LIST
) -> list[WaitingCase]:
    """The visible open cases waiting at ``names``, nearest deadline first, at most ``limit``."""
    query = (
        select(
            Case.id,
            Case.notice_number,
            Project.id,
            Project.name,
            HumanTask.title,
            HumanTask.due_at,
            DecidedItem.matter,
        )
        .join(HumanTask, HumanTask.case_id == Case.id)
        .join(EarlyWarning, EarlyWarning.id == Case.warning_id)
        .outerjoin(Project, Project.id == EarlyWarning.project_id)
        .outerjoin(DecidedItem, DecidedItem.case_id == Case.id)
        .where(open_tasks_named(names), *visible_tasks(viewer))
        .order_by(HumanTask.due_at.is_(None), HumanTask.due_at, Case.id)
        .limit(limit)
    )
    return [WaitingCase(*row) for row in session.execute(query)]


def colour_counts(session: Session, scope: ColumnElement[bool]) -> ColourCounts:
    """Projects within ``scope`` by their worst open warning, in two aggregate queries."""
    rank = case({c.value: r for c, r in COLOUR_RANK.items()}, value=EarlyWarning.colour)
    worst = (
        select(EarlyWarning.project_id, func.max(rank).label("worst"))
        .where(
            EarlyWarning.status == WarningStatus.OPEN,
            # From the projects in scope to their warnings: a unit's few projects, not every warning.
            EarlyWarning.project_id.in_(select(Project.id).where(scope)),
        )
        .group_by(EarlyWarning.project_id)
        .subquery()
    )
    ranks = {r: c for c, r in COLOUR_RANK.items()}
    counted = session.execute(select(worst.c.worst, func.count()).group_by(worst.c.worst)).all()
    by_colour = {colour: 0 for colour in Colour}
    for worst_rank, n in counted:
        by_colour[ranks[int(worst_rank)]] = int(n)
    projects = int(session.scalar(select(func.count()).select_from(Project).where(scope)) or 0)
    return ColourCounts(by_colour, projects - sum(by_colour.values()))


def visible_colour_counts(session: Session, viewer: Viewer) -> ColourCounts:
    """The viewer's projects by their worst open warning (the project list's colour filter)."""
    return colour_counts(session, project_scope(viewer))
