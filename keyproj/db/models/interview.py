"""Interviews (约谈, HD6): who is interviewed, why, when and by which leader, and the
commitments (承诺事项) the unit made there, tracked until each is done."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.codes import CommitmentState, InterviewState, InterviewTrigger
from keyproj.db.base import Base, Coded, UTCDateTime
from keyproj.db.models.org import Leader, Unit
from keyproj.db.models.project import Project

interview_projects = Table(
    "interview_projects",
    Base.metadata,
    Column("interview_id", ForeignKey("interviews.id", ondelete="CASCADE"), primary_key=True),
    Column("project_id", ForeignKey("projects.id"), primary_key=True, index=True),
)


class Interview(Base):
    """One interview of a unit: proposed by the system or recorded by the key office, then
    scheduled, held (with its minutes and commitments) or dismissed with a reason."""

    __tablename__ = "interviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    trigger: Mapped[InterviewTrigger] = mapped_column(Coded(InterviewTrigger, 32))
    state: Mapped[InterviewState] = mapped_column(Coded(InterviewState, 16), index=True)
    reason: Mapped[str] = mapped_column(Text)  # why: the evidence in words, or the office's
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # what detection found
    # "<unit>:<trigger>:<subject>" of a system proposal: the same finding is proposed once.
    proposal_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    requested_by_leader_id: Mapped[int | None] = mapped_column(ForeignKey("leaders.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: system
    # The interview: HD6 由市政府主管领导进行约谈.
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("leaders.id"))
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    place: Mapped[str | None] = mapped_column(String(200))
    number: Mapped[str | None] = mapped_column(String(64), unique=True)  # 约谈通知书 文号
    numbered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the notice's date
    scheduled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes: Mapped[str | None] = mapped_column(Text)
    held_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dismissed_reason: Mapped[str | None] = mapped_column(Text)
    dismissed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit: Mapped[Unit] = relationship()
    leader: Mapped[Leader | None] = relationship(foreign_keys=[leader_id])
    requested_by: Mapped[Leader | None] = relationship(foreign_keys=[requested_by_leader_id])
    projects: Mapped[list[Project]] = relationship(
        secondary=interview_projects, order_by=Project.code
    )
    commitments: Mapped[list[InterviewCommitment]] = relationship(
        back_populates="interview",
        cascade="all, delete-orphan",
        order_by="InterviewCommitment.position",
    )


class InterviewCommitment(Base):
    """A commitment the interviewed unit made: what, by when, and whether it is done."""

    __tablename__ = "interview_commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    state: Mapped[CommitmentState] = mapped_column(Coded(CommitmentState, 16))
    done_note: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    interview: Mapped[Interview] = relationship(back_populates="commitments")
