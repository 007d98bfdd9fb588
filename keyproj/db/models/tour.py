"""Observation tours (观摩点评, DC4, GS2): the office's plan with its route and vehicles, the
scorers named on it, their score sheets, and the results stored when scoring closes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.codes import TourState
from keyproj.db.base import Base, Coded, UTCDateTime
from keyproj.db.models.org import User
from keyproj.db.models.project import Project


class Tour(Base):
    """One tour: its plan (date, meeting point, vehicles, notes) and, once closed, its results."""

    __tablename__ = "tours"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    tour_on: Mapped[date] = mapped_column(Date, index=True)
    meeting_point: Mapped[str] = mapped_column(String(200))
    # [{"name": "1号车", "seats": 30, "driver": "王师傅"}, …]
    vehicles: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    notes: Mapped[str | None] = mapped_column(Text)
    state: Mapped[TourState] = mapped_column(Coded(TourState, 16))
    # The criteria in force when scoring opened, so a later profile change leaves it as scored.
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    results: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    stops: Mapped[list[TourStop]] = relationship(
        cascade="all, delete-orphan", order_by="TourStop.position"
    )
    scorers: Mapped[list[TourScorer]] = relationship(cascade="all, delete-orphan")


class TourStop(Base):
    """A project on the tour's route, at its place in the order."""

    __tablename__ = "tour_stops"
    __table_args__ = (UniqueConstraint("tour_id", "project_id", name="uq_tour_stops_project"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tours.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)

    project: Mapped[Project] = relationship()


class TourScorer(Base):
    """A user named on the tour to score it (a county leader or a unit's head)."""

    __tablename__ = "tour_scorers"
    __table_args__ = (UniqueConstraint("tour_id", "user_id", name="uq_tour_scorers_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tours.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    user: Mapped[User] = relationship()


class TourScore(Base):
    """One scorer's sheet for one project: marks per criterion, their total and a comment."""

    __tablename__ = "tour_scores"
    __table_args__ = (
        UniqueConstraint("tour_id", "project_id", "scorer_id", name="uq_tour_scores_sheet"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tour_id: Mapped[int] = mapped_column(ForeignKey("tours.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    scorer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    marks: Mapped[dict[str, str]] = mapped_column(JSON)  # criterion key → marks, as text
    total: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    comment: Mapped[str | None] = mapped_column(Text)
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime)
