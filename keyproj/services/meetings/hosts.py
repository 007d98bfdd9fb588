"""Who convenes and records a meeting: the key office the county's meetings, the holding
department's own staff a meeting of a per-unit series (HD4 (一): 责任部门（单位）月调度)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from keyproj.codes import UNIT_STAFF_ROLES, Role
from keyproj.db.models import Meeting, Unit
from keyproj.errors import PermissionDenied
from keyproj.policy.meetings import MeetingSeries
from keyproj.services.access import Viewer
from keyproj.services.decisions.items import DecisionOrigin
from keyproj.services.meetings.offices import follow_up_unit_id


def may_convene(viewer: Viewer, meeting: Meeting) -> bool:
    """Whether the viewer sets the meeting's day and place and records it as held: the key
    office for the county's meetings; only the holding unit's staff for a department's."""
    if meeting.host_unit_id is None:
        return viewer.has(Role.KEY_OFFICE)
    return viewer.has(*UNIT_STAFF_ROLES) and viewer.unit_id == meeting.host_unit_id


def require_convener(viewer: Viewer, meeting: Meeting) -> None:
    """PermissionDenied unless the viewer convenes the meeting (``may_convene``)."""
    if may_convene(viewer, meeting):
        return
    if meeting.host_unit_id is None:
        raise PermissionDenied("只有重点办可以安排和记录该会议")
    raise PermissionDenied("部门（单位）月调度只能由召开会议的部门（单位）安排和记录")


def title_of(session: Session, series: MeetingSeries, meeting: Meeting) -> str:
    """The meeting's title as its decided items carry it: the day, the holding unit, the series."""
    host = session.get(Unit, meeting.host_unit_id) if meeting.host_unit_id else None
    return f"{meeting.held_on:%Y年%m月%d日}{host.name if host else ''}{series.name}"


def origin_of(session: Session, series: MeetingSeries, meeting: Meeting) -> DecisionOrigin:
    """Where the meeting's decided items come from, with the unit that follows them up."""
    kind = "approval_meeting" if series.approval_meeting else "meeting"
    return DecisionOrigin(
        kind,
        meeting.id,
        title_of(session, series, meeting),
        follow_up_unit_id(session, series, meeting),
        meeting.host_unit_id,
    )
