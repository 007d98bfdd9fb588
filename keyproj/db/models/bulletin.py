"""Bulletins (通报, LP19, DC7, GS1): numbered, archived with every figure they were built from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from keyproj.db.base import Base, UTCDateTime


class Bulletin(Base):
    """One issued bulletin of a period; never edited (the archive is what was sent)."""

    __tablename__ = "bulletins"
    __table_args__ = (UniqueConstraint("profile", "cadence", "period", name="uq_bulletins_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile: Mapped[str] = mapped_column(String(32))
    cadence: Mapped[str] = mapped_column(String(16))
    period: Mapped[str] = mapped_column(String(16), index=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)  # 〔2026〕N号, per issuer and year
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The sections' figures and the reports, plan periods and rules each came from.
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
