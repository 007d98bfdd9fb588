"""Process definitions, cases (process instances), their human tasks and hash-chained events."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.codes import (
    CaseOutcome,
    CaseStatus,
    CaseUnitRole,
    DefinitionStatus,
    Lane,
    TaskStatus,
)
from keyproj.db.base import Base, Coded, UTCDateTime
from keyproj.db.models.warning import EarlyWarning

if TYPE_CHECKING:
    from keyproj.db.models.org import Unit


class ProcessDefinition(Base):
    """A deployed version of a diagram; cases stay pinned to the version they started on (X3)."""

    __tablename__ = "process_definitions"
    __table_args__ = (
        UniqueConstraint("key", "version", name="uq_process_definitions_version"),
        UniqueConstraint("key", "sha256", name="uq_process_definitions_sha256"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    bpmn_xml: Mapped[str] = mapped_column(Text, deferred=True)  # loaded once, then cached by sha
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[DefinitionStatus] = mapped_column(
        Coded(DefinitionStatus, 16), default=DefinitionStatus.ACTIVE
    )
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)


class Case(Base):
    """The process instance of one warning: its stored engine state and where it stands."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), unique=True)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definitions.id"))
    status: Mapped[CaseStatus] = mapped_column(
        Coded(CaseStatus, 16), default=CaseStatus.OPEN, index=True
    )
    outcome: Mapped[CaseOutcome | None] = mapped_column(Coded(CaseOutcome, 32))
    state: Mapped[bytes] = mapped_column(LargeBinary)
    serializer_version: Mapped[str] = mapped_column(String(32))
    state_hash: Mapped[str] = mapped_column(String(64))
    # Only open cases with a waiting timer have one; the sweep reads this index alone.
    next_timer_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # One writer per case: save_case updates only the version it loaded (see case_save).
    version: Mapped[int] = mapped_column(Integer, default=1)
    event_count: Mapped[int] = mapped_column(Integer, default=0)
    last_event_hash: Mapped[str] = mapped_column(String(64))
    notice_number: Mapped[str | None] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    warning: Mapped[EarlyWarning] = relationship()
    definition: Mapped[ProcessDefinition] = relationship()
    units: Mapped[list[CaseUnit]] = relationship(cascade="all, delete-orphan")


class CaseUnit(Base):
    """A responsible unit of a case: the lead unit or a phase unit (LP13); lane 责任单位 resolves to these."""

    __tablename__ = "case_units"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True)
    role: Mapped[CaseUnitRole] = mapped_column(Coded(CaseUnitRole, 16))


class HumanTask(Base):
    """One user task of a case, materialized on every save; the inbox reads only this table."""

    __tablename__ = "human_tasks"
    __table_args__ = (
        UniqueConstraint("case_id", "engine_task_id", name="uq_human_tasks_engine_task"),
        Index("ix_human_tasks_open_due", "status", "due_at"),
        # The home pages count the open tasks of one step (cases by stage, the offices' steps).
        Index("ix_human_tasks_name_status", "name", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    engine_task_id: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(100))
    lane: Mapped[Lane] = mapped_column(Coded(Lane, 32))
    form: Mapped[str] = mapped_column(String(64))
    status: Mapped[TaskStatus] = mapped_column(Coded(TaskStatus, 16), default=TaskStatus.READY)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ready_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The unit whose own part (LP13 lead or phase unit) the task belongs to, if the diagram
    # gives the task one; a phase unit's escalated part names it on the county's task too.
    part_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))

    case: Mapped[Case] = relationship()
    part_unit: Mapped[Unit | None] = relationship()  # read by the refusal and the pages only
    candidates: Mapped[list[HumanTaskCandidate]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class HumanTaskCandidate(Base):
    """A unit whose users (holding the lane's role) may claim the task."""

    __tablename__ = "human_task_candidates"

    task_id: Mapped[int] = mapped_column(
        ForeignKey("human_tasks.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True, index=True)


class CaseEvent(Base):
    """An append-only, hash-chained entry of a case's history (X4)."""

    __tablename__ = "case_events"
    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_case_events_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    task_id: Mapped[str | None] = mapped_column(String(36))
    task_name: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class DocumentCounter(Base):
    """The last number issued for a document prefix in a year (…预警〔2026〕12号)."""

    __tablename__ = "document_counters"

    prefix: Mapped[str] = mapped_column(String(64), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
