"""The key office's duty to report an urgent issue to the county government (LP9)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.db.base import Base, UTCDateTime
from keyproj.db.models.issue import ProjectIssue


class UrgentIssueReport(Base):
    """One urgent issue awaiting (or given) the key office's report to the county government."""

    __tablename__ = "urgent_issue_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("project_issues.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    report: Mapped[str | None] = mapped_column(Text)

    issue: Mapped[ProjectIssue] = relationship()
