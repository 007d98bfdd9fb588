"""Declarative base, naming convention and the column types every model shares."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar, cast

from sqlalchemy import DateTime, Dialect, MetaData, Numeric, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from keyproj.clock import now_utc
from keyproj.codes import Code
from keyproj.inputs import MONEY_PRECISION, MONEY_SCALE

FOUR_PLACES = Decimal(1).scaleb(-MONEY_SCALE)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always returns them UTC-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """The value in UTC (naive on SQLite); a naive value is refused."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: give a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """The stored value as an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Money(TypeDecorator[Decimal]):
    """An amount in 万元 with four decimals, returned as Decimal on every backend."""

    # The input layer bounds amounts by the same precision and scale (keyproj.inputs.MONEY_MAX).
    impl = Numeric(MONEY_PRECISION, MONEY_SCALE)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        """NUMERIC(18, 4); a float column on SQLite."""
        # SQLite has no decimal type: its NUMERIC affinity stores a float, which keeps numeric
        # comparison and SUM working; realistic 万元 amounts (≤ 13 significant digits)
        # round-trip exactly after quantizing.
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Numeric(MONEY_PRECISION, MONEY_SCALE, asdecimal=False))
        return dialect.type_descriptor(Numeric(MONEY_PRECISION, MONEY_SCALE))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        """The amount to four places (a float on SQLite)."""
        if value is None:
            return None
        value = Decimal(value).quantize(FOUR_PLACES)
        return float(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        """The stored amount as a Decimal to four places."""
        if value is None:
            return None
        return Decimal(str(value)).quantize(FOUR_PLACES)


class Percent(Money):
    """A percentage 0–100 with four decimals (same storage as Money)."""

    cache_ok = True  # not inherited: without it SQLAlchemy would not cache statements using it


C = TypeVar("C", bound=Code)


class Coded(TypeDecorator[C]):
    """A code column: VARCHAR(n) in the database, a member of its ``Code`` enum in Python.

    A value outside the code list is refused on the way in (a typo fails loudly instead of
    being stored) and on the way out (a row no code list knows is a bug, not a label).
    """

    impl = String
    cache_ok = True

    def __init__(self, codes: type[C], length: int) -> None:
        super().__init__(length)
        self.codes = codes

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        """The code as stored; an unknown code is refused before it reaches the database."""
        if value is None:
            return None
        return str(self._member(value).value)  # the plain string: drivers need no enum adapter

    def process_result_value(self, value: str | None, dialect: Dialect) -> C | None:
        """The stored code as its enum member."""
        return None if value is None else self._member(value)

    def _member(self, value: str) -> C:
        member = self.codes._value2member_map_.get(value)
        if member is None:
            raise ValueError(f"{value!r} is not a code of {self.codes.__name__}")
        return cast(C, member)


def length_of(attribute: Any) -> int:
    """The declared length of a String column's attribute, e.g. ``length_of(Project.name)`` → 200."""
    return int(attribute.property.columns[0].type.length)


class Base(DeclarativeBase):
    """Base of all models."""

    metadata = MetaData(naming_convention=NAMING)


class Timestamps:
    """created_at / updated_at columns, UTC-aware."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc, onupdate=now_utc)
