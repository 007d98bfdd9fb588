"""The HD5/HD6 measure of an escalated case (Handan's diagram), as the case and task pages show it:
the reminder letter with its number and the lead unit's signature (HD5), or the interview with
its triggers, the unit and person interviewed, when and by whom it was held and the commitments
(HD6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import OPEN_TASK, CaseUnitRole, TaskStatus
from keyproj.db.models import CaseUnit, HumanTask, Unit
from keyproj.services.cases.views.completions import choice_title, latest_completions

MEASURE_TASK, LETTER_TASK, INTERVIEW_TASK = "hd_measure", "reminder_letter_ack", "interview_record"
STATES = {"open": "待办理", "overdue": "已逾期", "done": "已完成"}


@dataclass(frozen=True)
class Commitment:
    """One commitment made at the interview: the matter, its unit and its due date."""

    matter: str
    unit: str
    due_date: str


@dataclass
class Measure:
    """What the key office decided and what came of it so far (None until it happened)."""

    measure: str  # the measure's label
    reason: str
    letter_number: str | None = None
    letter_text: str | None = None
    letter_unit: str | None = None  # the lead unit the letter went to
    signed_by: str | None = None
    rectification: str | None = None
    planned_completion: str | None = None
    triggers: list[str] = field(default_factory=list)  # the HD6 triggers' labels
    interviewee_unit: str | None = None
    interviewee_person: str | None = None
    held_on: str | None = None
    held_by: str | None = None
    summary: str | None = None
    commitments: list[Commitment] = field(default_factory=list)
    state: str | None = None  # of the letter's signature or the interview: open, overdue, done
    due_at: datetime | None = None

    @property
    def state_label(self) -> str:
        """The state as users read it."""
        return STATES.get(self.state or "", "")


def case_measure(session: Session, case_id: int, now: datetime) -> Measure | None:
    """The case's HD5/HD6 measure, or None when the key office has not decided one."""
    done = latest_completions(session, case_id, (MEASURE_TASK, LETTER_TASK, INTERVIEW_TASK))
    decided = done.get(MEASURE_TASK)
    if decided is None:
        return None
    chosen, added = decided["form"], decided["input"]
    out = Measure(
        measure=choice_title(MEASURE_TASK, "measure", chosen.get("measure")) or "",
        reason=str(chosen.get("reason", "")),
        letter_number=added.get("reminder_letter_number"),
        letter_text=chosen.get("letter_text"),
        triggers=[
            choice_title(MEASURE_TASK, "triggers", t) or "" for t in chosen.get("triggers") or []
        ],
        interviewee_unit=added.get("interviewee_unit_name"),
        interviewee_person=chosen.get("interviewee_person"),
    )
    if out.letter_number:
        out.letter_unit = _lead_unit(session, case_id)
        signed = done.get(LETTER_TASK, {}).get("form", {})
        out.signed_by, out.rectification = signed.get("signed_by"), signed.get("measures")
        out.planned_completion = signed.get("planned_completion")
        out.state, out.due_at = _state(session, case_id, LETTER_TASK, now)
    elif chosen.get("measure") == "interview":
        held = done.get(INTERVIEW_TASK, {})
        record = held.get("form", {})
        out.held_on, out.held_by = record.get("held_on"), record.get("held_by")
        out.summary = record.get("summary")
        out.commitments = [
            Commitment(str(c.get("matter", "")), str(c.get("unit_name", "")), str(c["due_date"]))
            for c in held.get("input", {}).get("interview_commitments") or []
        ]
        out.state, out.due_at = _state(session, case_id, INTERVIEW_TASK, now)
    return out


def _state(
    session: Session, case_id: int, name: str, now: datetime
) -> tuple[str | None, datetime | None]:
    """Where the latest task ``name`` stands: open, overdue (its timer fired), done."""
    query = (
        select(HumanTask)
        .where(HumanTask.case_id == case_id, HumanTask.name == name)
        .order_by(HumanTask.id.desc())
    )
    row = session.scalars(query).first()
    if row is None:
        return None, None
    if row.status == TaskStatus.COMPLETED:
        return "done", row.due_at
    if row.status in OPEN_TASK and row.due_at is not None and row.due_at < now:
        return "overdue", row.due_at
    return "open", row.due_at


def _lead_unit(session: Session, case_id: int) -> str | None:
    query = (
        select(Unit.name)
        .join(CaseUnit, CaseUnit.unit_id == Unit.id)
        .where(CaseUnit.case_id == case_id, CaseUnit.role == CaseUnitRole.LEAD)
    )
    return session.scalar(query)
