"""The supervision ledger (督查台账) follows the cases' steps (LP13, LP20, AL13).

A notice with a major issue lists the matter (LP13); the 督查立项 files it; the deadline's
timer turns it overdue; the 督查结果 concludes it with its accountability records (LP20).
Alxa's 责任追究 records its accountability on the case itself, before it ends (AL13).
Called by the step, in the case's own transaction, so the ledger never disagrees with it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import CaseUnitRole, Failure, SupervisionOrigin, SupervisionState, Timer
from keyproj.codes.supervision import Measure
from keyproj.db.models import AccountabilityRecord, CaseUnit, SupervisionMatter
from keyproj.services.cases.events import NOTICE_TASK, Actor
from keyproj.services.cases.repository import OpenCase

FILE_TASK = "supervision_file"
RESULT_TASK = "supervision_result"
AL13_TASK = "al13_accountability"
# A matter still under supervision: at most one per case.
LIVE = (SupervisionState.LISTED, SupervisionState.FILED, SupervisionState.OVERDUE)
SUMMARY_MAX = 500  # the ledger's summary of a notice's text


def after_completion(
    session: Session, opened: OpenCase, actor: Actor, task_name: str, data: dict[str, Any]
) -> None:
    """What a completed task changes in the ledger (nothing for most tasks)."""
    form = data.get(task_name) or {}
    if task_name == NOTICE_TASK and form.get("major"):
        _list_major(session, opened, actor, form)
    elif task_name == FILE_TASK:
        _file(session, opened, actor, form, data)
    elif task_name == RESULT_TASK:
        _conclude(session, opened, actor, form, data)
    elif task_name == AL13_TASK:
        _hold_accountable(session, opened, actor, form, data)


def after_timers(session: Session, opened: OpenCase, fired: list[str]) -> None:
    """LP20 限期: the filing's deadline passed; the matter turns overdue (its task stays open)."""
    if Timer.SUPERVISION_OVERDUE not in fired:
        return
    row = live_row(session, opened.case.id)
    if row is not None and row.state == SupervisionState.FILED:
        row.state, row.overdue_at = SupervisionState.OVERDUE, opened.now


def live_row(session: Session, case_id: int) -> SupervisionMatter | None:
    """The matter a case's supervision tasks drive, while it is under supervision."""
    return session.scalars(
        select(SupervisionMatter)
        .where(SupervisionMatter.case_id == case_id, SupervisionMatter.state.in_(LIVE))
        .order_by(SupervisionMatter.id)
    ).first()


def _list_major(session: Session, opened: OpenCase, actor: Actor, form: dict[str, Any]) -> None:
    """LP13: a major issue and its responsibility split go on the summary list at once."""
    if live_row(session, opened.case.id) is not None:
        return
    units = opened.named_units or []
    lead = next((u for u, role in units if role == CaseUnitRole.LEAD), None)
    row = _new_row(opened, actor, SupervisionOrigin.MAJOR, str(form.get("notice_text") or ""))
    row.lead_unit_id, row.phase_unit_ids = lead, [u for u, r in units if r == CaseUnitRole.PHASE]
    session.add(row)


def _file(
    session: Session, opened: OpenCase, actor: Actor, form: dict[str, Any], data: dict[str, Any]
) -> None:
    """LP20: the 督查立项通知书 numbers the matter and sets its deadline."""
    row = live_row(session, opened.case.id)
    if row is None:  # the case came up from the county government (LP16) unlisted
        row = _escalated_row(session, opened, actor)
    row.state, row.filed_at = SupervisionState.FILED, opened.now
    row.filing_number = str(data.get("supervision_number") or "") or None
    row.requirements = str(form.get("requirements") or "") or None
    due = data.get("supervision_due")
    row.due_at = datetime.fromisoformat(str(due)) if due else None


def _conclude(
    session: Session, opened: OpenCase, actor: Actor, form: dict[str, Any], data: dict[str, Any]
) -> None:
    """LP20: the result concludes the matter; each failure of each entry is one record."""
    row = live_row(session, opened.case.id) or _escalated_row(session, opened, actor)
    row.state, row.concluded_at = SupervisionState.CONCLUDED, opened.now
    row.result = str(form.get("result") or "")
    session.flush()  # the records name the row
    unit_ids = data.get("accountability_unit_ids") or []
    for entry, unit_id in zip(form.get("accountability") or [], unit_ids, strict=True):
        for failure in entry["failures"]:
            session.add(
                AccountabilityRecord(
                    matter_id=row.id,
                    case_id=opened.case.id,
                    unit_id=int(unit_id),
                    person=entry["person"],
                    failure=Failure(failure),
                    measure=entry["measure"],
                    recorded_at=opened.now,
                    recorded_by_id=actor.user_id,
                )
            )


def _hold_accountable(
    session: Session, opened: OpenCase, actor: Actor, form: dict[str, Any], data: dict[str, Any]
) -> None:
    """AL13: each row is one record on its unit's record, linked to the case (no matter)."""
    unit_ids = data.get("al13_unit_ids") or []
    for row, unit_id in zip(form.get("accountability") or [], unit_ids, strict=True):
        measures = "、".join(Measure.label_of(m) for m in row["measures"])
        session.add(
            AccountabilityRecord(
                matter_id=None,
                case_id=opened.case.id,
                unit_id=int(unit_id),
                person=row["person"],
                failure=Failure(row["trigger"]),
                measure=f"旗委{measures}",
                recorded_at=opened.now,
                recorded_by_id=actor.user_id,
            )
        )


def _escalated_row(session: Session, opened: OpenCase, actor: Actor) -> SupervisionMatter:
    """A matter the county government passed on (LP16 → LP20), with the case's units."""
    notice = opened.instance.data.get(NOTICE_TASK) or {}
    name = opened.instance.data.get("project_name") or ""
    summary = str(notice.get("notice_text") or f"{name}预警事项经县政府协调后移交督查")
    row = _new_row(opened, actor, SupervisionOrigin.ESCALATED, summary)
    units = session.execute(
        select(CaseUnit.unit_id, CaseUnit.role).where(CaseUnit.case_id == opened.case.id)
    ).all()
    row.lead_unit_id = next((u for u, role in units if role == CaseUnitRole.LEAD), None)
    row.phase_unit_ids = sorted(u for u, role in units if role == CaseUnitRole.PHASE)
    session.add(row)
    return row


def _new_row(
    opened: OpenCase, actor: Actor, origin: SupervisionOrigin, summary: str
) -> SupervisionMatter:
    project = opened.instance.data.get("project_id")
    return SupervisionMatter(
        origin=origin,
        case_id=opened.case.id,
        project_id=int(project) if project else None,
        summary=summary[:SUMMARY_MAX],
        phase_unit_ids=[],
        state=SupervisionState.LISTED,
        listed_at=opened.now,
        created_by_id=actor.user_id,
    )
