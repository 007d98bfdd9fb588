"""What the services add to a form before the engine sees it: numbers, times, responsible units."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy.orm import Session

from keyproj.clock import BEIJING
from keyproj.codes import CaseUnitRole
from keyproj.db.models import HumanTask
from keyproj.errors import ValidationError
from keyproj.policy import PolicyProfile
from keyproj.services.cases.numbering import next_number
from keyproj.services.cases.repository import OpenCase
from keyproj.services.org.directory import unit_by_code


def completion_data(
    session: Session, opened: OpenCase, row: HumanTask, form: dict[str, Any], profile: PolicyProfile
) -> dict[str, Any]:
    """The data merged into the task: the form under the task's name, plus what the office adds."""
    data: dict[str, Any] = {row.name: form}
    hook = _HOOKS.get(row.name)
    if hook is not None:
        data.update(hook(session, opened, form, profile))
    return data


def _issue_notice(
    session: Session, opened: OpenCase, form: dict[str, Any], profile: PolicyProfile
) -> dict[str, Any]:
    """LP13: name the lead and phase units, number the notice, start the LP17 clocks."""
    lead = unit_by_code(session, form["lead_unit_code"], "lead_unit_code")
    phases = [
        unit_by_code(session, c, "phase_unit_codes") for c in form.get("phase_unit_codes", [])
    ]
    if any(p.id == lead.id for p in phases):
        raise ValidationError.single("phase_unit_codes", "阶段性责任单位", "不能与牵头责任单位相同")
    opened.named_units = [(lead.id, CaseUnitRole.LEAD)] + [
        (p.id, CaseUnitRole.PHASE) for p in phases
    ]
    local = opened.now.astimezone(BEIJING)
    number = next_number(session, profile.documents.warning_notice_prefix, local.year)
    opened.changes["notice_number"] = number
    return {"notice_number": number, "notice_issued_at": local.isoformat(), "lead_unit_id": lead.id}


def _supervision_file(
    session: Session, opened: OpenCase, form: dict[str, Any], profile: PolicyProfile
) -> dict[str, Any]:
    """LP20: number the 督查立项通知书 and turn its deadline into an end-of-day Beijing time."""
    due = date.fromisoformat(form["due_date"])
    if due < opened.now.astimezone(BEIJING).date():
        raise ValidationError.single("due_date", "办结期限", "不能早于今天")
    local = opened.now.astimezone(BEIJING)
    number = next_number(session, profile.documents.supervision_notice_prefix, local.year)
    end_of_day = datetime.combine(due, time(23, 59, 59), tzinfo=BEIJING)
    return {"supervision_number": number, "supervision_due": end_of_day.isoformat()}


_HOOKS = {"issue_notice": _issue_notice, "supervision_file": _supervision_file}
