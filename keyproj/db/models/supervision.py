"""The supervision ledger (督查台账, LP13, LP20) and the accountability records it produces."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.codes import Failure, SupervisionOrigin, SupervisionState
from keyproj.db.base import Base, Coded, UTCDateTime
from keyproj.db.models.case import Case
from keyproj.db.models.org import Unit
from keyproj.db.models.project import Project


class SupervisionMatter(Base):
    """One matter under supervision: where it came from, who answers for it, where it stands.

    ``case_id`` is the case whose 督查立项 and 督查结果 tasks drive the row; a filing made from
    another case names that case in ``origin_case_id``.
    """

    __tablename__ = "supervision_matters"

    id: Mapped[int] = mapped_column(primary_key=True)
    origin: Mapped[SupervisionOrigin] = mapped_column(Coded(SupervisionOrigin, 16))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    origin_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    summary: Mapped[str] = mapped_column(Text)
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    phase_unit_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    state: Mapped[SupervisionState] = mapped_column(Coded(SupervisionState, 16), index=True)
    filing_number: Mapped[str | None] = mapped_column(String(64))  # 督查立项通知书 number
    requirements: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    result: Mapped[str | None] = mapped_column(Text)
    listed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    filed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    concluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(foreign_keys=[case_id])
    project: Mapped[Project | None] = relationship()
    lead_unit: Mapped[Unit | None] = relationship()

    @property
    def unit_ids(self) -> list[int]:
        """The lead unit first, then the phase units."""
        lead = [self.lead_unit_id] if self.lead_unit_id else []
        return lead + [u for u in self.phase_unit_ids or [] if u != self.lead_unit_id]


class AccountabilityRecord(Base):
    """One failure held against a unit (and its responsible person), kept on its record: LP20's
    on a supervision matter's result, AL13's on the case itself (no matter) before it ends."""

    __tablename__ = "accountability_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("supervision_matters.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    person: Mapped[str] = mapped_column(String(64))
    failure: Mapped[Failure] = mapped_column(Coded(Failure, 32))
    measure: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    unit: Mapped[Unit] = relationship()
    matter: Mapped[SupervisionMatter | None] = relationship()
