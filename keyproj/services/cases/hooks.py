"""What the services add to a form before the engine sees it: numbers, times, responsible units.

A hook only decides; the completing command applies its decision to the open case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.clock import BEIJING
from keyproj.codes import CaseUnitRole
from keyproj.db.models import Unit
from keyproj.errors import FieldError, ValidationError
from keyproj.policy import PolicyProfile
from keyproj.services.cases.events import NOTICE_TASK
from keyproj.services.cases.numbering import (
    next_notice_number,
    next_reminder_letter_number,
    next_supervision_number,
)
from keyproj.services.decisions.deadlines import item_deadlines
from keyproj.services.org.directory import unit_by_code
from keyproj.services.reference.calendar import cached_calendar

_UNITS_BY_CODE = "keyproj.units_by_code"  # session.info: the units a batch of notices names


@contextmanager
def units_known(session: Session, codes: Iterable[str]) -> Iterator[None]:
    """Within the block, the notices' units of these codes are read once, not once a notice."""
    wanted = sorted({c for c in codes if isinstance(c, str)})
    if not wanted or _UNITS_BY_CODE in session.info:
        yield
        return
    units = session.scalars(select(Unit).where(Unit.code.in_(wanted)))
    session.info[_UNITS_BY_CODE] = {unit.code: unit for unit in units}
    try:
        yield
    finally:
        session.info.pop(_UNITS_BY_CODE, None)


def _unit_by_code(session: Session, code: str, field: str) -> Unit:
    """``unit_by_code``, from the units a batch read already when it has this one."""
    known = session.info.get(_UNITS_BY_CODE)
    unit = known.get(code) if known is not None and isinstance(code, str) else None
    return unit if unit is not None else unit_by_code(session, code, field)


@dataclass(frozen=True)
class Decision:
    """A hook's decision: the data merged into the task, and what the case row records."""

    data: dict[str, Any] = field(default_factory=dict)
    named_units: list[tuple[int, CaseUnitRole]] | None = (
        None  # (unit, lead|phase) when units are named
    )
    notice_number: str | None = None
    # Units that join the case's units (an on-site meeting's follow-up owners, LP16), so that
    # they see the case their item belongs to.
    added_units: list[tuple[int, CaseUnitRole]] | None = None


def completion_data(
    session: Session, task_name: str, form: dict[str, Any], profile: PolicyProfile, now: datetime
) -> Decision:
    """The data merged into the task (the form under the task's name, plus what the office adds)."""
    hook = _HOOKS.get(task_name)
    decided = hook(session, form, profile, now) if hook is not None else Decision()
    return Decision(
        {task_name: form, **decided.data},
        decided.named_units,
        decided.notice_number,
        decided.added_units,
    )


def _issue_notice(
    session: Session, form: dict[str, Any], profile: PolicyProfile, now: datetime
) -> Decision:
    """LP13: name the lead and phase units, number the notice, start the LP17 clocks."""
    lead = _unit_by_code(session, form["lead_unit_code"], "lead_unit_code")
    phases = [
        _unit_by_code(session, c, "phase_unit_codes") for c in form.get("phase_unit_codes", [])
    ]
    if any(p.id == lead.id for p in phases):
        raise ValidationError.single("phase_unit_codes", "阶段性责任单位", "不能与牵头责任单位相同")
    local = now.astimezone(BEIJING)
    number = next_notice_number(session, profile, local.year)
    # LP13/LP17: each named unit answers for its own part, the lead's first (the round's order).
    parts = [_part(lead, CaseUnitRole.LEAD)] + [_part(p, CaseUnitRole.PHASE) for p in phases]
    return Decision(
        {
            "notice_number": number,
            "notice_issued_at": local.isoformat(),
            "lead_unit_id": lead.id,
            "parts": parts,
        },
        named_units=[(lead.id, CaseUnitRole.LEAD)] + [(p.id, CaseUnitRole.PHASE) for p in phases],
        notice_number=number,
    )


def _part(unit: Unit, role: CaseUnitRole) -> dict[str, Any]:
    """One unit's part of the case as the diagram's round reads it (element variable ``part``)."""
    return {"unit_id": unit.id, "unit_code": unit.code, "unit_name": unit.name, "role": str(role)}


def _supervision_file(
    session: Session, form: dict[str, Any], profile: PolicyProfile, now: datetime
) -> Decision:
    """LP20: number the 督查立项通知书 and turn its deadline into an end-of-day Beijing time."""
    local = now.astimezone(BEIJING)
    due = date.fromisoformat(form["due_date"])
    if due < local.date():
        raise ValidationError.single("due_date", "办结期限", "不能早于今天")
    number = next_supervision_number(session, profile, local.year)
    end_of_day = datetime.combine(due, time(23, 59, 59), tzinfo=BEIJING)
    return Decision({"supervision_number": number, "supervision_due": end_of_day.isoformat()})


def _supervision_result(
    session: Session, form: dict[str, Any], profile: PolicyProfile, now: datetime
) -> Decision:
    """LP20: every accountability entry names a known unit; its id goes with the result."""
    problems: list[FieldError] = []
    units = [
        _row_unit(session, "accountability", "问责意见", index, entry["unit_code"], problems)
        for index, entry in enumerate(form.get("accountability") or [])
    ]
    if problems:
        raise ValidationError(problems)
    return Decision({"accountability_unit_ids": [u.id for u in units if u is not None]})


def _al13_accountability(
    session: Session, form: dict[str, Any], profile: PolicyProfile, now: datetime
) -> Decision:
    """AL13: a trigger confirmed needs someone held accountable; each row names a known unit and
    one of the triggers confirmed, refused by its cell; the units' ids go with the rows."""
    problems: list[FieldError] = []
    rows = form.get("accountability") or []
    confirmed = set(form.get("triggers") or [])
    if confirmed and not rows:
        problems.append(
            FieldError("accountability", "追究意见", "核实存在追究情形的，须写明追究对象")
        )
    units = []
    for index, row in enumerate(rows):
        units.append(
            _row_unit(session, "accountability", "追究意见", index, row["unit_code"], problems)
        )
        if row["trigger"] not in confirmed:
            cell, label = f"accountability[{index}].trigger", f"追究意见第{index + 1}项·追究情形"
            problems.append(FieldError(cell, label, "不在核实的追究情形之内"))
    if problems:
        raise ValidationError(problems)
    return Decision({"al13_unit_ids": [u.id for u in units if u is not None]})


def _county_gov_handle(
    session: Session, form: dict[str, Any], profile: PolicyProfile, now: datetime
) -> Decision:
    """LP16: an on-site office meeting's minutes create follow-up items, each given to its owner
    unit (by code) with its deadline at the end of that day, Beijing time."""
    items = form.get("follow_ups") or []
    if form["decision"] != "onsite_meeting":
        if items:
            raise ValidationError.single("follow_ups", "纪要事项", "仅召开现场办公会议时填写")
        return Decision()
    today = now.astimezone(BEIJING).date()
    follow_ups: list[dict[str, Any]] = []
    problems: list[FieldError] = []
    for index, item in enumerate(items):
        unit = _row_unit(session, "follow_ups", "纪要事项", index, item["unit_code"], problems)
        if unit is None:
            continue
        due = date.fromisoformat(item["due_date"])
        if due < today:
            cell = f"follow_ups[{index}].due_date"
            problems.append(FieldError(cell, f"纪要事项第{index + 1}项·落实期限", "不能早于今天"))
            continue
        end_of_day = datetime.combine(due, time(23, 59, 59), tzinfo=BEIJING)
        follow_ups.append(
            {**item, "unit_id": unit.id, "unit_name": unit.name, "due": end_of_day.isoformat()}
        )
    if problems:
        raise ValidationError(problems)
    owners = sorted({item["unit_id"] for item in follow_ups})
    return Decision(
        {"follow_ups": follow_ups},
        added_units=[(unit_id, CaseUnitRole.FOLLOW_UP) for unit_id in owners],
    )


def _row_unit(
    session: Session, name: str, label: str, index: int, code: str, problems: list[FieldError]
) -> Unit | None:
    """The unit a row of field ``name`` names by code; a refusal joins ``problems``, named by its
    cell (``name[index].unit_code``, 标签第N项·责任单位)."""
    try:
        return unit_by_code(session, code, f"{name}[{index}].unit_code")
    except ValidationError as refused:
        row = f"{label}第{index + 1}项·责任单位"
        problems += [FieldError(e.field, row, e.reason) for e in refused.errors]
        return None


# HD5/HD6 (Handan's diagram): the fields each measure takes; the others stay empty.
MEASURE_FIELDS = {
    "reminder_letter": {"letter_text": "提醒函内容"},
    "interview": {
        "triggers": "约谈情形",
        "interviewee_unit_code": "被约谈单位",
        "interviewee_person": "被约谈人",
    },
}


def _hd_measure(
    session: Session, form: dict[str, Any], profile: PolicyProfile, now: datetime
) -> Decision:
    """HD5/HD6: number the reminder letter the key office sends for the city government, or name
    the unit the city government's leader interviews."""
    measure = form["measure"]
    stray = [
        FieldError(
            name,
            label,
            "仅" + ("发提醒函" if other == "reminder_letter" else "提请约谈") + "时填写",
        )
        for other, names in MEASURE_FIELDS.items()
        if other != measure
        for name, label in names.items()
        if form.get(name)
    ]
    if stray:
        raise ValidationError(stray)
    if measure == "coordinate":
        return Decision()
    if profile.measures is None:  # a county's own profile without the HD5/HD6 numbers
        raise ValidationError.single("measure", "处置措施", "本地政策配置未设提醒函和约谈的时限")
    local = now.astimezone(BEIJING)
    if measure == "reminder_letter":
        number = next_reminder_letter_number(session, profile, local.year)
        return Decision(
            {"reminder_letter_number": number, "reminder_letter_issued_at": local.isoformat()}
        )
    try:
        unit = unit_by_code(session, form["interviewee_unit_code"], "interviewee_unit_code")
    except ValidationError as refused:
        raise ValidationError(
            [FieldError(e.field, "被约谈单位", e.reason) for e in refused.errors]
        ) from None
    return Decision({"interviewee_unit_id": unit.id, "interviewee_unit_name": unit.name})


def _held(form: dict[str, Any], now: datetime, field: str, label: str) -> Decision:
    """DC2, GS1: an on-site office or a TV questioning is recorded once it has taken place."""
    if date.fromisoformat(form[field]) > now.astimezone(BEIJING).date():
        raise ValidationError.single(field, label, "不能晚于今天：举行后再记录")
    return Decision({})


def _interview_record(
    session: Session, form: dict[str, Any], profile: PolicyProfile, now: datetime
) -> Decision:
    """HD6: an interview is recorded once held; each commitment names a known unit and falls due
    on or after the interview."""
    held = date.fromisoformat(form["held_on"])
    problems: list[FieldError] = []
    if held > now.astimezone(BEIJING).date():
        problems.append(FieldError("held_on", "约谈日期", "不能晚于今天：约谈后再记录"))
    commitments: list[dict[str, Any]] = []
    for index, row in enumerate(form["commitments"]):
        unit = _row_unit(session, "commitments", "整改承诺", index, row["unit_code"], problems)
        if date.fromisoformat(row["due_date"]) < held:
            cell = f"commitments[{index}].due_date"
            problems.append(
                FieldError(cell, f"整改承诺第{index + 1}项·完成期限", "不能早于约谈日期")
            )
        elif unit is not None:
            commitments.append({**row, "unit_id": unit.id, "unit_name": unit.name})
    if problems:
        raise ValidationError(problems)
    return Decision({"interview_commitments": commitments})


def _accept_item(
    session: Session, form: dict[str, Any], profile: PolicyProfile, now: datetime
) -> Decision:
    """GS6 限期办理: an item not accepted goes back to its owner with a new deadline (not before
    today) and its reminder; an accepted one takes none."""
    given = form.get("new_due_date")
    if form["decision"] == "accepted":
        if given:
            raise ValidationError.single("new_due_date", "新的落实期限", "仅未通过时填写")
        return Decision()
    if not given:
        raise ValidationError.single("new_due_date", "新的落实期限", "未通过的，须明确新的落实期限")
    due = date.fromisoformat(given)
    if due < now.astimezone(BEIJING).date():
        raise ValidationError.single("new_due_date", "新的落实期限", "不能早于今天")
    remind = profile.decisions.remind_working_days_before if profile.decisions else 1
    return Decision(item_deadlines(cached_calendar(session), due, remind))


Hook = Callable[[Session, dict[str, Any], PolicyProfile, datetime], Decision]
_HOOKS: dict[str, Hook] = {
    NOTICE_TASK: _issue_notice,
    "supervision_file": _supervision_file,
    "supervision_result": _supervision_result,
    "county_gov_handle": _county_gov_handle,
    "hd_measure": _hd_measure,
    "interview_record": _interview_record,
    "al13_accountability": _al13_accountability,
    "accept_item": _accept_item,
    "leader_onsite": lambda _s, form, _p, now: _held(form, now, "onsite_date", "现场办公日期"),
    "tv_inquiry": lambda _s, form, _p, now: _held(form, now, "held_on", "问政日期"),
}
