"""Collects field errors with Chinese reasons, so a service reports every bad field at once.

The rules themselves (text, dates, amounts) are those of the input layer, ``keyproj.inputs``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from keyproj.errors import FieldError, ValidationError
from keyproj.inputs import (
    ADMIN_YEARS,
    KEYWORD_TEXT,
    BadInput,
    Years,
    amount_problem,
    clean_text,
    is_visible,
    parse_date,
    parse_id,
    shown,
)

T = TypeVar("T")


class Checks:
    """Accumulates field errors; ``done()`` raises them together."""

    def __init__(self, labels: dict[str, str]):
        self.labels = labels
        self.errors: list[FieldError] = []

    def fail(self, field: str, reason: str) -> None:
        """Record a problem with ``field``."""
        self.errors.append(FieldError(field, self.labels.get(field, field), reason))

    def ok(self, field: str) -> bool:
        """True when ``field`` has no recorded problem yet."""
        return all(e.field != field for e in self.errors)

    def required(self, field: str, value: Any) -> bool:
        """The value must be present and, for text, not blank (spaces and invisible characters are blank)."""
        if value is None or (isinstance(value, str) and not is_visible(value)):
            self.fail(field, "不能为空")
            return False
        return True

    def text(self, field: str, value: Any, limit: int, required: bool = False) -> str | None:
        """The text to store (NFC, stripped; None when blank), or None after noting why it cannot be."""
        if value is None or value == "":
            if required:
                self.fail(field, "不能为空")
            return None
        if not isinstance(value, str):
            self.fail(field, "应为文本")
            return None
        try:
            return clean_text(value, limit, required)
        except BadInput as exc:
            self.fail(field, str(exc))
            return None

    def max_length(self, field: str, value: str | None, limit: int) -> None:
        """Text no longer than ``limit`` characters."""
        if value is not None and len(value) > limit:
            self.fail(field, f"不能超过{limit}个字符")

    def amount(self, field: str, value: Decimal | None) -> None:
        """An amount in 万元: finite, not negative, at most four decimals, within what the column holds."""
        if value is not None:
            problem = amount_problem(value)
            if problem:
                self.fail(field, problem)

    def percent(self, field: str, value: Decimal | None) -> None:
        """A percentage between 0 and 100."""
        if value is None:
            return
        if not value.is_finite():
            self.fail(field, "不能是 NaN 或无穷大")
        elif value.is_signed() or value > 100:
            self.fail(field, "百分比必须在0到100之间")
        elif value.as_tuple().exponent < -4:  # type: ignore[operator]
            self.fail(field, "百分比最多保留4位小数")

    def day(self, field: str, value: date | None, years: Years) -> None:
        """A date whose year lies in ``years``."""
        if value is not None:
            try:
                years.check(value)
            except BadInput as exc:
                self.fail(field, str(exc))

    def choice(self, field: str, value: str | None, allowed: dict[str, str]) -> None:
        """One of the allowed codes."""
        if value is not None and value not in allowed:
            names = "、".join(f"{k}（{v}）" for k, v in allowed.items())
            self.fail(field, f"取值“{value}”无效，可选：{names}")

    def pattern(self, field: str, value: str | None, regex: re.Pattern[str], hint: str) -> None:
        """Text that matches ``regex`` (blank text is left to ``required``); ``hint`` explains the form."""
        if value is not None and value.strip() and not regex.fullmatch(value):
            self.fail(field, f"格式不正确，应为{hint}")

    def done(self) -> None:
        """Raise every recorded problem, if any."""
        if self.errors:
            raise ValidationError(self.errors)


class QueryArgs(Checks):
    """Filters read from a query string; a malformed one is an error naming it, never ignored.

    A blank value means "not given" on the pages (a form's "all" choice sends ``level=``); the
    API (``blank_is_given``) holds a client to its document, where a blank is no valid value.
    """

    def __init__(
        self, args: Mapping[str, str], labels: dict[str, str], blank_is_given: bool = False
    ):
        super().__init__(labels)
        self.args, self.blank_is_given = args, blank_is_given

    def raw(self, name: str) -> str | None:
        """The value as sent; None when absent (or blank, on the pages)."""
        value = self.args.get(name)
        if value is None or (value == "" and not self.blank_is_given):
            return None
        return value

    def read(self, name: str, parse: Callable[[str], T]) -> T | None:
        """``parse`` applied to the value, or None (absent, or refused with the reason noted)."""
        value = self.raw(name)
        if value is None:
            return None
        try:
            return parse(value)
        except BadInput as exc:
            self.fail(name, str(exc))
            return None

    def read_id(self, name: str) -> int | None:
        """A database id (1 to DB_INT_MAX, ASCII digits)."""
        return self.read(name, parse_id)

    def read_page(self, name: str = "page") -> int:
        """A page number, 1 when not given."""
        return self.read(name, parse_id) or 1

    def read_date(self, name: str, years: Years = ADMIN_YEARS) -> date | None:
        """A YYYY-MM-DD date within ``years``."""
        return self.read(name, lambda text: parse_date(text, years))

    def read_code(self, name: str, codes: Mapping[str, str]) -> str | None:
        """One of ``codes`` (code → label)."""
        value = self.raw(name)
        if value is not None and value not in codes:
            names = "、".join(f"{k}（{v}）" for k, v in codes.items())
            self.fail(name, f"取值“{shown(value)}”无效，可选：{names}")
            return None
        return value

    def read_keyword(self, name: str, limit: int = KEYWORD_TEXT) -> str | None:
        """Search text: clean, at most ``limit`` characters; None when blank."""
        value = self.args.get(name)
        return None if value is None else self.text(name, value, limit)
