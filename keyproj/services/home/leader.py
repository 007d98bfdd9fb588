"""A county leader's home: my linked projects' colours, their open cases, and where my instruction
(批示) is awaited or still unanswered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyproj.codes import CaseStatus
from keyproj.db.models import Case, EarlyWarning, Project
from keyproj.services.access import Viewer
from keyproj.services.home.common import ColourCounts, visible_colour_counts
from keyproj.services.instructions.lists import (
    AwaitingCase,
    awaiting_instruction,
    instructions_unanswered,
)


@dataclass(frozen=True)
class LeaderHome:
    """What a leader sees first: colours, open cases, and the cases waiting on an instruction."""

    colours: ColourCounts
    open_cases: int
    awaiting: list[AwaitingCase]  # escalated or overdue, no instruction of mine yet
    unanswered: int  # my instructions the units have not answered yet

    @property
    def awaiting_count(self) -> int:
        """How many cases wait on my instruction."""
        return len(self.awaiting)


def leader_home(session: Session, viewer: Viewer, now: datetime | None = None) -> LeaderHome:
    """The leader's projects (led or on the team) by colour, and the open cases they may see."""
    # The leader's clause of the case rule (case_scope: the cases of the projects they
    # lead), written from the projects to their cases so that it reads a few index entries.
    # A warning has at most one case, so counting warnings with an open case counts cases.
    open_case = select(Case.id).where(
        Case.warning_id == EarlyWarning.id, Case.status == CaseStatus.OPEN
    )
    cases = (
        select(func.count())
        .select_from(Project)
        .join(EarlyWarning, EarlyWarning.project_id == Project.id)
        .where(Project.leader_id == viewer.leader_id, open_case.exists())
    )
    return LeaderHome(
        colours=visible_colour_counts(session, viewer),
        open_cases=int(session.scalar(cases) or 0) if viewer.leader_id is not None else 0,
        awaiting=awaiting_instruction(session, viewer, now),
        unanswered=len(instructions_unanswered(session, viewer)),
    )
