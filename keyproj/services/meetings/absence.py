"""Absence without leave (DC7 三(一)): 对无故缺席者，县委、县政府将予以通报批评. Holding a meeting
proposes a 通报批评 of each unit absent without leave; the key office confirms it (written on
the unit's record, the unit told) or dismisses it with a reason."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from keyproj.codes import UNIT_STAFF_ROLES, AbsenceState, Attendance, AwardKind, NotificationKind
from keyproj.db.models import AbsenceProposal, AwardRecord, Meeting, MeetingAttendance
from keyproj.errors import Conflict, FieldError, NotFound, ValidationError
from keyproj.inputs import LONG_TEXT, BadInput, clean_text
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, require_role
from keyproj.services.awards.evaluations import OFFICE, sees_all
from keyproj.services.notifications.store import Message, notify, unit_users

CLAUSE = "DC7"
RULE = "坚持一把手参会，不得缺席，不得替会；对无故缺席者，县委、县政府将予以通报批评（三(一)）"


def enabled(profile: PolicyProfile) -> bool:
    """Whether the profile's regulation sanctions absence without leave (DC7: Dancheng)."""
    return profile.meetings is not None and profile.meetings.absence_criticism


def require_units(profile: PolicyProfile, rows: Sequence[MeetingAttendance]) -> None:
    """Where absence is sanctioned, an absent row names its unit: the 通报批评 is of a unit."""
    if not enabled(profile):
        return
    errors = [
        FieldError(
            f"attendance[{i}].unit_code",
            f"参会情况第{i + 1}行·单位",
            "无故缺席须填写单位代码，以便对该单位通报批评",
        )
        for i, row in enumerate(rows)
        if row.status == Attendance.ABSENT and row.unit_id is None
    ]
    if errors:
        raise ValidationError(errors)


def propose(
    session: Session,
    profile: PolicyProfile,
    meeting: Meeting,
    title: str,
    rows: Sequence[MeetingAttendance],
    now: datetime,
) -> list[AbsenceProposal]:
    """One proposal per unit absent without leave from the held meeting ``title``."""
    if not enabled(profile):
        return []
    out: dict[int, AbsenceProposal] = {}
    for row in rows:
        if row.status != Attendance.ABSENT or row.unit_id is None or row.unit_id in out:
            continue  # a unit that sent two absent names is criticised once
        out[row.unit_id] = AbsenceProposal(
            meeting_id=meeting.id,
            unit_id=row.unit_id,
            person=row.person,
            reason=f"{title}无故缺席（应参会人：{row.person}，未向会议召集人请假）。{RULE}",
            clause=CLAUSE,
            state=AbsenceState.PROPOSED,
            proposed_at=now,
        )
    session.add_all(out.values())
    session.flush()
    return list(out.values())


def decide(
    session: Session,
    viewer: Viewer,
    proposal_id: int,
    confirm: bool,
    reason: str,
    now: datetime,
) -> AbsenceProposal:
    """The key office confirms the 通报批评 (a record on the unit's record) or dismisses it
    with a reason; once."""
    require_role(viewer, *OFFICE)
    row = session.get(AbsenceProposal, proposal_id, with_for_update=True)
    if row is None:
        raise NotFound(f"通报批评建议 {proposal_id} 不存在")
    if row.state != AbsenceState.PROPOSED:
        raise Conflict(f"该通报批评建议已处理：{row.state.label}")
    if confirm:
        row.record = AwardRecord(
            year=row.meeting.held_on.year,
            unit_id=row.unit_id,
            person=row.person,
            kind=AwardKind.CRITICISM,
            reason=row.reason,
            clause=row.clause,
            recorded_by_id=viewer.user_id,
            recorded_at=now,
        )
        row.state = AbsenceState.CONFIRMED
    else:
        row.dismissed_reason = _reason(reason)
        row.state = AbsenceState.DISMISSED
    row.decided_at, row.decided_by_id = now, viewer.user_id
    session.flush()
    if confirm:
        _tell_unit(session, row, now)
    return row


def of_meeting(session: Session, viewer: Viewer, meeting_id: int) -> list[AbsenceProposal]:
    """The meeting's proposals the viewer may see: all, or their own unit's."""
    query = _query().where(AbsenceProposal.meeting_id == meeting_id)
    if not sees_all(viewer):
        if not viewer.has(*UNIT_STAFF_ROLES) or viewer.unit_id is None:
            return []
        query = query.where(AbsenceProposal.unit_id == viewer.unit_id)
    return list(session.scalars(query))


def of_unit(session: Session, unit_id: int) -> list[AbsenceProposal]:
    """A unit's proposals, the newest first (its record page checks who may read it)."""
    return list(session.scalars(_query().where(AbsenceProposal.unit_id == unit_id)))


def _query() -> Select[AbsenceProposal]:
    return (
        select(AbsenceProposal)
        .options(selectinload(AbsenceProposal.unit), selectinload(AbsenceProposal.meeting))
        .order_by(AbsenceProposal.proposed_at.desc(), AbsenceProposal.id)
    )


def _reason(text: str) -> str:
    try:
        cleaned = clean_text(text or "", LONG_TEXT, required=True)
    except BadInput as exc:
        raise ValidationError.single(
            "dismissed_reason", "不予通报批评的理由", f"请填写不予通报批评的理由：{exc}"
        ) from None
    return cleaned or ""


def _tell_unit(session: Session, row: AbsenceProposal, now: datetime) -> None:
    message = Message(
        NotificationKind.ABSENCE_CRITICISM,
        f"通报批评：{row.unit.name}会议无故缺席",
        f"{row.reason}经重点办确认，予以通报批评，已记入单位奖惩记录。",
        f"/units/{row.unit_id}/record",
    )
    users = unit_users(session, [row.unit_id]).get(row.unit_id, [])
    notify(session, [(uid, f"absence:{row.id}:confirmed", message) for uid in users], now)
