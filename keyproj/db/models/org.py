"""Organisation: units with parents, users and their roles, liaisons (LP5, AL8), leaders."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from keyproj.codes import NotificationMode, Role, UnitKind
from keyproj.db.base import Base, Coded, Timestamps, UTCDateTime


class Unit(Timestamps, Base):
    """A town, county department, or one of the county offices; ``kind`` is a ``UnitKind``."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[UnitKind] = mapped_column(Coded(UnitKind, 32), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[Unit | None] = relationship(remote_side="Unit.id")


class User(Timestamps, Base):
    """A person who signs in; belongs to one unit and holds one or more roles."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Lockout: consecutive failed sign-ins, and until when sign-in is refused.
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The secret every signed-in browser session of the user carries; None when none is live.
    # Replaced at sign-out and password change, so a copied session cookie dies on the server.
    session_nonce: Mapped[str | None] = mapped_column(String(64))
    # Per-task notifications at once, or gathered into one digest a day (issue 15).
    notification_mode: Mapped[NotificationMode] = mapped_column(
        Coded(NotificationMode, 16),
        default=NotificationMode.IMMEDIATE,
        server_default=NotificationMode.IMMEDIATE.value,
    )

    unit: Mapped[Unit] = relationship()
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def roles(self) -> frozenset[Role]:
        """The user's role codes."""
        return frozenset(r.role for r in self.role_rows)


class UserRole(Base):
    """One role held by one user."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(Coded(Role, 32), primary_key=True)


class Leader(Timestamps, Base):
    """A county leader (挂钩/分包县领导, DC1; 项目长, GS3), optionally with a user account."""

    __tablename__ = "leaders"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    title: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), unique=True)

    user: Mapped[User | None] = relationship()


class Liaison(Timestamps, Base):
    """A named liaison (联络员) of a unit, or of a project's construction unit (LP5, AL8)."""

    __tablename__ = "liaisons"
    # No uniqueness on the name: a change closes the old row (``until``) and opens a new one,
    # so one person may hold several rows of history (LP5, AL8).
    __table_args__ = (
        CheckConstraint(
            "(unit_id IS NOT NULL) OR (project_id IS NOT NULL)", name="unit_or_project"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    position: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(255))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    since: Mapped[date | None] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)

    unit: Mapped[Unit | None] = relationship()
