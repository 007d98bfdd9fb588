"""Holding a meeting: attendance with leave and its reason (DC7), the minutes, and the decided
items (议定事项) handed to the decisions service; all or nothing. Absence without leave
proposes a 通报批评 where the profile's regulation says so (DC7 三(一), ``absence``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from keyproj.clock import beijing_date
from keyproj.codes import Attendance, MeetingState
from keyproj.db.models import AbsenceProposal, DecidedItem, Meeting, MeetingAttendance, Unit
from keyproj.errors import FieldError, ValidationError
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer
from keyproj.services.decisions.items import record_items
from keyproj.services.meetings import absence, hosts
from keyproj.services.meetings.agenda import visible_meeting
from keyproj.services.meetings.planning import series_of

MINUTES_LIMIT = 20000
PERSON_LIMIT = 50
PRINCIPAL = "主要负责人"  # who a unit's row without a name stands for (DC7: 一把手参会)


@dataclass(frozen=True)
class Held:
    """What holding the meeting recorded."""

    meeting: Meeting
    attendance: list[MeetingAttendance]
    absent_without_leave: list[MeetingAttendance]  # DC7 三(一): 无故缺席者 are flagged
    decided: list[Any]
    proposed: list[AbsenceProposal] = field(default_factory=list)  # DC7 三(一): 通报批评
    substitutes: list[MeetingAttendance] = field(default_factory=list)  # 不得替会: flagged only


def hold(
    session: Session,
    profile: PolicyProfile,
    viewer: Viewer,
    meeting_id: int,
    attendance: Sequence[Mapping[str, str]],
    minutes: str,
    items: list[dict[str, str]],
    now: datetime,
) -> Held:
    """Record the meeting as held: attendance, minutes and decided items, or nothing at all."""
    meeting = visible_meeting(session, viewer, meeting_id)
    hosts.require_convener(viewer, meeting)  # HD4: a department records its own meeting
    if meeting.state == MeetingState.HELD:
        raise ValidationError.single("meeting", "会议", "该会议已记录为召开")
    _check_day(meeting, now)
    minutes = minutes.strip()
    if not minutes:
        raise ValidationError.single("minutes", "会议纪要", "请填写会议纪要")
    if len(minutes) > MINUTES_LIMIT:
        raise ValidationError.single("minutes", "会议纪要", f"不能超过{MINUTES_LIMIT}个字")
    rows = attendance_rows(session, meeting.id, attendance)
    absence.require_units(profile, rows)
    with session.begin_nested():  # a refused decided item leaves nothing half-saved
        session.execute(delete(MeetingAttendance).where(MeetingAttendance.meeting_id == meeting.id))
        session.add_all(rows)
        meeting.minutes, meeting.held_at, meeting.state = minutes, now, MeetingState.HELD
        session.flush()
        decided = record_decisions(session, profile, viewer, meeting, items, now) if items else []
        proposed = absence.propose(session, profile, meeting, _title(profile, meeting), rows, now)
    absent = [r for r in rows if r.status == Attendance.ABSENT]
    substitutes = [r for r in rows if r.status == Attendance.SUBSTITUTE]
    return Held(meeting, rows, absent, decided, proposed, substitutes)


def attendance_rows(
    session: Session, meeting_id: int, rows: Sequence[Mapping[str, str]]
) -> list[MeetingAttendance]:
    """Attendance rows from the form; errors name the row and the cell. A unit's row without a
    name stands for the unit's principal (DC7 三(一): 坚持一把手参会), so the rows the form
    fills in for the invited units need no typing when the heads came; 替会 names who came."""
    units = {
        code: (uid, name)
        for code, uid, name in session.execute(select(Unit.code, Unit.id, Unit.name))
    }
    errors: list[FieldError] = []
    out: list[MeetingAttendance] = []
    for i, row in enumerate(rows):
        code = (row.get("unit_code") or "").strip()
        status = Attendance.parse((row.get("status") or "").strip())
        reason = (row.get("reason") or "").strip() or None
        person = _person(errors, i, row, units.get(code), status)
        if code and code not in units:
            errors.append(_error(i, "unit_code", "单位", f"没有代码为“{code}”的单位"))
        if status is None:
            errors.append(_error(i, "status", "出席情况", "应为出席、替会、请假或无故缺席"))
        elif status == Attendance.LEAVE and not reason:
            # DC7 三(一): 因特殊情况不能参会者，须向会议召集人请假 — the leave names its reason.
            errors.append(_error(i, "reason", "请假事由", "请假须写明事由"))
        if status is not None:
            out.append(
                MeetingAttendance(
                    meeting_id=meeting_id,
                    unit_id=units[code][0] if code in units else None,
                    person=person,
                    status=status,
                    reason=reason if status == Attendance.LEAVE else None,
                )
            )
    if errors:
        raise ValidationError(errors)
    return out


def _person(
    errors: list[FieldError],
    i: int,
    row: Mapping[str, str],
    unit: tuple[int, str] | None,
    status: Attendance | None,
) -> str:
    """The row's person as typed, else the unit's principal; a substitute, or a row with no
    unit, must be named."""
    person = (row.get("person") or "").strip()
    if len(person) > PERSON_LIMIT:
        errors.append(_error(i, "person", "姓名", f"参会人姓名不能超过{PERSON_LIMIT}个字"))
    elif person:
        return person
    elif status == Attendance.SUBSTITUTE:
        errors.append(_error(i, "person", "姓名", "替会须填写实际参会人姓名"))
    elif unit is not None:
        return f"{unit[1]}{PRINCIPAL}"[:PERSON_LIMIT]
    elif not (row.get("unit_code") or "").strip():  # an unknown code is named on its own
        errors.append(_error(i, "person", "姓名", "请填写参会人姓名，或填写单位代码"))
    return person[:PERSON_LIMIT]


def _error(i: int, cell: str, label: str, reason: str) -> FieldError:
    """An error of row ``i``'s ``cell``, named as the form shows it."""
    return FieldError(f"attendance[{i}].{cell}", f"参会情况第{i + 1}行·{label}", reason)


def record_decisions(
    session: Session,
    profile: PolicyProfile,
    viewer: Viewer,
    meeting: Meeting,
    rows: list[dict[str, str]],
    now: datetime,
) -> list[DecidedItem]:
    """The meeting's decided items, each run as a case by the decisions service (议定事项)."""
    origin = hosts.origin_of(session, series_of(profile, meeting.series), meeting)
    return record_items(session, profile, viewer, origin, list(rows), now)


def _check_day(meeting: Meeting, now: datetime) -> None:
    """A meeting is recorded as held on its day or later (Beijing), never before."""
    day = meeting.held_on
    if beijing_date(now) < day:
        raise ValidationError.single(
            "held_on",
            "会议日期",
            f"会议定于{day.year}年{day.month}月{day.day}日召开，当天起才能记录为已召开",
        )


def _title(profile: PolicyProfile, meeting: Meeting) -> str:
    """The meeting as documents name it, e.g. 2026年03月02日重点项目推进调度例会."""
    return f"{meeting.held_on:%Y年%m月%d日}{series_of(profile, meeting.series).name}"
