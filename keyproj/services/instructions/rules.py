"""Who may instruct on or follow a case (issue 15): one rule each, over the leaders' registry."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import Role
from keyproj.db.models import Case, EarlyWarning, Project
from keyproj.services.access import Viewer

# The tasks whose submission can answer an instruction: the unit's response (LP14) and its
# report of the outcome (LP15), the two steps a responsible unit takes on a case.
ANSWERING_TASKS = frozenset({"respond", "report_outcome"})


def project_leader_of(session: Session, case: Case) -> int | None:
    """The county leader linked to the case's project (挂钩县领导), if any."""
    return session.scalar(
        select(Project.leader_id)
        .join(EarlyWarning, EarlyWarning.project_id == Project.id)
        .where(EarlyWarning.id == case.warning_id)
    )


def may_instruct(session: Session, viewer: Viewer, case: Case) -> bool:
    """Only the leader linked to the case's project (LP8 挂钩县领导, DC1 分包领导), holding the
    县领导 role, may instruct: the leader who sees the case (``access.case_scope``)."""
    if not viewer.has(Role.LEADER) or viewer.leader_id is None:
        return False
    return project_leader_of(session, case) == viewer.leader_id


def may_follow(session: Session, viewer: Viewer, case: Case) -> bool:
    """The key office follows any case; a leader the cases of the projects linked to them."""
    return viewer.has(Role.KEY_OFFICE) or may_instruct(session, viewer, case)
