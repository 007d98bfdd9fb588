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
    """Attendance rows from the form; errors name the row and the cell."""
    units = {code: uid for code, uid in session.execute(select(Unit.code, Unit.id))}
    errors: list[FieldError] = []
    out: list[MeetingAttendance] = []
    for i, row in enumerate(rows):
        label = f"参会情况第{i + 1}行"
        person = (row.get("person") or "").strip()
        code = (row.get("unit_code") or "").strip()
        status = Attendance.parse((row.get("status") or "").strip())
        reason = (row.get("reason") or "").strip() or None
        if not person or len(person) > 50:
            errors.append(
                FieldError(
                    f"attendance[{i}].person", f"{label}·姓名", "请填写参会人姓名（50字以内）"
                )
            )
        if code and code not in units:
            errors.append(
                FieldError(
                    f"attendance[{i}].unit_code", f"{label}·单位", f"没有代码为“{code}”的单位"
                )
            )
        if status is None:
            errors.append(
                FieldError(
                    f"attendance[{i}].status", f"{label}·出席情况", "应为出席、替会、请假或无故缺席"
                )
            )
        elif status == Attendance.LEAVE and not reason:
            # DC7 三(一): 因特殊情况不能参会者，须向会议召集人请假 — the leave names its reason.
            errors.append(
                FieldError(f"attendance[{i}].reason", f"{label}·请假事由", "请假须写明事由")
            )
        if status is not None:
            out.append(
                MeetingAttendance(
                    meeting_id=meeting_id,
                    unit_id=units.get(code),
                    person=person,
                    status=status,
                    reason=reason if status == Attendance.LEAVE else None,
                )
            )
    if errors:
        raise ValidationError(errors)
    return out


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


def _title(profile: PolicyProfile, meeting: Meeting) -> str:
    """The meeting as documents name it, e.g. 2026年03月02日重点项目推进调度例会."""
    return f"{meeting.held_on:%Y年%m月%d日}{series_of(profile, meeting.series).name}"
