"""The administrator's home: the administration pages with their counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyproj.db.models import CalendarYear, Unit, User


@dataclass(frozen=True)
class AdminHome:
    """Accounts, locked accounts, units, and the years the working-day calendar covers."""

    users: int
    locked_users: int
    units: int
    calendar_years: list[int]


def admin_home(session: Session, now: datetime) -> AdminHome:
    """The administration counts, one aggregate query each."""

    def count(model: type[User] | type[Unit], *where: object) -> int:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]

    return AdminHome(
        users=count(User),
        locked_users=count(User, User.locked_until > now),
        units=count(Unit),
        calendar_years=list(session.scalars(select(CalendarYear.year).order_by(CalendarYear.year))),
    )
