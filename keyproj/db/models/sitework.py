"""Site work: spot-check plans and checks (LP10), site visits and the weeks found short of them
(GS3, DC2), and industry chains with their lists (DC5)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.codes.sitework import ChainListKind, SampleReason, VisitKind, VisitRole
from keyproj.db.base import Base, Coded, UTCDateTime
from keyproj.db.models.org import Leader, Unit
from keyproj.db.models.project import Project


class SpotCheckPlan(Base):
    """One cycle's sampling plan (LP10); ``seed`` reproduces its random draw."""

    __tablename__ = "spot_check_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle: Mapped[str] = mapped_column(String(16), unique=True)  # a period key, e.g. 2026-03
    seed: Mapped[int] = mapped_column(Integer)
    drawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime)

    entries: Mapped[list[SpotCheckEntry]] = relationship(
        cascade="all, delete-orphan", order_by="SpotCheckEntry.id"
    )


class SpotCheckEntry(Base):
    """A project in a plan, why it is there, and (when the office took it out) why not."""

    __tablename__ = "spot_check_entries"
    __table_args__ = (UniqueConstraint("plan_id", "project_id", name="uq_spot_check_entries"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("spot_check_plans.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    reason: Mapped[SampleReason] = mapped_column(Coded(SampleReason, 16))
    note: Mapped[str | None] = mapped_column(Text)  # why the office added it
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removal_reason: Mapped[str | None] = mapped_column(Text)

    project: Mapped[Project] = relationship()


class SpotCheck(Base):
    """One check made on site: when, by whom, what was found, and where the finding went."""

    __tablename__ = "spot_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("spot_check_plans.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    checked_on: Mapped[date] = mapped_column(Date)
    checkers: Mapped[str] = mapped_column(String(200))
    findings: Mapped[str | None] = mapped_column(Text)
    warning_id: Mapped[int | None] = mapped_column(ForeignKey("warnings.id"))
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("project_issues.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    project: Mapped[Project] = relationship()


class SiteVisit(Base):
    """A visit to a project's site by its chief, assistant or leader in charge (GS3, DC2)."""

    __tablename__ = "site_visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    role: Mapped[VisitRole] = mapped_column(Coded(VisitRole, 16))
    person: Mapped[str] = mapped_column(String(50))
    visited_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[VisitKind] = mapped_column(Coded(VisitKind, 16))
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    project: Mapped[Project] = relationship()


class VisitShortfall(Base):
    """A project-week found short of a role's required visits; the office is told once."""

    __tablename__ = "visit_shortfalls"
    __table_args__ = (
        UniqueConstraint("project_id", "week", "role", name="uq_visit_shortfalls_week"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    week: Mapped[str] = mapped_column(String(10), index=True)  # ISO week key, e.g. 2026-W10
    role: Mapped[VisitRole] = mapped_column(Coded(VisitRole, 16))
    person: Mapped[str | None] = mapped_column(String(50))
    required: Mapped[int] = mapped_column(Integer)
    made: Mapped[int] = mapped_column(Integer)
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime)

    project: Mapped[Project] = relationship()


class IndustryChain(Base):
    """An industry chain under a chain chief (链长制, DC5): one plan, four lists."""

    __tablename__ = "industry_chains"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # A chain taken over from the projects' old free-text column has no chief until named.
    chief_id: Mapped[int | None] = mapped_column(ForeignKey("leaders.id"), index=True)
    plan: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    chief: Mapped[Leader | None] = relationship()
    items: Mapped[list[ChainItem]] = relationship(
        cascade="all, delete-orphan", order_by="ChainItem.position"
    )


class ChainItem(Base):
    """A line of one of a chain's lists: a key matter (with owner unit and due date), a park or
    a company."""

    __tablename__ = "chain_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = mapped_column(
        ForeignKey("industry_chains.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ChainListKind] = mapped_column(Coded(ChainListKind, 16))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(200))
    owner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    due_on: Mapped[date | None] = mapped_column(Date)

    owner_unit: Mapped[Unit | None] = relationship()
