"""Working-day calendar data (X5): covered years and their exception days."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from keyproj.codes import DayKind
from keyproj.db.base import Base, Coded, UTCDateTime


class CalendarYear(Base):
    """A year whose holiday schedule is known; deadlines in other years are refused."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(String(32))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CalendarDay(Base):
    """A day that differs from the Monday–Friday rule: ``kind`` is holiday or workday (调休上班)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[DayKind] = mapped_column(Coded(DayKind, 16))
    name: Mapped[str | None] = mapped_column(String(50))
