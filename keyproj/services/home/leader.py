"""A county leader's home: my linked projects' colours and their open cases."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyproj.codes import CaseStatus
from keyproj.db.models import Case
from keyproj.services.access import Viewer, case_scope
from keyproj.services.home.common import ColourCounts, visible_colour_counts


@dataclass(frozen=True)
class LeaderHome:
    """What a leader sees first (the instruction part is built with leaders' instructions)."""

    colours: ColourCounts
    open_cases: int


def leader_home(session: Session, viewer: Viewer) -> LeaderHome:
    """The leader's projects (led or on the team) by colour, and the open cases they may see."""
    cases = select(func.count()).select_from(Case).where(Case.status == CaseStatus.OPEN)
    return LeaderHome(
        colours=visible_colour_counts(session, viewer),
        open_cases=int(session.scalar(cases.where(case_scope(viewer))) or 0),
    )
