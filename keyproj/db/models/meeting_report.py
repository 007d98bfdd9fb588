"""What follows a held meeting: the 通报批评 proposed for a unit absent without leave (DC7 三(一))
and the report of the slow projects to the banner government (AL3 第三条(二)5)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.codes import AbsenceState
from keyproj.db.base import Base, Coded, UTCDateTime
from keyproj.db.models.award import AwardRecord
from keyproj.db.models.meeting import Meeting
from keyproj.db.models.org import Unit


class AbsenceProposal(Base):
    """A unit absent from a meeting without leave: the 通报批评 proposed, then confirmed by the
    key office (written on the unit's record) or dismissed with a reason."""

    __tablename__ = "absence_proposals"
    __table_args__ = (
        UniqueConstraint("meeting_id", "unit_id", name="uq_absence_proposals_meeting_unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    person: Mapped[str] = mapped_column(String(50))  # who was to attend, as the record names them
    reason: Mapped[str] = mapped_column(Text)  # the rule with the meeting it rests on
    clause: Mapped[str] = mapped_column(String(64))
    state: Mapped[AbsenceState] = mapped_column(Coded(AbsenceState, 16), index=True)
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    dismissed_reason: Mapped[str | None] = mapped_column(Text)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("award_records.id"))

    meeting: Mapped[Meeting] = relationship()
    unit: Mapped[Unit] = relationship()
    record: Mapped[AwardRecord | None] = relationship()


class SlowReport(Base):
    """《关于进度缓慢重点项目情况的报告》 of one meeting: the slow projects with their figures,
    issues, warnings and the meeting's measures, frozen when produced; numbered when sent."""

    __tablename__ = "slow_reports"
    __table_args__ = (UniqueConstraint("meeting_id", name="uq_slow_reports_meeting"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    addressee: Mapped[str] = mapped_column(String(100))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    produced_at: Mapped[datetime] = mapped_column(UTCDateTime)
    produced_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    number: Mapped[str | None] = mapped_column(String(64), unique=True)  # 文号, given when sent
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    meeting: Mapped[Meeting] = relationship()
