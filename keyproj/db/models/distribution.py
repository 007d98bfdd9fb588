"""A submitted monthly report's distribution (LP8): copied to the leader, reviewed, forwarded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.codes import ReviewStatus
from keyproj.db.base import Base, Coded, UTCDateTime
from keyproj.db.models.report import Report


class ReportReview(Base):
    """Where one submitted report stands with the development-and-reform bureau (LP8)."""

    __tablename__ = "report_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), unique=True)
    status: Mapped[ReviewStatus] = mapped_column(
        Coded(ReviewStatus, 16), default=ReviewStatus.AWAITING
    )
    # The linked county leader's account the report was copied to, and when (LP8 抄送).
    copied_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    copied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    awaiting_since: Mapped[datetime] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    forwarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Whom the bureau forwarded to, as the profile names them (县政府、市发改部门).
    forwarded_to: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)

    report: Mapped[Report] = relationship()
