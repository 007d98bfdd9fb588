"""Giving an instruction (批示) on a case, and answering it with a responsible unit's submitted task.

The instruction and its answer are events of the case's hash-chained log (so they stand on
the timeline); the ``case_instructions`` row beside them, written in the same transaction,
is what lists and home pages query.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.clock import beijing_date
from keyproj.codes import CaseStatus
from keyproj.db.models import CaseInstruction, HumanTask
from keyproj.errors import Conflict, NotFound, PermissionDenied
from keyproj.inputs import ADMIN_YEARS, BadInput, parse_date, parse_id
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, may_see_case
from keyproj.services.cases import instruction_events, repository
from keyproj.services.cases.commands import CompletionResult, complete_task
from keyproj.services.instructions import following
from keyproj.services.instructions.rules import ANSWERING_TASKS, may_instruct
from keyproj.validation import Checks

INSTRUCTION_MAX_LENGTH = 2000
LABELS = {"text": "批示内容", "due_on": "办理期限", "answers": "答复批示"}


def give_instruction(
    session: Session,
    viewer: Viewer,
    case_id: int,
    text: str | None,
    due_on: str | None,
    now: datetime,
) -> CaseInstruction:
    """The linked leader's instruction on an open case; the leader follows the case from then on."""
    checks = Checks(LABELS)
    cleaned = checks.text("text", text, INSTRUCTION_MAX_LENGTH, required=True)
    deadline = _deadline(checks, due_on, beijing_date(now))
    opened = repository.open_case(session, case_id, now)
    assert opened is not None
    if not may_see_case(session, viewer, opened.case, lambda: opened.responsible_units(session)):
        raise NotFound(f"案件 {case_id} 不存在或无权查看")
    if not may_instruct(session, viewer, opened.case):
        raise PermissionDenied("只有挂钩该项目的县领导可以对案件作出批示")
    if opened.case.status != CaseStatus.OPEN:
        raise Conflict("案件已办结，不能再作批示")
    checks.done()
    assert cleaned is not None
    assert viewer.leader_id is not None
    row = CaseInstruction(
        case_id=case_id,
        leader_id=viewer.leader_id,
        author_id=viewer.user_id,
        text=cleaned,
        due_on=deadline,
        given_at=now,
    )
    session.add(row)
    session.flush()
    iso = deadline.isoformat() if deadline else None
    opened.record(instruction_events.instruction(viewer, row.id, cleaned, iso))
    repository.save(session, opened)
    following.follow(session, viewer, case_id, now)
    return row


def _deadline(checks: Checks, value: str | None, today: date) -> date | None:
    """An optional deadline: a date, not before today (Beijing)."""
    if value is None or not value.strip():
        return None
    try:
        day = parse_date(value.strip(), ADMIN_YEARS)
    except BadInput as exc:
        checks.fail("due_on", str(exc))
        return None
    if day < today:
        checks.fail("due_on", "不能早于今天")
        return None
    return day


def open_instructions(session: Session, case_id: int) -> list[CaseInstruction]:
    """The case's instructions not yet answered, oldest first."""
    query = select(CaseInstruction).where(
        CaseInstruction.case_id == case_id, CaseInstruction.answered_at.is_(None)
    )
    return list(session.scalars(query.order_by(CaseInstruction.id)))


def complete_answering(
    session: Session,
    viewer: Viewer,
    task_id: int,
    form_data: dict[str, Any],
    answers: Sequence[str],
    profile: PolicyProfile,
    now: datetime,
    as_sent: bool = False,
) -> CompletionResult:
    """Submit a task's form; when accepted, record which open instructions it answers.

    Only a responsible unit's response or outcome report answers, and only open instructions
    of the task's own case; anything else is refused with the field named, nothing written.
    """
    task = session.get(HumanTask, task_id)
    if answers and (task is None or not may_see_case(session, viewer, task.case)):
        raise NotFound(f"任务 {task_id} 不存在或无权查看")  # as complete_task would say
    wanted = _answered_ids(session, task, answers) if task is not None else []
    result = complete_task(session, viewer, task_id, form_data, profile, now, as_sent)
    if not result.accepted or not wanted or task is None:
        return result
    opened = repository.open_case(session, task.case_id, now)
    assert opened is not None
    for row in open_instructions(session, task.case_id):
        if row.id in wanted:
            row.answered_at, row.answered_by_id = now, viewer.user_id
            row.answered_unit_id, row.answer_task_title = viewer.unit_id, task.title
            opened.record(instruction_events.instruction_answered(viewer, task, row.id))
    repository.save(session, opened)
    return result


def _answered_ids(session: Session, task: HumanTask, answers: Sequence[str]) -> list[int]:
    """The instruction ids a submission answers; ValidationError naming ``answers`` if any is wrong."""
    if not answers:
        return []
    checks = Checks(LABELS)
    if task.name not in ANSWERING_TASKS:
        checks.fail("answers", "只有责任单位受理或报告协调成效时可以答复批示")
        checks.done()
    open_ids = {row.id for row in open_instructions(session, task.case_id)}
    wanted: list[int] = []
    for value in answers:
        try:
            wanted.append(parse_id(str(value)))
        except BadInput:
            checks.fail("answers", f"“{value}”不是批示编号")
    if any(i not in open_ids for i in wanted):
        checks.fail("answers", "所选批示不属于本案件或已答复")
    checks.done()
    return wanted
