"""County leaders' instructions (批示) on cases, and who follows a case."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from keyproj.db.base import Base, UTCDateTime


class CaseFollower(Base):
    """A user who follows a case: they are told of its events (a linked leader, the key office)."""

    __tablename__ = "case_followers"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    followed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CaseInstruction(Base):
    """A leader's instruction on a case, open until a responsible unit's submitted task answers it.

    The case's hash-chained log holds the instruction and its answer as events; this row is
    what the pages and home pages query, written in the same transaction as the events.
    """

    __tablename__ = "case_instructions"
    __table_args__ = (Index("ix_case_instructions_case_answered", "case_id", "answered_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    leader_id: Mapped[int] = mapped_column(ForeignKey("leaders.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    answer_task_title: Mapped[str | None] = mapped_column(Text)
