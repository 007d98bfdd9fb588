"""What the pages and the leader's home page list: a case's instructions, the cases awaiting
the leader's instruction, and instructions not yet answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, Select, exists, func, select
from sqlalchemy.orm import Session, aliased

from keyproj.clock import now_utc
from keyproj.codes import OPEN_TASK, CaseStatus, Role
from keyproj.db.models import (
    Case,
    CaseEvent,
    CaseInstruction,
    EarlyWarning,
    HumanTask,
    Leader,
    Project,
    Unit,
    User,
)
from keyproj.services.access import Viewer, case_scope
from keyproj.services.cases.events import EventKind
from keyproj.services.instructions.following import is_following, visible
from keyproj.services.instructions.rules import may_follow, may_instruct


@dataclass(frozen=True)
class InstructionView:
    """An instruction as pages show it: who gave it, when, what, and how it was answered."""

    instruction_id: int
    case_id: int
    leader: str
    text: str
    due_on: date | None
    given_at: datetime
    answered_at: datetime | None
    answered_by: str | None
    answered_unit: str | None
    answer_task: str | None
    project_name: str | None = None

    @property
    def answered(self) -> bool:
        """True once a responsible unit's submitted task answered it."""
        return self.answered_at is not None


_ANSWERER, _UNIT = aliased(User), aliased(Unit)
_COLUMNS: tuple[Any, ...] = (
    CaseInstruction,
    Leader.name,
    _ANSWERER.display_name,
    _UNIT.name,
    Project.name,
)


def _query() -> Select[Any]:
    return (
        select(*_COLUMNS)
        .join(Leader, Leader.id == CaseInstruction.leader_id)
        .join(Case, Case.id == CaseInstruction.case_id)
        .join(EarlyWarning, EarlyWarning.id == Case.warning_id)
        .outerjoin(Project, Project.id == EarlyWarning.project_id)
        .outerjoin(_ANSWERER, _ANSWERER.id == CaseInstruction.answered_by_id)
        .outerjoin(_UNIT, _UNIT.id == CaseInstruction.answered_unit_id)
    )


def _view(row: Row[Any] | tuple[Any, ...]) -> InstructionView:
    item, leader, answerer, unit, project = tuple(row)
    return InstructionView(
        item.id,
        item.case_id,
        leader,
        item.text,
        item.due_on,
        item.given_at,
        item.answered_at,
        answerer,
        unit,
        item.answer_task_title,
        project,
    )


def case_instructions(session: Session, viewer: Viewer, case_id: int) -> list[InstructionView]:
    """Every instruction on a case the viewer may see, oldest first; NotFound otherwise."""
    visible(session, viewer, case_id)
    query = _query().where(CaseInstruction.case_id == case_id)
    return [_view(r) for r in session.execute(query.order_by(CaseInstruction.id))]


def unanswered_counts(session: Session, case_ids: list[int]) -> dict[int, int]:
    """How many instructions await an answer, by case (cases without any left out)."""
    if not case_ids:
        return {}
    query = (
        select(CaseInstruction.case_id, func.count())
        .where(CaseInstruction.case_id.in_(sorted(set(case_ids))))
        .where(CaseInstruction.answered_at.is_(None))
        .group_by(CaseInstruction.case_id)
    )
    return {case_id: int(n) for case_id, n in session.execute(query)}


def instructions_unanswered(session: Session, viewer: Viewer) -> list[InstructionView]:
    """Unanswered instructions on open cases (HD6: a leader's requirement not acted on): a
    leader's own; for anyone else, those on the cases they see."""
    query = _query().where(CaseInstruction.answered_at.is_(None), Case.status == CaseStatus.OPEN)
    if viewer.has(Role.LEADER) and viewer.leader_id is not None:
        query = query.where(CaseInstruction.leader_id == viewer.leader_id)
    else:
        query = query.where(case_scope(viewer))
    return [_view(r) for r in session.execute(query.order_by(CaseInstruction.given_at))]


@dataclass(frozen=True)
class AwaitingCase:
    """A case of the leader's projects that is escalated or overdue and has no instruction of theirs."""

    case_id: int
    notice_number: str | None
    project_id: int | None
    project_name: str | None
    escalated: bool
    overdue: bool


def awaiting_instruction(
    session: Session, viewer: Viewer, now: datetime | None = None
) -> list[AwaitingCase]:
    """Open cases of the leader's linked projects escalated to the county government (LP16) or
    with an overdue task, on which this leader has given no instruction yet; oldest first."""
    if not viewer.has(Role.LEADER) or viewer.leader_id is None:
        return []
    moment = now or now_utc()
    escalated = exists().where(CaseEvent.case_id == Case.id, CaseEvent.kind == EventKind.ESCALATED)
    overdue = exists().where(
        HumanTask.case_id == Case.id, HumanTask.status.in_(OPEN_TASK), HumanTask.due_at < moment
    )
    instructed = exists().where(
        CaseInstruction.case_id == Case.id, CaseInstruction.leader_id == viewer.leader_id
    )
    query = (
        select(Case.id, Case.notice_number, Project.id, Project.name, escalated, overdue)
        .join(EarlyWarning, EarlyWarning.id == Case.warning_id)
        .join(Project, Project.id == EarlyWarning.project_id)
        .where(Project.leader_id == viewer.leader_id, Case.status == CaseStatus.OPEN)
        .where(escalated | overdue, ~instructed)
        .order_by(Case.opened_at, Case.id)
    )
    return [AwaitingCase(*row) for row in session.execute(query)]


@dataclass(frozen=True)
class InstructionPanel:
    """The instructions part of a case or task page: the list and what the viewer may do."""

    instructions: list[InstructionView]
    may_instruct: bool
    may_follow: bool
    following: bool

    @property
    def unanswered(self) -> list[InstructionView]:
        """The instructions still awaiting an answer."""
        return [i for i in self.instructions if not i.answered]


def instruction_panel(session: Session, viewer: Viewer, case_id: int) -> InstructionPanel:
    """A case's instructions and whether the viewer may instruct on, or follow, the case."""
    case = visible(session, viewer, case_id)
    listed = case_instructions(session, viewer, case_id)
    open_case = case.status == CaseStatus.OPEN
    return InstructionPanel(
        listed,
        open_case and may_instruct(session, viewer, case),
        may_follow(session, viewer, case),
        is_following(session, viewer.user_id, case_id),
    )
