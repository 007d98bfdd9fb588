"""Periodic progress reports with the AL6 fields, locked on submission, amended with a reason."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.codes import ReportStatus, StartStatus
from keyproj.db.base import Base, Coded, Money, Percent, Timestamps, UTCDateTime
from keyproj.db.models.project import Project


class Report(Timestamps, Base):
    """One project's report for one period; ``status`` a ``ReportStatus`` (locked once submitted)."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("project_id", "period", name="uq_reports_project_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    period: Mapped[str] = mapped_column(String(16), index=True)
    period_end: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[ReportStatus] = mapped_column(
        Coded(ReportStatus, 16), default=ReportStatus.DRAFT
    )
    # AL6 1. investment
    total_investment: Mapped[Decimal] = mapped_column(Money)
    cumulative_completed: Mapped[Decimal] = mapped_column(Money)
    annual_plan_investment: Mapped[Decimal] = mapped_column(Money)
    annual_completed: Mapped[Decimal] = mapped_column(Money)
    # AL6 2. start / restart
    start_status: Mapped[StartStatus] = mapped_column(Coded(StartStatus, 16))
    started_on: Mapped[date | None] = mapped_column(Date)
    expected_start: Mapped[date | None] = mapped_column(Date)
    not_started_reason: Mapped[str | None] = mapped_column(Text)
    # AL6 3. procedures: {item code: {"status": code, "note": text}}
    procedures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # AL6 4. physical progress
    progress_text: Mapped[str | None] = mapped_column(Text)
    progress_pct: Mapped[Decimal] = mapped_column(Percent)
    # AL6 5. issues and measures
    issues_text: Mapped[str | None] = mapped_column(Text)
    measures_text: Mapped[str | None] = mapped_column(Text)

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    project: Mapped[Project] = relationship()
    amendments: Mapped[list[ReportAmendment]] = relationship(order_by="ReportAmendment.id")

    # Optimistic locking: two amendments racing on one report cannot both win.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ReportAmendment(Base):
    """A correction of a submitted report: each field's old and new value, who, when and why (AL6)."""

    __tablename__ = "report_amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    amended_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    amended_at: Mapped[datetime] = mapped_column(UTCDateTime)
