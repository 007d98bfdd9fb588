"""Triage actions besides notices (LP13): merge a warning into an open case, dismiss warnings.

Each runs in the caller's transaction and is recorded: a merge on the case's hash-chained
timeline (and told to its responsible units), a dismissal on the warning itself and in the
change log.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import AdminAction, CaseStatus, NotificationKind, Role, WarningStatus
from keyproj.db.models import EarlyWarning, Project, User
from keyproj.errors import Conflict, ValidationError
from keyproj.services import access
from keyproj.services.access import Viewer
from keyproj.services.admin.changelog import Actor, record
from keyproj.services.cases import events, repository
from keyproj.services.cases.events import MergedWarning
from keyproj.services.decisions.warnings import early_warnings
from keyproj.services.notifications.store import Message, notify, unit_users
from keyproj.services.triage.notices import take_queued
from keyproj.validation import Checks

REASON_MAX_LENGTH = 1000


def merge_into_case(
    session: Session, viewer: Viewer, warning_ids: Sequence[int], case_id: int, now: datetime
) -> None:
    """Join queued warnings to an open case of the same project (LP13): each stands on the
    case's timeline, takes the case's outcome when it ends, and the case's units are told."""
    access.require_role(viewer, Role.KEY_OFFICE)
    warnings = take_queued(session, warning_ids)
    opened = repository.open_case(session, case_id, now)
    assert opened is not None  # open_case raises NotFound rather than return None here
    if opened.case.status != CaseStatus.OPEN:
        raise Conflict(f"案件 {case_id} 已办结，不能再并入预警")
    project_id = session.scalar(
        select(EarlyWarning.project_id).where(
            EarlyWarning.id == opened.case.warning_id, early_warnings()
        )
    )
    if project_id is None or any(w.project_id != project_id for w in warnings):
        raise ValidationError.single("case_id", "并入案件", "只能并入同一项目的在办案件")
    for warning in warnings:
        opened.joining.append(warning.id)
        opened.record(events.warning_merged(viewer, merged_of(warning)))
    units = opened.responsible_units(session)
    repository.save(session, opened)
    _tell_units(session, case_id, project_id, units, warnings, now)


def merged_of(warning: EarlyWarning) -> MergedWarning:
    """What the timeline keeps of a merged warning."""
    return MergedWarning(
        warning.id,
        warning.rule_id,
        warning.period,
        str(warning.level),
        str(warning.colour),
        str((warning.evidence or {}).get("summary") or ""),
    )


def _tell_units(
    session: Session,
    case_id: int,
    project_id: int,
    units: list[int],
    warnings: Sequence[EarlyWarning],
    now: datetime,
) -> None:
    """A notification to the users of the case's responsible units, once per warning."""
    project = session.get(Project, project_id)
    name = project.name if project is not None else ""
    users = [u for ids in unit_users(session, units).values() for u in ids]
    deliveries = []
    for warning in warnings:
        summary = str((warning.evidence or {}).get("summary") or "")
        message = Message(
            NotificationKind.WARNING_MERGED,
            f"项目“{name}”的新预警已并入在办案件",
            f"重点办将一条新预警并入该项目的在办案件，请一并协调处置：{summary}",
            f"/cases/{case_id}",
            case_id=case_id,
        )
        deliveries += [(user, f"merged:{case_id}:{warning.id}", message) for user in users]
    notify(session, deliveries, now)


def dismiss(
    session: Session, viewer: Viewer, warning_ids: Sequence[int], reason: str, now: datetime
) -> list[EarlyWarning]:
    """Dismiss queued warnings with a reason (不予处置): kept with who and when, in the change
    log, and never raised again for their period (the scan skips any key a warning has)."""
    access.require_role(viewer, Role.KEY_OFFICE)
    checks = Checks({"reason": "不予处置理由"})
    cleaned = checks.text("reason", reason, REASON_MAX_LENGTH, required=True)
    checks.done()
    assert cleaned is not None  # required: a blank reason was refused above
    warnings = take_queued(session, warning_ids)
    user = session.get(User, viewer.user_id)
    actor = Actor(viewer.user_id, user.username if user is not None else str(viewer.user_id))
    for warning in warnings:
        warning.status = WarningStatus.DISMISSED
        warning.dismissal_reason = cleaned
        warning.dismissed_by_id = viewer.user_id
        warning.dismissed_at = now
        warning.closed_at = now
        record(
            session, actor, AdminAction.WARNING_DISMISSED, _target(session, warning), now, cleaned
        )
    session.flush()
    return warnings


def _target(session: Session, warning: EarlyWarning) -> str:
    """How the change log names a warning: its project and period."""
    project = session.get(Project, warning.project_id) if warning.project_id else None
    where = f"{project.name}（{project.code}）" if project is not None else "组合预警"
    return f"预警{warning.id}：{where}，{warning.period}"
