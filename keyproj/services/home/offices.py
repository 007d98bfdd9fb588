"""The county government office's and the supervision office's homes: the cases at their steps."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from keyproj.services.access import Viewer
from keyproj.services.home.common import WaitingCase, cases_waiting, count_cases_waiting

# LP16: matters the towns and departments could not resolve go to the county government.
ESCALATED = ("county_gov_handle",)
# LP20: the supervision office files the matter, then records the result and accountability.
SUPERVISION_FILE = "supervision_file"
SUPERVISION_RESULT = "supervision_result"


@dataclass(frozen=True)
class CountyGovHome:
    """Escalated matters waiting for the county government (LP16).

    Meeting follow-ups (现场办公会议) are not recorded anywhere yet, so only escalations show.
    """

    escalated: int
    cases: list[WaitingCase]


@dataclass(frozen=True)
class SupervisionHome:
    """The supervision ledger: cases waiting to be filed and waiting for their result (LP20)."""

    to_file: int
    to_conclude: int
    cases: list[WaitingCase]

    @property
    def total(self) -> int:
        """Every case on the ledger."""
        return self.to_file + self.to_conclude


def county_gov_home(session: Session, viewer: Viewer) -> CountyGovHome:
    """Open cases waiting at the county government's handling step."""
    return CountyGovHome(
        escalated=count_cases_waiting(session, viewer, ESCALATED),
        cases=cases_waiting(session, viewer, ESCALATED),
    )


def supervision_home(session: Session, viewer: Viewer) -> SupervisionHome:
    """Open cases at the supervision office's two steps."""
    both = (SUPERVISION_FILE, SUPERVISION_RESULT)
    return SupervisionHome(
        to_file=count_cases_waiting(session, viewer, (SUPERVISION_FILE,)),
        to_conclude=count_cases_waiting(session, viewer, (SUPERVISION_RESULT,)),
        cases=cases_waiting(session, viewer, both),
    )
