"""Warning cases (X1, LP13–LP20): start, claim, release, complete with the deadline race, updates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from keyproj.audit import GENESIS
from keyproj.clock import BEIJING
from keyproj.codes import (
    UNIT_STAFF_ROLES,
    CaseOutcome,
    CaseStatus,
    CaseUnitRole,
    Role,
    TaskStatus,
    UpdateKind,
)
from keyproj.db.models import Case, CaseUnit, EarlyWarning, HumanTask, Project, User
from keyproj.engine import CaseInstance
from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.forms import validate_form
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer
from keyproj.services.cases import lanes
from keyproj.services.cases.definitions import compiled_by_id, latest
from keyproj.services.cases.hooks import completion_data
from keyproj.services.cases.repository import (
    STATE_ENCODING,
    OpenCase,
    deadline_fn,
    open_case,
    open_case_of_task,
)
from keyproj.services.cases.save import save_case


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
    definition = latest(session)
    project = session.get(Project, warning.project_id) if warning.project_id else None
    data = start_data(warning, project, profile, now)
    deadline = deadline_fn(session)
    instance = CaseInstance.start(compiled_by_id(session, definition.id), data, deadline, now)
    case = Case(
        warning_id=warning.id,
        definition_id=definition.id,
        status=CaseStatus.OPEN,
        state=b"",  # written by save_case below, with the events, in the same transaction
        serializer_version=STATE_ENCODING,
        state_hash=instance.digest(),
        event_count=0,
        last_event_hash=GENESIS,
        opened_at=now,
    )
    if project is not None:
        case.units = [CaseUnit(unit_id=project.lead_unit_id, role=CaseUnitRole.LEAD)]
    session.add(case)
    session.flush()
    opened = OpenCase(case, instance, now, deadline)
    opened.record("case_started", data={"start": data, "definition_version": definition.version})
    save_case(session, opened)
    return case


def start_data(
    warning: EarlyWarning, project: Project | None, profile: PolicyProfile, now: datetime
) -> dict[str, Any]:
    """The case data a diagram starts with: the warning, and every number from the profile."""
    d = profile.deadlines
    return {
        "warning_id": warning.id,
        "rule_id": warning.rule_id,
        "level": warning.level,
        "colour": warning.colour,
        "period": warning.period,
        "evidence": warning.evidence,
        "project_id": project.id if project else None,
        "project_code": project.code if project else None,
        "project_name": project.name if project else None,
        "profile": profile.profile.id,
        "started_at": now.astimezone(BEIJING).isoformat(),
        "notice_working_days": d.notice_working_days,  # LP13
        "response_working_days": d.response_working_days,  # LP17
        "outcome_working_days": d.outcome_working_days,  # LP17
        "evaluate_working_days": d.urgent_issue_report_working_days,  # LP9: the key office's 3 days
        "county_gov_handling_working_days": d.county_gov_handling_working_days,  # LP16
        "supervision_working_days": d.supervision_working_days,  # LP20
    }


def claim_task(session: Session, viewer: Viewer, task_id: int, now: datetime) -> HumanTask:
    """Take a ready task; someone else's claim or completion is reported with who and when."""
    opened, row = _open_task(session, task_id, now)
    _check_may_take(session, viewer, row)
    if row.status == TaskStatus.CLAIMED and row.claimed_by_id == viewer.user_id:
        return row
    opened.update_task(row, status=TaskStatus.CLAIMED, claimed_by_id=viewer.user_id, claimed_at=now)
    _task_event(opened, "claimed", viewer, row)
    save_case(session, opened)
    return row


def release_task(session: Session, viewer: Viewer, task_id: int, now: datetime) -> HumanTask:
    """Give a claimed task back to the unit's inbox."""
    opened, row = _open_task(session, task_id, now)
    if row.status != TaskStatus.CLAIMED or row.claimed_by_id != viewer.user_id:
        raise Conflict("只能退回自己认领的任务")
    opened.update_task(row, status=TaskStatus.READY, claimed_by_id=None, claimed_at=None)
    _task_event(opened, "released", viewer, row)
    save_case(session, opened)
    return row


def complete_task(
    session: Session,
    viewer: Viewer,
    task_id: int,
    form_data: dict[str, Any],
    profile: PolicyProfile,
    now: datetime,
) -> CompletionResult:
    """Submit a task's form. Due timers fire first, so a late submission is refused (and kept)."""
    opened, row = _open_task(session, task_id, now, fire_timers=True)
    if opened.instance.ready_task(row.engine_task_id) is None:
        return _refuse_late(session, opened, viewer, row, form_data)
    _check_may_take(session, viewer, row)
    cleaned = validate_form(row.form, form_data)
    data = completion_data(session, opened, row, cleaned, profile)
    before = opened.instance.data.get("escalation_reason")
    opened.instance.complete(row.engine_task_id, data, now)
    opened.update_task(
        row,
        status=TaskStatus.COMPLETED,
        completed_by_id=viewer.user_id,
        completed_at=now,
        claimed_by_id=row.claimed_by_id or viewer.user_id,
    )
    _task_event(opened, "completed", viewer, row, {"input": data})
    after_step(session, opened, before)
    save_case(session, opened, completed=row)
    waiting = [t.title for t in opened.instance.ready_user_tasks()]
    return CompletionResult(True, f"“{row.title}”已提交", opened.case.status, waiting)


def add_update(
    session: Session, viewer: Viewer, case_id: int, kind: str, text: str, now: datetime
) -> None:
    """A progress update (LP18 动态报告, responsible units and the key office) or a comment."""
    if UpdateKind.parse(kind) is None:
        raise ValidationError.single("kind", "类型", "应为 progress_update 或 comment")
    if not text or not text.strip():
        raise ValidationError.single("text", "内容", "不能为空")
    opened = open_case(session, case_id, now)
    assert opened is not None
    if kind == UpdateKind.PROGRESS_UPDATE and not _is_responsible(session, viewer, opened.case):
        raise PermissionDenied("只有责任单位或重点办可以报送动态进展")
    if not case_visible(session, viewer, opened.case):
        raise NotFound(f"案件 {case_id} 不存在或无权查看")
    opened.record(
        kind, actor_id=viewer.user_id, unit_id=viewer.unit_id, data={"text": text.strip()}
    )
    save_case(session, opened)


def after_step(session: Session, opened: OpenCase, escalation_before: str | None) -> None:
    """Record escalation and closing, and mark the warning handled when the case ends."""
    data = opened.instance.data
    reason = data.get("escalation_reason")
    if reason and reason != escalation_before:
        opened.record("escalated", data={"reason": reason})
    if opened.instance.completed and opened.get("status") == CaseStatus.OPEN:
        outcome = data.get("case_outcome", CaseOutcome.CLOSED)
        opened.changes.update(status=CaseStatus.CLOSED, outcome=outcome, closed_at=opened.now)
        _close_warning(session, opened.case.warning_id, outcome, opened.now)
        opened.record("closed", data={"outcome": outcome})


def _close_warning(session: Session, warning_id: int, outcome: str, now: datetime) -> None:
    """Mark the case's warning handled (a Core update: loading the warning first costs a query)."""
    values = {"status": outcome, "closed_at": now}
    session.connection().execute(
        update(EarlyWarning).where(EarlyWarning.id == warning_id).values(values)
    )
    loaded = session.identity_map.get(identity_key(EarlyWarning, warning_id))
    if loaded is not None:
        for column, value in values.items():
            set_committed_value(loaded, column, value)


def case_visible(session: Session, viewer: Viewer, case: Case) -> bool:
    """The offices see every case; units see cases they are responsible for; leaders theirs."""
    if viewer.county_wide:
        return True
    if _is_responsible(session, viewer, case):
        return True
    project = session.get(Project, case.warning.project_id) if case.warning.project_id else None
    return bool(viewer.leader_id and project and project.leader_id == viewer.leader_id)


def _is_responsible(session: Session, viewer: Viewer, case: Case) -> bool:
    if viewer.has(Role.KEY_OFFICE, Role.ADMIN):
        return True
    units = session.scalars(select(CaseUnit.unit_id).where(CaseUnit.case_id == case.id))
    return viewer.has(*UNIT_STAFF_ROLES) and viewer.unit_id in set(units)


def _open_task(
    session: Session, task_id: int, now: datetime, fire_timers: bool = False
) -> tuple[OpenCase, HumanTask]:
    opened = open_case_of_task(session, task_id, now)
    if opened is None:
        raise NotFound(f"任务 {task_id} 不存在")
    if fire_timers:
        fire_due(session, opened)
    row = next((t for t in opened.tasks if t.id == task_id), None)
    if row is None:  # no longer open: read it after the lock, as the other writer left it
        row = session.get(HumanTask, task_id, populate_existing=True)
        assert row is not None
    if row.status == TaskStatus.COMPLETED:
        who = session.get(User, row.completed_by_id)
        when = (
            row.completed_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
            if row.completed_at
            else ""
        )
        raise Conflict(f"该任务已由{who.display_name if who else '他人'}于{when}完成")
    return opened, row


def fire_due(session: Session, opened: OpenCase) -> list[str]:
    """The deadline race: fire every timer due by now before anything else touches the case."""
    before = opened.instance.data.get("escalation_reason")
    fired = opened.instance.fire_due_timers(opened.now)
    if fired:
        opened.record("timer_fired", data={"timers": fired})
        after_step(session, opened, before)
    return fired


def _task_event(
    opened: OpenCase, kind: str, viewer: Viewer, row: HumanTask, data: dict[str, Any] | None = None
) -> None:
    """Queue an event about one task, by the viewer."""
    opened.record(
        kind,
        actor_id=viewer.user_id,
        unit_id=viewer.unit_id,
        task_id=row.engine_task_id,
        task_name=row.name,
        data=data or {},
    )


def _check_may_take(session: Session, viewer: Viewer, row: HumanTask) -> None:
    if row.status == TaskStatus.CLAIMED and row.claimed_by_id != viewer.user_id:
        who = session.get(User, row.claimed_by_id)
        when = (
            row.claimed_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if row.claimed_at else ""
        )
        raise Conflict(f"该任务已由{who.display_name if who else '他人'}于{when}认领")
    units = {c.unit_id for c in row.candidates}
    if viewer.unit_id not in units or not lanes.may_claim(row.lane, viewer.roles):
        raise PermissionDenied(f"“{row.title}”由{row.lane}办理，当前账号不能认领")


def _refuse_late(
    session: Session, opened: OpenCase, viewer: Viewer, row: HumanTask, form_data: dict[str, Any]
) -> CompletionResult:
    """Keep what the user typed in the log, and say when the deadline passed and where the case went."""
    waiting = [t.title for t in opened.instance.ready_user_tasks()]
    due = row.due_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S") if row.due_at else "期限"
    where = "、".join(waiting) if waiting else "已办结"
    message = f"提交未被接受：“{row.title}”的办理期限已于{due}截止，案件已转入：{where}。您填写的内容已保存在案件记录中。"
    raw = {
        k: v
        for k, v in form_data.items()
        if isinstance(v, str | int | float | bool | list | type(None))
    }
    _task_event(
        opened,
        "submission_refused",
        viewer,
        row,
        {
            "submitted": raw,
            "deadline": row.due_at.isoformat() if row.due_at else None,
            "now_waiting_for": waiting,
        },
    )
    save_case(session, opened)
    return CompletionResult(False, message, opened.case.status, waiting)
