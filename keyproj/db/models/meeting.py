"""Dispatch meetings (AL3, HD4, DC3, DC7, GS1, GS2, GS6): the meeting, the units asked for its
agenda, their agenda items with the leader's approval, attendance and the minutes."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, Time, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.codes import Attendance, MeetingState, SubmissionState
from keyproj.db.base import Base, Coded, UTCDateTime
from keyproj.db.models.org import Unit
from keyproj.db.models.project import Project


class Meeting(Base):
    """One meeting of a profile's series, opened from its schedule or by the office."""

    __tablename__ = "meetings"
    __table_args__ = (
        # One county-wide meeting a cadence day; a per-unit series (HD4) one for each unit.
        Index(
            "uq_meetings_series_day",
            "series",
            "nominal_on",
            unique=True,
            sqlite_where=text("host_unit_id IS NULL"),
            postgresql_where=text("host_unit_id IS NULL"),
        ),
        Index("uq_meetings_series_day_host", "series", "nominal_on", "host_unit_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series: Mapped[str] = mapped_column(String(32), index=True)
    nominal_on: Mapped[date] = mapped_column(Date)  # the cadence's day, before a holiday moved it
    held_on: Mapped[date] = mapped_column(Date, index=True)
    starts_at: Mapped[time] = mapped_column(Time)  # Beijing time
    place: Mapped[str | None] = mapped_column(String(200))
    chair: Mapped[str] = mapped_column(String(100))
    # HD4: the department that holds this meeting of a per-unit series; None: the county's.
    host_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    state: Mapped[MeetingState] = mapped_column(Coded(MeetingState, 16))
    ask_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The compiled agenda: each item with the project's figures as they stood at compiling.
    agenda: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    compiled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes: Mapped[str | None] = mapped_column(Text)
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    invites: Mapped[list[MeetingInvite]] = relationship(
        cascade="all, delete-orphan", order_by="MeetingInvite.id"
    )
    host_unit: Mapped[Unit | None] = relationship(foreign_keys=[host_unit_id])


class MeetingOffice(Base):
    """The county's unit for an office a profile names to follow up decided items (DC7 三(三))."""

    __tablename__ = "meeting_offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    office: Mapped[str] = mapped_column(String(50), unique=True)  # as the profile names it
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    unit: Mapped[Unit] = relationship()


class MeetingInvite(Base):
    """A unit asked for agenda items of a meeting (the responsible unit of its projects)."""

    __tablename__ = "meeting_invites"
    __table_args__ = (UniqueConstraint("meeting_id", "unit_id", name="uq_meeting_invites_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)

    unit: Mapped[Unit] = relationship()


class AgendaSubmission(Base):
    """A unit's agenda item for one project: progress, issues and requests (DC3)."""

    __tablename__ = "agenda_submissions"
    __table_args__ = (
        UniqueConstraint("meeting_id", "project_id", name="uq_agenda_submissions_project"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    progress: Mapped[str] = mapped_column(Text)
    issues: Mapped[str | None] = mapped_column(Text)
    requests: Mapped[str | None] = mapped_column(Text)
    state: Mapped[SubmissionState] = mapped_column(Coded(SubmissionState, 16))
    submitted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_note: Mapped[str | None] = mapped_column(Text)

    unit: Mapped[Unit] = relationship()
    project: Mapped[Project] = relationship()


class MeetingAttendance(Base):
    """One participant's attendance (DC7): a unit's person present, on leave, or absent."""

    __tablename__ = "meeting_attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    person: Mapped[str] = mapped_column(String(50))
    status: Mapped[Attendance] = mapped_column(Coded(Attendance, 16))
    reason: Mapped[str | None] = mapped_column(Text)  # the leave's reason (须向会议召集人请假)

    unit: Mapped[Unit | None] = relationship()
