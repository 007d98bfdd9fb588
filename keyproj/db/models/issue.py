"""The major-issue ledger (重大问题台账) with the seven LP7 categories."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.codes import IssueCategory, IssueStatus
from keyproj.db.base import Base, Coded, Timestamps, UTCDateTime
from keyproj.db.models.org import Unit
from keyproj.db.models.project import Project


class ProjectIssue(Timestamps, Base):
    """One ledger entry; ``category`` and ``status`` are codes of ``keyproj.codes``."""

    __tablename__ = "project_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    category: Mapped[IssueCategory] = mapped_column(Coded(IssueCategory, 32))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    urgent: Mapped[bool] = mapped_column(default=False)  # LP9 needs urgent coordination
    opened_on: Mapped[date] = mapped_column(Date)
    status: Mapped[IssueStatus] = mapped_column(
        Coded(IssueStatus, 16), default=IssueStatus.OPEN, index=True
    )
    resolved_on: Mapped[date | None] = mapped_column(Date)
    resolution: Mapped[str | None] = mapped_column(Text)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A unit's request to close (销号) waits for the key office (part 9): who asked, when, and
    # the key office's reason when it refused the last request.
    close_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    close_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_refusal: Mapped[str | None] = mapped_column(Text)

    project: Mapped[Project] = relationship()
    owner_unit: Mapped[Unit] = relationship()
