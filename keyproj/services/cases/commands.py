"""Warning cases (X1, LP13–LP20): start, claim, release, complete with the deadline race, updates.

Every command checks access itself: a viewer outside the case's scope is told the task (or
case) does not exist, exactly as if it did not; one who sees it but may not take it is
refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.clock import BEIJING
from keyproj.codes import CaseUnitRole, TaskStatus
from keyproj.db.models import Case, CaseUnit, EarlyWarning, HumanTask, User
from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.forms import validate_form
from keyproj.policy import PolicyProfile
from keyproj.services import access
from keyproj.services.access import Viewer
from keyproj.services.cases import events, repository, step
from keyproj.services.cases.events import Actor, EventKind
from keyproj.services.cases.hooks import Decision, completion_data
from keyproj.services.cases.repository import OpenCase
from keyproj.services.cases.start import start_cases
from keyproj.validation import Checks

UPDATE_MAX_LENGTH = 5000  # a progress update or comment (LP18)


@dataclass(frozen=True)
class CompletionResult:
    """What became of a submission: accepted, or refused because its deadline had passed."""

    accepted: bool
    message: str
    case_status: str
    now_waiting_for: list[str]


def start_case(
    session: Session, warning: EarlyWarning, profile: PolicyProfile, now: datetime
) -> Case:
    """Open the case of a warning on the newest diagram version, pinned to it (X1)."""
    if session.scalar(select(Case.id).where(Case.warning_id == warning.id)) is not None:
        raise Conflict(f"预警 {warning.id} 已有案件")
    return start_cases(session, [warning], profile, now)[0]


def claim_task(session: Session, viewer: Viewer, task_id: int, now: datetime) -> HumanTask:
    """Take a ready task; someone else's claim or completion is reported with who and when."""
    opened, row = _open_task(session, viewer, task_id, now)
    _check_may_take(session, viewer, row)
    if row.status == TaskStatus.CLAIMED and row.claimed_by_id == viewer.user_id:
        return row
    opened.update_task(row, status=TaskStatus.CLAIMED, claimed_by_id=viewer.user_id, claimed_at=now)
    opened.record(events.claimed(viewer, row))
    repository.save(session, opened)
    return row


def release_task(session: Session, viewer: Viewer, task_id: int, now: datetime) -> HumanTask:
    """Give a claimed task back to the unit's inbox."""
    opened, row = _open_task(session, viewer, task_id, now)
    if row.status != TaskStatus.CLAIMED or row.claimed_by_id != viewer.user_id:
        raise Conflict("只能退回自己认领的任务")
    opened.update_task(row, status=TaskStatus.READY, claimed_by_id=None, claimed_at=None)
    opened.record(events.released(viewer, row))
    repository.save(session, opened)
    return row


def complete_task(
    session: Session,
    viewer: Viewer,
    task_id: int,
    form_data: dict[str, Any],
    profile: PolicyProfile,
    now: datetime,
    as_sent: bool = False,
) -> CompletionResult:
    """Submit a task's form. Due timers fire first, so a late submission is refused (and kept).

    ``as_sent``: the form's schema applies to the data as sent too (the API), not only cleaned.
    """
    opened, row = _open_task(session, viewer, task_id, now, fire_timers=True)
    if opened.instance.ready_task(row.engine_task_id) is None:
        return _refuse_late(session, opened, viewer, row, form_data)
    _check_may_take(session, viewer, row)
    cleaned = validate_form(row.form, form_data, as_sent)
    decision = completion_data(session, row.name, cleaned, profile, now)
    _apply(session, opened, decision)
    step.complete(session, opened, viewer, row, decision.data)
    repository.save(session, opened)
    # Each unit's part has its own task of a step: a step is named once.
    waiting = list(dict.fromkeys(t.title for t in opened.instance.ready_user_tasks()))
    return CompletionResult(True, f"“{row.title}”已提交", opened.case.status, waiting)


def complete_opened(
    session: Session,
    opened: OpenCase,
    actor: Actor,
    row: HumanTask,
    form_data: dict[str, Any],
    profile: PolicyProfile,
    now: datetime,
) -> None:
    """Complete a loaded ready task of an opened case for an actor the caller has checked (the
    triage's notices, LP13); the caller saves the case."""
    cleaned = validate_form(row.form, form_data)
    decision = completion_data(session, row.name, cleaned, profile, now)
    _apply(session, opened, decision)
    step.complete(session, opened, actor, row, decision.data)


def add_update(
    session: Session, viewer: Viewer, case_id: int, kind: str, text: str, now: datetime
) -> None:
    """A progress update (LP18 动态报告, responsible units and the key office) or a comment."""
    if kind not in events.UPDATE_KINDS:
        raise ValidationError.single("kind", "类型", "应为 progress_update 或 comment")
    checks = Checks({"text": "内容"})
    cleaned = checks.text("text", text, UPDATE_MAX_LENGTH, required=True)
    checks.done()
    assert cleaned is not None  # required: a blank text was refused above
    opened = repository.open_case(session, case_id, now)
    assert opened is not None
    if not _may_see(session, viewer, opened):
        raise NotFound(f"案件 {case_id} 不存在或无权查看")
    if kind == EventKind.PROGRESS_UPDATE and not access.is_responsible(
        viewer, opened.responsible_units(session)
    ):
        raise PermissionDenied("只有责任单位或重点办可以报送动态进展")
    opened.record(events.update(EventKind(kind), viewer, cleaned))
    repository.save(session, opened)


def _may_see(session: Session, viewer: Viewer, opened: OpenCase) -> bool:
    # The open case knows its units from a loaded 责任单位 task: usually no query.
    return access.may_see_case(
        session, viewer, opened.case, lambda: opened.responsible_units(session)
    )


def _apply(session: Session, opened: OpenCase, decision: Decision) -> None:
    """What a hook decided about the case itself: its responsible units and notice number."""
    if decision.named_units is not None:
        opened.named_units = decision.named_units
    if decision.added_units:
        opened.named_units = _with_added(session, opened, decision.added_units)
    if decision.notice_number is not None:
        opened.changes["notice_number"] = decision.notice_number


def _with_added(
    session: Session, opened: OpenCase, added: list[tuple[int, CaseUnitRole]]
) -> list[tuple[int, CaseUnitRole]]:
    """The case's units as they stand, plus the added ones (a unit keeps its first role)."""
    current = opened.named_units
    if current is None:
        query = select(CaseUnit.unit_id, CaseUnit.role).where(CaseUnit.case_id == opened.case.id)
        current = [(unit_id, role) for unit_id, role in session.execute(query)]
    known = {unit_id for unit_id, _ in current}
    return [*current, *((u, role) for u, role in added if u not in known)]


def _open_task(
    session: Session, viewer: Viewer, task_id: int, now: datetime, fire_timers: bool = False
) -> tuple[OpenCase, HumanTask]:
    """Lock the task's case; NotFound alike for a missing task and one the viewer may not see."""
    opened = repository.open_case_of_task(session, task_id, now)
    if opened is None or not _may_see(session, viewer, opened):
        raise NotFound(f"任务 {task_id} 不存在或无权查看")
    if fire_timers:
        step.fire_timers(session, opened)
    row = next((t for t in opened.tasks if t.id == task_id), None)
    if row is None:  # no longer open: read it after the lock, as the other writer left it
        row = session.get(HumanTask, task_id, populate_existing=True)
        assert row is not None
    if row.status == TaskStatus.COMPLETED:
        raise Conflict(f"该任务已由{_who_when(session, row.completed_by_id, row.completed_at)}完成")
    return opened, row


def _check_may_take(session: Session, viewer: Viewer, row: HumanTask) -> None:
    if row.status == TaskStatus.CLAIMED and row.claimed_by_id != viewer.user_id:
        raise Conflict(f"该任务已由{_who_when(session, row.claimed_by_id, row.claimed_at)}认领")
    access.require_may_take(viewer, row)


def _who_when(session: Session, user_id: int | None, moment: datetime | None) -> str:
    """Who did it and when, as the conflict messages say it: 用户zdb于2026-02-13 10:00."""
    who = session.get(User, user_id) if user_id else None
    when = moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if moment else ""
    return f"{who.display_name if who else '他人'}于{when}"


def _refuse_late(
    session: Session, opened: OpenCase, viewer: Viewer, row: HumanTask, form_data: dict[str, Any]
) -> CompletionResult:
    """Keep what the user typed in the log, and say when the deadline passed and where the case went."""
    waiting = list(dict.fromkeys(t.title for t in opened.instance.ready_user_tasks()))
    due = row.due_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S") if row.due_at else "期限"
    where = "、".join(waiting) if waiting else "已办结"
    message = f"提交未被接受：“{row.title}”的办理期限已于{due}截止，案件已转入：{where}。您填写的内容已保存在案件记录中。"
    raw = {
        k: v
        for k, v in form_data.items()
        if isinstance(v, str | int | float | bool | list | type(None))
    }
    opened.record(events.submission_refused(viewer, row, raw, row.due_at, waiting))
    repository.save(session, opened)
    return CompletionResult(False, message, opened.case.status, waiting)
