"""The step: advance a case's engine, then record what the step changed, before any save.

Every engine step (start, completion, timers) ends here: the events of the step, whether it
escalated or closed the case, and the task rows it made ready or cancelled are recorded on
the OpenCase; the repository's save only writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from keyproj.clock import BEIJING
from keyproj.codes import OPEN_TASK, CaseOutcome, CaseStatus, Lane, TaskStatus
from keyproj.db.models import HumanTask
from keyproj.engine import ReadyTask
from keyproj.services.cases import events, lanes
from keyproj.services.cases.events import Actor
from keyproj.services.cases.repository import NewTask, OpenCase
from keyproj.services.decisions import progress as decided_items
from keyproj.services.supervision import ledger


@dataclass(frozen=True)
class StepResult:
    """What a step changed besides the tasks: timers fired, an escalation, the case's closing."""

    timers: tuple[str, ...] = ()
    escalated: str | None = None  # the new escalation reason
    closed: str | None = None  # the outcome, when the step ended the case


def started(session: Session, opened: OpenCase, start: dict[str, Any], version: int) -> None:
    """After the engine started a case: record the start and the first tasks."""
    opened.record(events.case_started(start, version))
    _sync_tasks(session, opened)


def complete(
    session: Session, opened: OpenCase, viewer: Actor, row: HumanTask, data: dict[str, Any]
) -> StepResult:
    """Complete a ready task with ``data`` (the form and what the office adds) and run on."""
    before = _escalation(opened)
    opened.instance.complete(row.engine_task_id, data, opened.now)
    opened.update_task(
        row,
        status=TaskStatus.COMPLETED,
        completed_by_id=viewer.user_id,
        completed_at=opened.now,
        claimed_by_id=row.claimed_by_id or viewer.user_id,
    )
    opened.record(events.task_completed(viewer, row, data))
    ledger.after_completion(session, opened, viewer, row.name, data)  # LP13, LP20
    decided_items.after_completion(session, opened, viewer, row.name, data)  # AL13 一是, GS6
    result = _after(session, opened, before)
    # Logged after the tasks the step made ready: a reminder flags a task that is there.
    return replace(result, timers=_record_fired(session, opened))


def fire_timers(session: Session, opened: OpenCase) -> StepResult:
    """The deadline race: fire every timer due by now before anything else touches the case."""
    before = _escalation(opened)
    if not opened.instance.fire_due_timers(opened.now):
        return StepResult()
    return _after(session, opened, before, _record_fired(session, opened))


def _record_fired(session: Session, opened: OpenCase) -> tuple[str, ...]:
    """Log the timers the engine's last step fired, naming each late unit's part (LP17)."""
    fired = tuple(dict.fromkeys(timer.name for timer in opened.instance.last_fired))
    if not fired:
        return ()
    opened.record(events.timer_fired(list(fired)))
    for timer in opened.instance.last_fired:
        if timer.unit_id is not None:  # LP17: that unit's own part is late, named in the log
            opened.record(events.part_late(timer.name, timer.unit_id))
    ledger.after_timers(session, opened, list(fired))  # LP20: a filing past its deadline
    decided_items.after_timers(session, opened, list(fired))  # AL13 一是: an item past its deadline
    return fired


def _escalation(opened: OpenCase) -> set[str]:
    """The escalations the case shows: the latest finished task's and each waiting task's.

    Branches keep their own data: when a reminder and a deadline fire in one sweep, the
    latest finished task may be the reminder's, and only the task the deadline made ready
    carries the escalation.
    """
    latest = opened.instance.data.get("escalation_reason")
    reasons = {t.escalation_reason for t in opened.instance.ready_user_tasks()}
    return {str(r) for r in (reasons | {latest}) if r}


def _after(
    session: Session, opened: OpenCase, before: set[str], timers: tuple[str, ...] = ()
) -> StepResult:
    """Record escalation and closing, then the tasks the step made ready or cancelled."""
    data = opened.instance.data
    new = sorted(_escalation(opened) - before)
    latest = data.get("escalation_reason")
    escalated = str(latest) if str(latest) in new else (new[0] if new else None)
    if escalated:
        opened.record(events.escalated(escalated))
    closed = None
    if opened.instance.completed and opened.get("status") == CaseStatus.OPEN:
        closed = CaseOutcome(data.get("case_outcome", CaseOutcome.CLOSED))
        opened.changes.update(status=CaseStatus.CLOSED, outcome=closed, closed_at=opened.now)
        opened.record(events.closed(closed))
    _sync_tasks(session, opened)
    return StepResult(timers, escalated, closed)


def resync_tasks(session: Session, opened: OpenCase) -> None:
    """After the instance changed outside a step (a migration, X3): the task rows follow it."""
    _sync_tasks(session, opened)


def _sync_tasks(session: Session, opened: OpenCase) -> None:
    """Task rows follow the engine: new ready tasks are born, rows the engine left are cancelled."""
    ready = {t.task_id: t for t in opened.instance.ready_user_tasks()}
    known: set[str] = set()
    for row in opened.tasks:
        known.add(row.engine_task_id)
        if row.engine_task_id not in ready and opened.task_status(row) in OPEN_TASK:
            opened.update_task(row, status=TaskStatus.CANCELLED)  # a timer took the case elsewhere
    for born in opened.new_tasks:
        known.add(born.engine_task_id)
        if born.engine_task_id not in ready:
            born.status = (
                TaskStatus.CANCELLED
            )  # born in an earlier step of this change, gone in this one
    for task in ready.values():
        if task.task_id not in known:
            _birth(session, opened, task)


def _birth(session: Session, opened: OpenCase, task: ReadyTask) -> None:
    """A task became ready: its row (with deadline and candidate units) and its event."""
    due = task.due_at
    if due is None and task.due_working_days is not None:
        start = opened.now.astimezone(BEIJING).isoformat()
        due = datetime.fromisoformat(opened.deadline(start, task.due_working_days))
    if task.unit_id is not None:
        units = [task.unit_id]  # a unit's own part (LP13 lead/phase units), an item's owner
    elif task.lane == Lane.RESPONSIBLE:
        units = opened.responsible_units(session)
    else:
        units = lanes.office_units(session, task.lane)
    opened.new_tasks.append(
        NewTask(
            task.task_id,
            task.name,
            task.title,
            task.lane,
            task.form,
            due,
            units,
            part_unit_id=task.part_unit_id,
        )
    )
    opened.record(events.task_ready(task, due))
