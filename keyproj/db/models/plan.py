"""Annual plans, their approved versions (AL4, AL5) and per-period breakdown (LP6, HD1, GS7)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.codes import PlanStatus
from keyproj.codes.plans import PlanKind
from keyproj.db.base import Base, Coded, Money, Percent, Timestamps, UTCDateTime
from keyproj.db.models.project import Project


class AnnualPlan(Timestamps, Base):
    """A project's plan for one year; its content lives in versions, one of them current."""

    __tablename__ = "annual_plans"
    __table_args__ = (UniqueConstraint("project_id", "year", name="uq_annual_plans_project_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_versions.id", use_alter=True, name="fk_annual_plans_current_version")
    )

    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", order_by="PlanVersion.number", foreign_keys="PlanVersion.plan_id"
    )
    current_version: Mapped[PlanVersion | None] = relationship(
        foreign_keys=[current_version_id], post_update=True
    )
    project: Mapped[Project] = relationship()


class PlanVersion(Base):
    """One version of an annual plan: draft → submitted → approved (or rejected); never edited after."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number", name="uq_plan_versions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plans.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[PlanStatus] = mapped_column(Coded(PlanStatus, 16))
    annual_investment: Mapped[Decimal] = mapped_column(Money)
    milestones: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[PlanKind] = mapped_column(
        Coded(PlanKind, 16), default=PlanKind.INITIAL, server_default=PlanKind.INITIAL.value
    )
    # HD1: the leader and the person answerable for the plan.
    responsible_leader: Mapped[str | None] = mapped_column(String(50))
    responsible_person: Mapped[str | None] = mapped_column(String(50))
    # AL4: the unit head signs the May recalibration before it is submitted.
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # AL5: the unit's formal request and the government's decision on the mid-June adjustment.
    request: Mapped[str | None] = mapped_column(Text)
    government_decision: Mapped[str | None] = mapped_column(Text)

    plan: Mapped[AnnualPlan] = relationship(back_populates="versions", foreign_keys=[plan_id])
    periods: Mapped[list[PlanPeriod]] = relationship(
        cascade="all, delete-orphan", order_by="PlanPeriod.period_end"
    )


class PlanPeriod(Base):
    """The plan for one period (month or quarter): investment in it and cumulative progress by its end."""

    __tablename__ = "plan_periods"
    __table_args__ = (UniqueConstraint("version_id", "period", name="uq_plan_periods_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(16))
    period_end: Mapped[date] = mapped_column(Date)
    planned_investment: Mapped[Decimal] = mapped_column(Money)
    planned_progress_pct: Mapped[Decimal] = mapped_column(Percent)
    milestone: Mapped[str | None] = mapped_column(Text)
    procedures: Mapped[str | None] = mapped_column(Text)
