"""The year-end evaluation (GS8, AL13–14, DC6): stored evaluations, the commendations and
sanctions on units' records, the service units' pledges and the scores they were given."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.codes import AwardKind, PledgeOutcome
from keyproj.db.base import Base, Coded, Money, UTCDateTime
from keyproj.db.models.org import Unit
from keyproj.db.models.project import Project


class YearEndEvaluation(Base):
    """One proposal of a year's outcomes with every figure it rests on; never edited, only
    confirmed once (with the items struck and why) by the key office."""

    __tablename__ = "year_end_evaluations"
    # One confirmed evaluation a year, even when two offices confirm two proposals at once.
    __table_args__ = (
        Index(
            "uq_year_end_evaluations_confirmed",
            "year",
            unique=True,
            sqlite_where=text("confirmed_at IS NOT NULL"),
            postgresql_where=text("confirmed_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer, index=True)
    basis: Mapped[str] = mapped_column(String(16))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The rankings, scores or colours it was built from, and the proposed items.
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    struck: Mapped[dict[str, str] | None] = mapped_column(JSON)  # item number → the reason


class AwardRecord(Base):
    """A commendation or sanction on a unit's record (and its person or project): from a
    confirmed evaluation's item, or entered by the key office (HD7, AL13, DC6)."""

    __tablename__ = "award_records"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "item", name="uq_award_records_evaluation_item"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    person: Mapped[str | None] = mapped_column(String(64))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[AwardKind] = mapped_column(Coded(AwardKind, 32))
    amount: Mapped[Decimal | None] = mapped_column(Money)  # 万元: prizes and penalties
    reason: Mapped[str] = mapped_column(Text)
    clause: Mapped[str] = mapped_column(String(64))  # GS8, AL13, … or the local rule's words
    evaluation_id: Mapped[int | None] = mapped_column(ForeignKey("year_end_evaluations.id"))
    item: Mapped[int | None] = mapped_column(Integer)  # the evaluation's item number
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    unit: Mapped[Unit] = relationship()
    project: Mapped[Project | None] = relationship()


class ServicePledge(Base):
    """A service unit's 服务保障承诺书 for a year (GS7, GS8): its items, and whether it kept them."""

    __tablename__ = "service_pledges"
    __table_args__ = (UniqueConstraint("unit_id", "year", name="uq_service_pledges_unit_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    items: Mapped[list[str]] = mapped_column(JSON)
    outcome: Mapped[PledgeOutcome] = mapped_column(Coded(PledgeOutcome, 16))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime)

    unit: Mapped[Unit] = relationship()


class ServiceScore(Base):
    """A town's or project owner's score of a service unit against its pledges (GS8), one per
    scoring unit and year."""

    __tablename__ = "service_scores"
    __table_args__ = (
        UniqueConstraint("pledge_id", "scorer_unit_id", name="uq_service_scores_pledge_scorer"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("service_pledges.id"), index=True)
    scorer_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    score: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    comment: Mapped[str] = mapped_column(Text)
    scored_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime)

    pledge: Mapped[ServicePledge] = relationship()
    scorer_unit: Mapped[Unit] = relationship()
