"""Decided items (议定事项, AL13 一是, DC3 三(三), GS6): each with its owner unit, deadline and
acceptance, carried out as a case of the ``decided_item`` diagram."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.codes import DecidedItemState, DecisionOriginKind
from keyproj.db.base import Base, Coded, UTCDateTime
from keyproj.db.models.org import Unit
from keyproj.db.models.project import Project


class DecidedItem(Base):
    """One item a meeting (or a tour, an inspection) decided; its case carries it out."""

    __tablename__ = "decided_items"
    __table_args__ = (
        UniqueConstraint("case_id", name="uq_decided_items_case_id"),
        Index("ix_decided_items_origin", "origin_kind", "origin_ref_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Where it was decided: the kind, the meeting's (tour's, inspection's) row and its title.
    origin_kind: Mapped[DecisionOriginKind] = mapped_column(Coded(DecisionOriginKind, 32))
    origin_ref_id: Mapped[int] = mapped_column(Integer)
    origin_title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)  # its place among its origin's items, from 1
    chair_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    matter: Mapped[str] = mapped_column(Text)
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)  # the deadline in force (a new one after 未通过)
    acceptance: Mapped[str] = mapped_column(Text)  # what counts as done
    state: Mapped[DecidedItemState] = mapped_column(Coded(DecidedItemState, 16), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The owner's last report, the times it went overdue and was accepted, the last refusal.
    report: Mapped[str | None] = mapped_column(Text)
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejection_reason: Mapped[str | None] = mapped_column(Text)

    owner_unit: Mapped[Unit] = relationship(foreign_keys=[owner_unit_id])
    chair_unit: Mapped[Unit | None] = relationship(foreign_keys=[chair_unit_id])
    project: Mapped[Project | None] = relationship()
