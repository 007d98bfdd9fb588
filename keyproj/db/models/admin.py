"""Administration: the change log of what administrators did, and the county's own identity."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from keyproj.codes import AdminAction
from keyproj.db.base import Base, Coded, UTCDateTime


class AdminChange(Base):
    """One change an administrator made (who, when, what, to which record); never edited."""

    __tablename__ = "admin_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # The account, when the change came from the pages; the command line has none.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[AdminAction] = mapped_column(Coded(AdminAction, 32))
    target: Mapped[str] = mapped_column(String(200))
    details: Mapped[str | None] = mapped_column(Text)


class CountyIdentity(Base):
    """The installation's name and document issuers; while no row exists the profile's apply."""

    __tablename__ = "county_identity"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False, default=1)
    county_name: Mapped[str] = mapped_column(String(50))
    notice_issuer: Mapped[str] = mapped_column(String(100))
    warning_notice_prefix: Mapped[str] = mapped_column(String(30))
    supervision_issuer: Mapped[str] = mapped_column(String(100))
    supervision_notice_prefix: Mapped[str] = mapped_column(String(30))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
