"""The county government office's and the supervision office's homes: the cases at their steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import CaseStatus
from keyproj.db.models import Case, CaseEvent, EarlyWarning, HumanTask, Project
from keyproj.services.access import Viewer
from keyproj.services.cases.events import EventKind, read_completed
from keyproj.services.home.common import (
    WaitingCase,
    cases_waiting,
    count_cases_waiting,
    open_tasks_named,
    visible_tasks,
)

# LP16: matters the towns and departments could not resolve go to the county government:
# 县府办 asks the leader in charge, who coordinates; a late phase unit's part comes on its own.
ESCALATED = ("county_gov_assign", "county_gov_handle", "phase_escalated")
HANDLE = "county_gov_handle"
# LP16: an on-site meeting's follow-up items, then 县府办's check of their implementation.
FOLLOWING_UP = ("follow_up_item", "county_gov_follow_up_check")
# LP20: the supervision office files the matter, then records the result and accountability.
SUPERVISION_FILE = "supervision_file"
SUPERVISION_RESULT = "supervision_result"


@dataclass(frozen=True)
class FollowUp:
    """An on-site office meeting (现场办公会议, LP16) of a case still open: what to follow up by when."""

    case_id: int
    project_name: str | None
    minutes: str
    due: date | None

    def overdue(self, today: date) -> bool:
        """True when the follow-up date has passed and the case is still open."""
        return self.due is not None and self.due < today


@dataclass(frozen=True)
class CountyGovHome:
    """Escalated matters waiting for the county government, and meeting follow-ups (LP16)."""

    escalated: int
    cases: list[WaitingCase]
    follow_ups: list[FollowUp]
    today: date

    @property
    def follow_ups_overdue(self) -> int:
        """Follow-ups past their date."""
        return sum(1 for f in self.follow_ups if f.overdue(self.today))


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


def county_gov_home(session: Session, viewer: Viewer, today: date) -> CountyGovHome:
    """Open cases waiting at the county government's handling step, and meeting follow-ups."""
    return CountyGovHome(
        escalated=count_cases_waiting(session, viewer, ESCALATED),
        cases=cases_waiting(session, viewer, ESCALATED),
        follow_ups=meeting_follow_ups(session, viewer),
        today=today,
    )


def meeting_follow_ups(session: Session, viewer: Viewer) -> list[FollowUp]:
    """The on-site meetings whose follow-up items are still being implemented or checked, the
    earliest item deadline first (LP16: 县府办 supervises the minutes' implementation).

    Only escalated cases have a county government step, so this reads few events.
    """
    rows = session.execute(
        select(CaseEvent, Project.name)
        .join(Case, Case.id == CaseEvent.case_id)
        .join(EarlyWarning, EarlyWarning.id == Case.warning_id)
        .outerjoin(Project, Project.id == EarlyWarning.project_id)
        .where(
            CaseEvent.case_id.in_(
                select(HumanTask.case_id).where(
                    open_tasks_named(FOLLOWING_UP), *visible_tasks(viewer)
                )
            ),
            CaseEvent.kind == EventKind.COMPLETED,
            CaseEvent.task_name == HANDLE,
            Case.status == CaseStatus.OPEN,
        )
        .order_by(CaseEvent.id)
    ).all()
    found = []
    for event, project_name in rows:
        done = read_completed(event)
        if done.form.get("decision") == "onsite_meeting":
            items = done.engine_input.get("follow_ups") or []
            due = min((d for i in items if (d := _day(i.get("due_date")))), default=None)
            minutes = str(done.form.get("meeting_minutes") or "")
            found.append(FollowUp(event.case_id, project_name, minutes, due))
    return sorted(found, key=lambda f: (f.due is None, f.due or date.min, f.case_id))


def _day(value: object) -> date | None:
    """A form's ISO date, or None when it is missing or not a date."""
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def supervision_home(session: Session, viewer: Viewer) -> SupervisionHome:
    """Open cases at the supervision office's two steps."""
    both = (SUPERVISION_FILE, SUPERVISION_RESULT)
    return SupervisionHome(
        to_file=count_cases_waiting(session, viewer, (SUPERVISION_FILE,)),
        to_conclude=count_cases_waiting(session, viewer, (SUPERVISION_RESULT,)),
        cases=cases_waiting(session, viewer, both),
    )
