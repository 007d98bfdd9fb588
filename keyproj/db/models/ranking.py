"""Stored ranking runs (HD5, GS2), the reminder letters that point at them (HD5) and the
half-year evaluations (GS2 半年评比)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.db.base import Base, UTCDateTime
from keyproj.db.models.org import Unit


class RankingRun(Base):
    """One ranking of a period: who ran it, when, and every figure it was built from; never edited."""

    __tablename__ = "ranking_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile: Mapped[str] = mapped_column(String(32))
    period: Mapped[str] = mapped_column(String(16), index=True)
    cadence: Mapped[str] = mapped_column(String(16))
    run_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The groups, their units' ranks and each project's planned and completed figures.
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)


class ReminderLetter(Base):
    """A 提醒函 to a unit ranked in the bottom places (HD5), tracked to its acknowledgement."""

    __tablename__ = "reminder_letters"
    __table_args__ = (UniqueConstraint("run_id", "unit_id", name="uq_reminder_letters_run_unit"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ranking_runs.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    measures: Mapped[str | None] = mapped_column(Text)  # the unit's measures to catch up

    run: Mapped[RankingRun] = relationship()
    unit: Mapped[Unit] = relationship()


class HalfYearEvaluation(Base):
    """A half-year evaluation (GS2 半年评比): the composite ranking with the investment ranking
    and the tours it was built from; never edited, published (frozen) once by the key office."""

    __tablename__ = "half_year_evaluations"
    # One published evaluation a half-year, even when two offices publish two runs at once.
    __table_args__ = (
        Index(
            "uq_half_year_evaluations_confirmed",
            "year",
            "half",
            unique=True,
            sqlite_where=text("confirmed_at IS NOT NULL"),
            postgresql_where=text("confirmed_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer, index=True)
    half: Mapped[int] = mapped_column(Integer)  # 1: January–June, 2: July–December
    run_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the worker
    run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The composite groups, the investment ranking, the tours, the speakers and the rule.
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
