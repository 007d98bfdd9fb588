"""The task inbox (X2): tasks the viewer's unit may take under the viewer's roles, and their own."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from keyproj.db.models import HumanTask, HumanTaskCandidate
from keyproj.services.access import Viewer
from keyproj.services.lanes import LANE_ROLES


def my_lanes(viewer: Viewer) -> list[str]:
    """The lanes whose tasks the viewer's roles allow."""
    return [lane for lane, roles in LANE_ROLES.items() if roles & viewer.roles]


def list_tasks(session: Session, viewer: Viewer, case_id: int | None = None) -> list[HumanTask]:
    """Ready tasks of the viewer's unit and lanes plus tasks the viewer claimed; soonest deadline first.

    Reads only the materialized task rows (indexed by candidate unit), never engine state.
    """
    query = (
        select(HumanTask)
        .join(HumanTaskCandidate, HumanTaskCandidate.task_id == HumanTask.id)
        .where(
            HumanTaskCandidate.unit_id == viewer.unit_id,
            HumanTask.lane.in_(my_lanes(viewer)),
            or_(
                HumanTask.status == "ready",
                (HumanTask.status == "claimed") & (HumanTask.claimed_by_id == viewer.user_id),
            ),
        )
        # Overdue tasks have the earliest deadlines, so this puts them first.
        .order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.id)
    )
    if case_id is not None:
        query = query.where(HumanTask.case_id == case_id)
    return list(session.scalars(query))
