"""Bonus points the key office awards a department for a quarter (AL12 成绩显著者予以加分)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.db.base import Base, UTCDateTime
from keyproj.db.models.org import Unit


class ScoreBonus(Base):
    """One award of bonus points: the unit, the quarter, the points, why, who and when; never edited."""

    __tablename__ = "score_bonuses"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    period: Mapped[str] = mapped_column(String(16), index=True)  # a quarter, 2026-Q3
    points: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    unit: Mapped[Unit] = relationship()
