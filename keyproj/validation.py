"""Collects field errors with Chinese reasons, so a service reports every bad field at once.

The rules themselves (text, dates, amounts) are those of the input layer, ``keyproj.inputs``.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from keyproj.errors import FieldError, ValidationError
from keyproj.inputs import BadInput, Years, amount_problem, clean_text, is_visible


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
        elif not (0 <= value <= 100):
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
