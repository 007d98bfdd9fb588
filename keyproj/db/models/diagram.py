"""The log of what was done to the diagrams' versions: deploy, retire, migrate (X3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from keyproj.codes import DiagramChangeKind
from keyproj.db.base import Base, Coded, UTCDateTime


class DiagramChange(Base):
    """One deploy, retire or migration of a diagram's versions: who, when, what; never edited."""

    __tablename__ = "diagram_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[DiagramChangeKind] = mapped_column(Coded(DiagramChangeKind, 16))
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definitions.id"))
    # A migration's target version (the cases moved from definition_id to it).
    target_definition_id: Mapped[int | None] = mapped_column(ForeignKey("process_definitions.id"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    note: Mapped[str | None] = mapped_column(Text)
    # A migration's moved and refused case ids.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
