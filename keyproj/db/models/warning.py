"""Warnings (预警) raised by rules or imported (LP11, LP12); one live per (project, rule, period)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.codes import Colour, WarningLevel, WarningSource, WarningStatus
from keyproj.db.base import Base, Coded, UTCDateTime
from keyproj.db.models.project import Project


class EarlyWarning(Base):
    """A warning; ``project_id`` is empty for portfolio warnings addressed to the key office."""

    __tablename__ = "warnings"
    __table_args__ = (
        Index(
            "uq_warnings_open_per_period",
            "rule_id",
            func.coalesce(text("project_id"), 0),
            "period",
            unique=True,
            # Reminded and board-only warnings keep their status: they stay unique too.
            sqlite_where=text("status IN ('open', 'reminded', 'board')"),
            postgresql_where=text("status IN ('open', 'reminded', 'board')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[str] = mapped_column(String(32), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    period: Mapped[str] = mapped_column(String(16))
    level: Mapped[WarningLevel] = mapped_column(Coded(WarningLevel, 16))
    colour: Mapped[Colour] = mapped_column(Coded(Colour, 16))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[WarningSource] = mapped_column(
        Coded(WarningSource, 16), default=WarningSource.SCAN
    )
    status: Mapped[WarningStatus] = mapped_column(
        Coded(WarningStatus, 16), default=WarningStatus.OPEN, index=True
    )
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The case covering this warning (its primary or one joined to it): empty while the
    # warning waits in the key office's triage. A plain indexed column, not a foreign key:
    # cases.warning_id points here already, and a cycle of keys would order every insert.
    case_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # LP13 分类处置: the key office decided not to handle it, why, who and when.
    dismissal_reason: Mapped[str | None] = mapped_column(Text)
    dismissed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    project: Mapped[Project | None] = relationship()
