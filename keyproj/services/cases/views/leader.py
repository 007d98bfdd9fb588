"""The 分包领导's part of a case (DC1–DC2), as the case and task pages show it: who the leader
is, by when, where the on-site coordination stands, when the on-site office was held, what was
coordinated and the decision (resolved, or sent to the monthly dispatch meeting, DC3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.db.models import CaseEvent, HumanTask, User
from keyproj.services.cases import events
from keyproj.services.cases.events import EventKind
from keyproj.services.cases.lanes import LEADER_TASK
from keyproj.services.cases.views.completions import choice_title, latest_completions, task_state

STATES = {"done": "已现场办公协调", "overdue": "已逾期，待现场办公协调", "open": "待现场办公协调"}


@dataclass(frozen=True)
class LeaderPart:
    """The leader's on-site coordination of a case (each fact None until it happened)."""

    name: str  # 张建国（副县长）
    due_at: datetime | None
    state: str  # 待现场办公协调, 已逾期，待现场办公协调, 已现场办公协调
    onsite_date: str | None = None
    coordination: str | None = None
    decision: str | None = None  # the decision's label
    meeting_issues: str | None = None
    recorded_by: str | None = None  # who completed the task (the leader, or 县府办 for them)
    recorded_at: datetime | None = None


def leader_part(session: Session, case_id: int, now: datetime) -> LeaderPart | None:
    """The case's leader part, or None when the case never reached its 分包领导."""
    row = session.scalar(
        select(HumanTask)
        .where(HumanTask.case_id == case_id, HumanTask.name == LEADER_TASK)
        .order_by(HumanTask.id.desc())
        .limit(1)
    )
    if row is None:
        return None
    form = latest_completions(session, case_id, (LEADER_TASK,)).get(LEADER_TASK, {}).get("form", {})
    state = STATES[task_state(row, now)]
    recorder = session.get(User, row.completed_by_id) if row.completed_by_id else None
    return LeaderPart(
        name=_leader_name(session, case_id),
        due_at=row.due_at,
        state=state,
        onsite_date=form.get("onsite_date"),
        coordination=form.get("coordination"),
        decision=choice_title(LEADER_TASK, "decision", form.get("decision")),
        meeting_issues=form.get("meeting_issues"),
        recorded_by=recorder.display_name if recorder else None,
        recorded_at=row.completed_at,
    )


def _leader_name(session: Session, case_id: int) -> str:
    """The leader the case started with (the start data keeps the name at that time)."""
    event = session.scalar(
        select(CaseEvent).where(
            CaseEvent.case_id == case_id, CaseEvent.kind == EventKind.CASE_STARTED
        )
    )
    leader = (events.read_started(event).start.get("leader") or {}) if event else {}
    name, title = leader.get("name") or "分包领导", leader.get("title")
    return f"{name}（{title}）" if title else str(name)
