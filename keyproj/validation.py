"""Collects field errors with Chinese reasons, so a service reports every bad field at once."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from keyproj.errors import FieldError, ValidationError


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
        """The value must be present and, for text, not blank."""
        if value is None or (isinstance(value, str) and not value.strip()):
            self.fail(field, "不能为空")
            return False
        return True

    def max_length(self, field: str, value: str | None, limit: int) -> None:
        """Text no longer than ``limit`` characters."""
        if value is not None and len(value) > limit:
            self.fail(field, f"不能超过{limit}个字符")

    def amount(self, field: str, value: Decimal | None) -> None:
        """An amount in 万元: not negative, at most four decimals."""
        if value is None:
            return
        if value < 0:
            self.fail(field, "金额不能为负数")
        elif value.as_tuple().exponent < -4:  # type: ignore[operator]
            self.fail(field, "金额最多保留4位小数（万元）")

    def percent(self, field: str, value: Decimal | None) -> None:
        """A percentage between 0 and 100."""
        if value is not None and not (0 <= value <= 100):
            self.fail(field, "百分比必须在0到100之间")

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
