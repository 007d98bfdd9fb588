"""The auditor's home: the most recent cases and whether each one's hash chain verifies (X4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyproj.audit import ChainProblem
from keyproj.db.models import Case, DecidedItem, EarlyWarning, Project
from keyproj.services.access import Viewer, case_scope
from keyproj.services.cases.audit import verify_case

# Verifying reads every event of a case: the home page checks only this many.
RECENT = 10


@dataclass(frozen=True)
class VerifiedCase:
    """A recent case and the result of verifying its event chain (None: intact)."""

    case_id: int
    notice_number: str | None
    project_name: str | None
    opened_at: datetime
    events: int
    problem: str | None
    item_matter: str | None = None  # a decided item's case: the item, not its carrier warning

    @property
    def intact(self) -> bool:
        """True when the chain verified."""
        return self.problem is None


@dataclass(frozen=True)
class AuditorHome:
    """Every case, and the recent ones verified."""

    cases: int
    recent: list[VerifiedCase]

    @property
    def broken(self) -> int:
        """How many of the recent cases failed verification."""
        return sum(1 for c in self.recent if not c.intact)


def auditor_home(session: Session, viewer: Viewer) -> AuditorHome:
    """The newest ``RECENT`` cases, each verified against its stored chain head."""
    rows = session.execute(
        select(
            Case.id,
            Case.notice_number,
            Project.name,
            Case.opened_at,
            Case.event_count,
            DecidedItem.matter,
        )
        .join(EarlyWarning, EarlyWarning.id == Case.warning_id)
        .outerjoin(Project, Project.id == EarlyWarning.project_id)
        .outerjoin(DecidedItem, DecidedItem.case_id == Case.id)
        .where(case_scope(viewer))
        .order_by(Case.id.desc())  # newest first: ids follow opening, and need no sort
        .limit(RECENT)
    ).all()
    recent = []
    for case_id, number, name, opened_at, events, matter in rows:
        problem = verify_case(session, case_id)
        described = _describe(problem)
        recent.append(VerifiedCase(case_id, number, name, opened_at, events, described, matter))
    total = session.scalar(select(func.count()).select_from(Case).where(case_scope(viewer)))
    return AuditorHome(int(total or 0), recent)


def _describe(problem: ChainProblem | None) -> str | None:
    """A chain problem as its auditor's message, or None."""
    return None if problem is None else problem.message
