"""What the meeting pages and the API show: a year's meetings by series with the schedule, and
one meeting with its agenda, submissions, attendance and minutes, in the viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.calendar import WorkCalendar
from keyproj.codes import UNIT_STAFF_ROLES, MeetingState, ProjectStage, Role, SubmissionState
from keyproj.db.models import AgendaSubmission, DecidedItem, Meeting, MeetingAttendance, Project
from keyproj.paging import Page, Paging, fetch_page
from keyproj.policy import PolicyProfile
from keyproj.policy.meetings import MeetingSeries
from keyproj.services.access import Viewer
from keyproj.services.decisions.items import items_for
from keyproj.services.meetings import schedule
from keyproj.services.meetings.agenda import meeting_scope, submission_scope, visible_meeting
from keyproj.services.meetings.hosts import may_convene
from keyproj.services.meetings.offices import FollowUp, follow_up
from keyproj.services.meetings.planning import series_of

NOT_OPENED: list[Meeting | None] = [None]  # a slot of the schedule with no meeting opened yet


@dataclass(frozen=True)
class ScheduledMeeting:
    """One meeting of the year's schedule and, once opened, its stored record."""

    slot: schedule.Slot
    meeting: Meeting | None


@dataclass(frozen=True)
class SeriesYear:
    """A series and its meetings of the year."""

    key: str
    series: MeetingSeries
    citation: str
    meetings: list[ScheduledMeeting] = field(default_factory=list)
    follow_up: FollowUp | None = None  # who follows up its decided items (DC7 三(三))


def year_view(
    session: Session, profile: PolicyProfile, calendar: WorkCalendar, viewer: Viewer, year: int
) -> list[SeriesYear]:
    """Every series' meetings of ``year``; a unit sees only the meetings it was asked to."""
    if profile.meetings is None:
        return []
    stored: dict[tuple[str, date], list[Meeting]] = {}
    for m in session.scalars(
        select(Meeting)
        .where(
            meeting_scope(viewer),
            Meeting.nominal_on >= date(year, 1, 1),
            Meeting.nominal_on <= date(year, 12, 31),
        )
        .order_by(Meeting.host_unit_id, Meeting.id)
    ):
        stored.setdefault((m.series, m.nominal_on), []).append(m)
    sees_all = viewer.county_wide or viewer.has(Role.LEADER)
    out: list[SeriesYear] = []
    for key, series in profile.meetings.series.items():
        rows = [
            ScheduledMeeting(slot, meeting)
            for slot in schedule.year_schedule(series, calendar, year)
            # HD4: a per-unit series has a meeting of each holding department on a day.
            for meeting in stored.get((key, slot.nominal)) or NOT_OPENED
        ]
        if not sees_all:
            rows = [r for r in rows if r.meeting is not None]
        citation = profile.citations.get(f"meetings.series.{key}.cadence", "")
        out.append(SeriesYear(key, series, citation, rows, follow_up(session, series)))
    return out


@dataclass(frozen=True)
class MeetingPage:
    """One meeting as the viewer may see it, and what the viewer may do there."""

    meeting: Meeting
    series: MeetingSeries
    submissions: list[AgendaSubmission]
    attendance: list[MeetingAttendance]
    own_projects: list[Project]  # the unit's projects it may submit items for
    to_review: list[int]  # submission ids the viewer (the leader in charge) may decide
    may_compile: bool
    may_hold: bool
    decided: list[DecidedItem] = field(default_factory=list)  # its 议定事项 in the viewer's scope
    may_ask: bool = False
    follow_up: FollowUp | None = None  # who follows up its decided items (DC7 三(三))
    # HD4: a department's own meeting goes through the projects it leads that are under way.
    host_projects: list[Project] = field(default_factory=list)


def meeting_view(
    session: Session, profile: PolicyProfile, viewer: Viewer, meeting_id: int
) -> MeetingPage:
    """The meeting page's data; NotFound outside the viewer's scope."""
    meeting = visible_meeting(session, viewer, meeting_id)
    submissions = list(
        session.scalars(
            select(AgendaSubmission)
            .where(AgendaSubmission.meeting_id == meeting.id, submission_scope(viewer))
            .order_by(AgendaSubmission.unit_id, AgendaSubmission.project_id)
        )
    )
    attendance = list(
        session.scalars(
            select(MeetingAttendance)
            .where(MeetingAttendance.meeting_id == meeting.id)
            .order_by(MeetingAttendance.id)
        )
    )
    invited = {i.unit_id for i in meeting.invites}
    collecting = meeting.state == MeetingState.COLLECTING
    own: list[Project] = []
    if collecting and viewer.has(*UNIT_STAFF_ROLES) and viewer.unit_id in invited:
        own = list(
            session.scalars(
                select(Project).where(Project.lead_unit_id == viewer.unit_id).order_by(Project.code)
            )
        )
    to_review = [
        s.id
        for s in submissions
        if s.state == SubmissionState.SUBMITTED
        and (
            viewer.leader_id == s.project.leader_id
            if s.project.leader_id is not None
            else viewer.has(Role.KEY_OFFICE)
        )
    ]
    # The county's meetings are the key office's; a department's own (HD4) its staff's.
    office = viewer.has(Role.KEY_OFFICE) and meeting.host_unit_id is None
    series = series_of(profile, meeting.series)
    kind = "approval_meeting" if series.approval_meeting else "meeting"
    return MeetingPage(
        meeting=meeting,
        series=series,
        submissions=submissions,
        attendance=attendance,
        own_projects=own,
        to_review=to_review,
        may_compile=office and meeting.state in (MeetingState.COLLECTING, MeetingState.COMPILED),
        may_hold=may_convene(viewer, meeting) and meeting.state != MeetingState.HELD,
        decided=items_for(session, viewer, kind, meeting.id),
        may_ask=office and meeting.state == MeetingState.PLANNED,
        follow_up=follow_up(session, series),
        host_projects=_host_projects(session, meeting),
    )


def _host_projects(session: Session, meeting: Meeting) -> list[Project]:
    if meeting.host_unit_id is None:
        return []
    query = select(Project).where(
        Project.lead_unit_id == meeting.host_unit_id, Project.stage != ProjectStage.IN_USE
    )
    return list(session.scalars(query.order_by(Project.code)))


def meetings_page(
    session: Session,
    viewer: Viewer,
    paging: Paging,
    year: int | None = None,
    series: str | None = None,
) -> Page[Meeting]:
    """A page of the stored meetings the viewer may see, newest first (the API's list)."""
    query = select(Meeting).where(meeting_scope(viewer))
    if year is not None:
        query = query.where(
            Meeting.nominal_on >= date(year, 1, 1), Meeting.nominal_on <= date(year, 12, 31)
        )
    if series:
        query = query.where(Meeting.series == series)
    return fetch_page(session, query.order_by(Meeting.held_on.desc(), Meeting.id.desc()), paging)
