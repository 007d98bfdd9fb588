"""Following a case: a linked leader or the key office is told of the case's events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from keyproj.db.models import Case, CaseFollower
from keyproj.errors import NotFound, PermissionDenied
from keyproj.services.access import Viewer, may_see_case
from keyproj.services.instructions.rules import may_follow


def visible(session: Session, viewer: Viewer, case_id: int) -> Case:
    """The case if the viewer may see it; NotFound otherwise (no existence leak)."""
    case = session.get(Case, case_id)
    if case is None or not may_see_case(session, viewer, case):
        raise NotFound(f"案件 {case_id} 不存在或无权查看")
    return case


def follow(session: Session, viewer: Viewer, case_id: int, now: datetime) -> None:
    """Follow the case (again is no change); only a linked leader or the key office may."""
    case = visible(session, viewer, case_id)
    if not may_follow(session, viewer, case):
        raise PermissionDenied("只有挂钩该项目的县领导和重点办可以关注案件")
    if not is_following(session, viewer.user_id, case_id):
        session.add(CaseFollower(case_id=case_id, user_id=viewer.user_id, followed_at=now))
        session.flush()


def unfollow(session: Session, viewer: Viewer, case_id: int) -> None:
    """Stop following the case (not following is no change)."""
    visible(session, viewer, case_id)
    session.execute(
        delete(CaseFollower).where(
            CaseFollower.case_id == case_id, CaseFollower.user_id == viewer.user_id
        )
    )


def is_following(session: Session, user_id: int, case_id: int) -> bool:
    """Whether the user follows the case."""
    found = session.scalar(
        select(CaseFollower.case_id).where(
            CaseFollower.case_id == case_id, CaseFollower.user_id == user_id
        )
    )
    return found is not None


def followers(session: Session, case_ids: list[int]) -> dict[int, list[int]]:
    """The followers of each case: case id → user ids (cases without followers left out)."""
    if not case_ids:
        return {}
    found: dict[int, list[int]] = {}
    query = select(CaseFollower.case_id, CaseFollower.user_id).where(
        CaseFollower.case_id.in_(sorted(set(case_ids)))
    )
    for case_id, user_id in session.execute(query.order_by(CaseFollower.user_id)):
        found.setdefault(case_id, []).append(user_id)
    return found
