"""Projects (keyed by 项目代码) and their teams ("1+3" GS3, site sign DC1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.codes import ProjectLevel, ProjectNature, ProjectStage, TeamRole
from keyproj.db.base import Base, Coded, Money, Timestamps
from keyproj.db.models.org import Leader, Unit


class Project(Timestamps, Base):
    """A key project; codes of level, nature and stage come from ``keyproj.codes``."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[ProjectLevel] = mapped_column(Coded(ProjectLevel, 32))
    nature: Mapped[ProjectNature] = mapped_column(Coded(ProjectNature, 32))
    stage: Mapped[ProjectStage] = mapped_column(Coded(ProjectStage, 32))
    total_investment: Mapped[Decimal] = mapped_column(Money)
    central_funds: Mapped[bool] = mapped_column(default=False)
    government_invested: Mapped[bool] = mapped_column(default=True)
    lead_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    construction_unit: Mapped[str | None] = mapped_column(String(200))
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("leaders.id"), index=True)
    location: Mapped[str | None] = mapped_column(String(200))
    # The chain's name as the ledger carries it; ``chain_id`` is the chain it names (DC5).
    industry_chain: Mapped[str | None] = mapped_column(String(100))
    chain_id: Mapped[int | None] = mapped_column(ForeignKey("industry_chains.id"), index=True)
    approved_on: Mapped[date | None] = mapped_column(Date)
    planned_start: Mapped[date | None] = mapped_column(Date)
    planned_completion: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)

    lead_unit: Mapped[Unit] = relationship()
    leader: Mapped[Leader | None] = relationship()
    team: Mapped[list[ProjectTeamMember]] = relationship(
        cascade="all, delete-orphan", order_by="ProjectTeamMember.id"
    )


class ProjectTeamMember(Base):
    """One member of a project's team; ``role`` is a ``TeamRole``."""

    __tablename__ = "project_team_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[TeamRole] = mapped_column(Coded(TeamRole, 32))
    name: Mapped[str] = mapped_column(String(50))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    leader_id: Mapped[int | None] = mapped_column(ForeignKey("leaders.id"))
    phone: Mapped[str | None] = mapped_column(String(32))
    # The member's organisation when it is no county unit (a contractor on the DC1 site sign).
    org_name: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(100))
