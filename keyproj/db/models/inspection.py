"""Joint inspection groups (联合检查组, GS5): the groups and their projects, each week's
inspection records with their findings, and the weeks a group missed a project."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.codes import FindingSeverity
from keyproj.db.base import Base, Coded, UTCDateTime
from keyproj.db.models.project import Project


class InspectionGroup(Base):
    """The n-th joint inspection group, the unit that forms it and its members' names."""

    __tablename__ = "inspection_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    unit_name: Mapped[str] = mapped_column(String(100))
    members: Mapped[list[str]] = mapped_column(JSON)

    assignments: Mapped[list[InspectionAssignment]] = relationship(
        cascade="all, delete-orphan", order_by="InspectionAssignment.project_id"
    )

    @property
    def label(self) -> str:
        """第N组（unit）."""
        return f"第{self.number}组（{self.unit_name}）"


class InspectionAssignment(Base):
    """A project a group checks; a project is checked by one group (分组方案)."""

    __tablename__ = "inspection_assignments"
    __table_args__ = (UniqueConstraint("project_id", name="uq_inspection_assignments_project"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_groups.id", ondelete="CASCADE"), index=True
    )
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))

    project: Mapped[Project] = relationship()


class InspectionRecord(Base):
    """One on-site inspection of a project: what was verified and what was found."""

    __tablename__ = "inspection_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("inspection_groups.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    inspected_on: Mapped[date] = mapped_column(Date, index=True)
    week: Mapped[str] = mapped_column(String(16), index=True)  # ISO week key, 2026-W12
    milestone_verified: Mapped[bool] = mapped_column(Boolean)
    milestone: Mapped[str | None] = mapped_column(Text)  # the plan's milestone shown, as it was
    image_checked: Mapped[bool] = mapped_column(Boolean)
    findings: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[FindingSeverity] = mapped_column(Coded(FindingSeverity, 16))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    warning_id: Mapped[int | None] = mapped_column(ForeignKey("warnings.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    group: Mapped[InspectionGroup] = relationship()
    project: Mapped[Project] = relationship()


class InspectionGap(Base):
    """A week in which a group did not inspect one of its projects, flagged to the office."""

    __tablename__ = "inspection_gaps"
    __table_args__ = (
        UniqueConstraint("group_id", "project_id", "week", name="uq_inspection_gaps_week"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("inspection_groups.id"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    week: Mapped[str] = mapped_column(String(16), index=True)
    flagged_at: Mapped[datetime] = mapped_column(UTCDateTime)

    group: Mapped[InspectionGroup] = relationship()
    project: Mapped[Project] = relationship()


class InspectionReport(Base):
    """A group's own 督导检查报告 for a week (GS5: 督导检查报告单独印发), issued by the key
    office with its own number; the body is kept as issued."""

    __tablename__ = "inspection_reports"
    __table_args__ = (
        UniqueConstraint("group_id", "week", name="uq_inspection_reports_week"),
        UniqueConstraint("number", name="uq_inspection_reports_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("inspection_groups.id"), index=True)
    week: Mapped[str] = mapped_column(String(16))
    number: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[list[str]] = mapped_column(JSON)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    group: Mapped[InspectionGroup] = relationship()
