"""Each responsible unit's own part of a case (LP13, LP17): its role, state, deadlines, lateness.

Read from the task rows and the log alone (no engine state): a part's tasks carry its unit
(``part_unit_id``), and a part that missed a deadline has a ``part_late`` event naming it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import OPEN_TASK, CaseUnitRole, TaskStatus, Timer
from keyproj.db.models import CaseEvent, CaseUnit, HumanTask, Unit
from keyproj.forms import form_fields
from keyproj.services.cases import events
from keyproj.services.cases.events import EventKind

# A part's state by its latest task: (task name, open?) → label.
_STATES = {
    ("respond", True): "待受理",
    ("respond", False): "已受理",
    ("report_outcome", True): "待报告协调成效",
    ("report_outcome", False): "已报告协调成效",
    ("phase_escalated", True): "逾期，县政府协调中（LP16）",
    ("phase_escalated", False): "逾期，县政府已协调（LP16）",
}
# What the step's deadline guards, by task name.
_DEADLINES = {"respond": "response_due", "report_outcome": "outcome_due"}


@dataclass
class UnitPart:
    """One lead or phase unit's part: who, in which role, how far, by when, and what was late."""

    unit_id: int
    unit_name: str
    role: CaseUnitRole
    state: str = "尚未开始"
    response_due: datetime | None = None
    outcome_due: datetime | None = None
    late: list[str] = field(default_factory=list)  # Timer labels: 响应逾期, 成效逾期
    escalated: bool = False  # its part went to the county government (a late phase unit)
    open_task_id: int | None = None
    outcome: str | None = None  # the unit's own outcome report: 已解决：已完成征地…

    @property
    def role_label(self) -> str:
        """牵头 or 阶段性, as the case page names the role."""
        return "牵头" if self.role == CaseUnitRole.LEAD else "阶段性"


def unit_parts(session: Session, case_id: int) -> list[UnitPart]:
    """The case's units in notice order (the lead first), each with its own part's facts."""
    units = session.execute(
        select(CaseUnit.unit_id, CaseUnit.role, Unit.name)
        .join(Unit, Unit.id == CaseUnit.unit_id)
        .where(CaseUnit.case_id == case_id)
        .order_by(CaseUnit.role, Unit.code)
    ).all()
    parts = {unit_id: UnitPart(unit_id, name, CaseUnitRole(role)) for unit_id, role, name in units}
    tasks = session.scalars(
        select(HumanTask)
        .where(HumanTask.case_id == case_id, HumanTask.part_unit_id.is_not(None))
        .order_by(HumanTask.id)
    )
    for task in tasks:
        part = parts.get(task.part_unit_id or 0)
        if part is not None:
            _apply_task(part, task)
    late = session.scalars(
        select(CaseEvent)
        .where(CaseEvent.case_id == case_id, CaseEvent.kind == EventKind.PART_LATE)
        .order_by(CaseEvent.seq)
    )
    _apply_outcomes(session, case_id, parts)
    for event in late:
        found = events.read_part_late(event)
        part = parts.get(found.unit_id)
        if part is not None:
            part.late.append(Timer.label_of(found.timer))
            if part.role == CaseUnitRole.LEAD and not part.open_task_id:
                part.state = "逾期，整案提请县政府协调（LP16）"
    return list(parts.values())


def _apply_task(part: UnitPart, task: HumanTask) -> None:
    """Let the part's latest task say its state; keep each step's deadline."""
    deadline = _DEADLINES.get(task.name)
    if deadline is not None:
        setattr(part, deadline, task.due_at)
    part.escalated = part.escalated or task.name == "phase_escalated"
    is_open = task.status in OPEN_TASK
    if task.status == TaskStatus.CANCELLED:
        return  # a cancelled task (the round ended by the lead's lateness) says nothing new
    part.state = _STATES.get((task.name, is_open), part.state)
    part.open_task_id = task.id if is_open else None


def _apply_outcomes(session: Session, case_id: int, parts: dict[int, UnitPart]) -> None:
    """Each unit's own outcome report (LP17), as 结果：说明, from the log."""
    reported = session.scalars(
        select(CaseEvent)
        .where(
            CaseEvent.case_id == case_id,
            CaseEvent.kind == EventKind.COMPLETED,
            CaseEvent.task_name == "report_outcome",
        )
        .order_by(CaseEvent.seq)
    )
    results = next(
        (dict(f.choices) for f in form_fields("report_outcome") if f.name == "result"), {}
    )
    for event in reported:
        done = events.read_completed(event)
        part = parts.get(done.part_unit_id or 0)
        if part is not None:
            code = str(done.form.get("result") or "")
            result = results.get(code, code)
            part.outcome = f"{result}：{done.form.get('evidence') or ''}".rstrip("：")
