"""Meetings opened from the schedule, the agenda request on the ask day and the reminder before
the due day (DC3): what the daily beat job does, each step once however often it runs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.calendar import WorkCalendar
from keyproj.codes import MeetingState, NotificationKind, ProjectStage, SubmissionState
from keyproj.db.models import AgendaSubmission, Meeting, MeetingInvite, Project
from keyproj.errors import FieldError, NotFound, ValidationError
from keyproj.policy import PolicyProfile
from keyproj.policy.meetings import MeetingSeries
from keyproj.services.access import Viewer
from keyproj.services.meetings import schedule
from keyproj.services.meetings.agenda import visible_meeting
from keyproj.services.meetings.hosts import require_convener
from keyproj.services.notifications.store import Message, notify, unit_users

# How far ahead the beat job opens meetings: far enough that a monthly meeting is open
# before its agenda is asked for around the 20th of the month before.
HORIZON_DAYS = 45
UNIT_ROLES = ("unit_liaison", "unit_head")
T = TypeVar("T")


def series_of(profile: PolicyProfile, key: str) -> MeetingSeries:
    """The profile's meeting series ``key``; NotFound when the county has none of that name."""
    found = profile.meetings.series.get(key) if profile.meetings else None
    if found is None:
        raise NotFound(f"没有名为“{key}”的会议")
    return found


def open_meeting(
    session: Session,
    profile: PolicyProfile,
    calendar: WorkCalendar,
    key: str,
    slot: schedule.Slot,
    now: datetime,
    host_unit_id: int | None = None,
) -> Meeting:
    """The meeting of ``slot`` (created once: a second call returns the stored one); of a
    per-unit series (HD4), the meeting ``host_unit_id`` holds."""
    series = series_of(profile, key)
    if series.per_unit != (host_unit_id is not None):
        raise ValidationError.single(
            "series", "会议", "部门（单位）月调度须由各责任部门（单位）分别召开"
        )
    found = session.scalar(
        select(Meeting).where(
            Meeting.series == key,
            Meeting.nominal_on == slot.nominal,
            Meeting.host_unit_id.is_(None)
            if host_unit_id is None
            else Meeting.host_unit_id == host_unit_id,
        )
    )
    if found is not None:
        return found
    meeting = Meeting(
        series=key,
        nominal_on=slot.nominal,
        held_on=slot.on,
        host_unit_id=host_unit_id,
        starts_at=time.fromisoformat(series.start_time),
        chair=series.chair,
        state=MeetingState.PLANNED,
        ask_on=schedule.ask_on(series, calendar, slot.on),
        due_on=schedule.due_on(series, slot.on),
        created_at=now,
    )
    session.add(meeting)
    session.flush()
    return meeting


def open_upcoming(
    session: Session, profile: PolicyProfile, calendar: WorkCalendar, today: date, now: datetime
) -> list[Meeting]:
    """Every series' meetings held from ``today`` to HORIZON_DAYS ahead, opened if new; a
    per-unit series (HD4) one for each unit with projects under way."""
    if profile.meetings is None:
        return []
    opened: list[Meeting] = []
    units: list[int] | None = None
    for key, series in profile.meetings.series.items():
        hosts: list[int | None] = [None]
        if series.per_unit:
            units = responsible_units(session) if units is None else units
            hosts = list(units)
        for year in sorted({today.year, date.fromordinal(today.toordinal() + HORIZON_DAYS).year}):
            for slot in schedule.year_schedule(series, calendar, year):
                if 0 <= (slot.on - today).days <= HORIZON_DAYS:
                    opened.extend(
                        open_meeting(session, profile, calendar, key, slot, now, host)
                        for host in hosts
                    )
    return opened


def daily_beat(
    session: Session, profile: PolicyProfile, calendar: WorkCalendar, today: date, now: datetime
) -> dict[str, int]:
    """Open the coming meetings, ask the units on the ask day and remind the late ones."""
    opened = open_upcoming(session, profile, calendar, today, now)
    asked = sum(ask_units(session, profile, m, now) for m in _to_ask(session, today))
    reminded = sum(remind_units(session, profile, m, today, now) for m in _collecting(session))
    return {"opened": len(opened), "asked": asked, "reminded": reminded}


def responsible_units(session: Session) -> list[int]:
    """The lead units of the projects under way: the units a meeting's agenda is asked of."""
    rows = session.scalars(
        select(Project.lead_unit_id).where(Project.stage != ProjectStage.IN_USE).distinct()
    )
    return sorted(set(rows))


def ask_units(session: Session, profile: PolicyProfile, meeting: Meeting, now: datetime) -> int:
    """Invite the responsible units and tell their staff what to submit by when (DC3)."""
    if meeting.state != MeetingState.PLANNED:
        return 0
    # A department's own meeting (HD4) asks only itself, for its own projects.
    units = [meeting.host_unit_id] if meeting.host_unit_id else responsible_units(session)
    for unit_id in units:
        meeting.invites.append(MeetingInvite(unit_id=unit_id))
    meeting.state = MeetingState.COLLECTING
    meeting.asked_at = now
    session.flush()
    name = series_of(profile, meeting.series).name
    # A series without agenda rules (HD4's department meetings) has no due day.
    message = Message(
        NotificationKind.AGENDA_REQUEST,
        f"{name}（{meeting.held_on:%m月%d日}）征集议题",
        "请会同项目单位整理项目进展情况、存在问题和需要解决事项，经项目分包领导同意后，"
        + (f"于{meeting.due_on:%Y年%m月%d日}前报送。" if meeting.due_on else "在会议召开前报送。"),
        f"/meetings/{meeting.id}",
    )
    return _tell_units(session, units, f"agenda-ask:{meeting.id}", message, now)


def remind_units(
    session: Session, profile: PolicyProfile, meeting: Meeting, today: date, now: datetime
) -> int:
    """On the reminder day, remind the invited units that have submitted nothing yet."""
    series = series_of(profile, meeting.series)
    day = schedule.remind_on(series, meeting.held_on)
    if meeting.reminded_at is not None or day is None or today < day:
        return 0
    submitted = set(
        session.scalars(
            select(AgendaSubmission.unit_id).where(
                AgendaSubmission.meeting_id == meeting.id,
                AgendaSubmission.state != SubmissionState.RETURNED,
            )
        )
    )
    late = [i.unit_id for i in meeting.invites if i.unit_id not in submitted]
    meeting.reminded_at = now
    message = Message(
        NotificationKind.AGENDA_REMINDER,
        f"{series.name}议题将于{meeting.due_on:%m月%d日}截止报送",
        "你单位尚未报送本次会议的议题，请及时报送。",
        f"/meetings/{meeting.id}",
    )
    return _tell_units(session, late, f"agenda-remind:{meeting.id}", message, now)


def _tell_units(
    session: Session, units: list[int], key: str, message: Message, now: datetime
) -> int:
    users = unit_users(session, units, UNIT_ROLES)
    return notify(session, ((u, key, message) for ids in users.values() for u in ids), now)


def _to_ask(session: Session, today: date) -> list[Meeting]:
    return list(
        session.scalars(
            select(Meeting)
            .where(
                Meeting.state == MeetingState.PLANNED,
                Meeting.ask_on <= today,
                Meeting.held_on >= today,
            )
            .order_by(Meeting.held_on, Meeting.id)
        )
    )


def _collecting(session: Session) -> list[Meeting]:
    return list(
        session.scalars(
            select(Meeting)
            .where(Meeting.state == MeetingState.COLLECTING, Meeting.reminded_at.is_(None))
            .order_by(Meeting.held_on, Meeting.id)
        )
    )


def reschedule(
    session: Session,
    profile: PolicyProfile,
    calendar: WorkCalendar,
    viewer: Viewer,
    meeting_id: int,
    form: Mapping[str, str],
) -> Meeting:
    """The key office sets a meeting's day, time and place (DC3: 以具体通知为准); a department
    its own meeting's (HD4)."""
    meeting = visible_meeting(session, viewer, meeting_id)
    require_convener(viewer, meeting)
    if meeting.state == MeetingState.HELD:
        raise ValidationError.single("held_on", "召开日期", "会议已召开，不能再调整")
    errors: list[FieldError] = []
    day = _read(errors, "held_on", "召开日期", form, date.fromisoformat, "应为YYYY-MM-DD格式的日期")
    at = _read(errors, "starts_at", "开会时刻", form, _clock, "应为HH:MM格式的时刻")
    place = (form.get("place") or "").strip()
    if len(place) > 200:
        errors.append(FieldError("place", "会议地点", "不能超过200个字"))
    if day is not None and abs((day - meeting.nominal_on).days) > 31:
        errors.append(FieldError("held_on", "召开日期", "与排期日相差不能超过31天"))
    if errors:
        raise ValidationError(errors)
    assert day is not None
    assert at is not None
    series = series_of(profile, meeting.series)
    meeting.held_on, meeting.starts_at, meeting.place = day, at, place or None
    meeting.due_on = schedule.due_on(series, day)
    if meeting.state == MeetingState.PLANNED:  # not yet asked: the ask day follows the meeting
        meeting.ask_on = schedule.ask_on(series, calendar, day)
    session.flush()
    return meeting


def _clock(text: str) -> time:
    if len(text) != 5:
        raise ValueError(text)
    return time.fromisoformat(text)


def _read(
    errors: list[FieldError],
    name: str,
    label: str,
    form: Mapping[str, str],
    parse: Callable[[str], T],
    reason: str,
) -> T | None:
    try:
        return parse((form.get(name) or "").strip())
    except ValueError:
        errors.append(FieldError(name, label, reason))
        return None
