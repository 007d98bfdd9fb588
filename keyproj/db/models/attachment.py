"""Attachments: files kept outside the database, one row each naming what they belong to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from keyproj.codes import AttachmentOwner
from keyproj.db.base import Base, Coded, UTCDateTime


class Attachment(Base):
    """One stored file: its owner (kind + id), who uploaded it when, and what it is."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_owner", "owner_kind", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_kind: Mapped[AttachmentOwner] = mapped_column(Coded(AttachmentOwner, 16))
    owner_id: Mapped[int] = mapped_column(Integer)
    # The name as uploaded, for display and download only; the file is stored under ``key``.
    name: Mapped[str] = mapped_column(String(255))
    key: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)
