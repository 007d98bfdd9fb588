"""The one input layer: text, dates, numbers and ids read the same way by pages, API, imports and commands.

Every function here takes what a person or a file typed and returns the value to keep, or
raises ``BadInput`` with a Chinese reason (the caller names the field). The rules:

- text is NFC-normalised and stripped; NUL and the other control characters (tab and line
  breaks excepted), and lone surrogates, are refused; a value of only spaces and invisible
  characters (zero-width space, BOM, …) is blank; each field has a maximum length;
- periods, dates, codes and ids take ASCII digits only (``２０２６`` is refused, never read as 2026);
- years lie in a range per kind of date (``ADMIN_YEARS``, ``WORKS_YEARS``);
- numbers are finite and fit their column (``MONEY_MAX`` from the ``Money`` column's
  precision and scale); ids fit the database's integer (``DB_INT_MAX``);
- JSON is nested at most ``JSON_MAX_DEPTH`` levels.

See docs/inputs.md for the limits and why they were chosen.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

DB_INT_MAX = 2_147_483_647  # PostgreSQL INTEGER, the type of every id column
# NUMERIC(18, 4), the Money and Percent columns (keyproj.db.base builds them from these).
MONEY_PRECISION, MONEY_SCALE = 18, 4
MONEY_MAX = Decimal(10) ** (MONEY_PRECISION - MONEY_SCALE) - Decimal(1).scaleb(-MONEY_SCALE)
MONEY_INTEGER_DIGITS = MONEY_PRECISION - MONEY_SCALE
JSON_MAX_DEPTH = 32
# Text columns without a declared length get one of these bounds.
LONG_TEXT = 2000  # a report's or a plan's prose
DOCUMENT_TEXT = 4000  # an issue's description and resolution
KEYWORD_TEXT = 100  # a search box

# Controls refused in text: C0 except tab and line breaks (CR is then folded into LF), DEL, C1.
CONTROLS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"
# Characters that show nothing: format characters (zero-width space, joiners, marks, BOM, word
# joiner, …) and the fillers some input methods produce; with spaces they do not make a value.
INVISIBLE = (
    r"\u00ad\u034f\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufeff\uffa0"
)
_CONTROL = re.compile(f"[{CONTROLS}]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_VISIBLE = re.compile(rf"[^\s{CONTROLS}{INVISIBLE}]")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_INTEGER = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# Thousands separators as the pages display amounts (1,260 and 12,345.6): a comma every three
# digits, never after a leading zero; 1,26 and 1,2345 are typing slips, not numbers.
_GROUPED = re.compile(r"-?[1-9][0-9]{0,2}(,[0-9]{3})+(\.[0-9]+)?")

# The same rules as JSON-schema patterns, for the OpenAPI document. The classes above are written
# as regex escapes (\uXXXX), which ECMA and Python regexes read alike.
NO_CONTROLS_PATTERN = f"^[^{CONTROLS}]*$"
VISIBLE_PATTERN = f"^[^{CONTROLS}]*[^\\s{CONTROLS}{INVISIBLE}][^{CONTROLS}]*$"


class BadInput(ValueError):
    """A value that cannot be taken; the message is the Chinese reason (without the field)."""


@dataclass(frozen=True)
class Years:
    """The years a kind of date may fall in."""

    first: int
    last: int

    def check(self, day: date) -> date:
        """``day``, or BadInput when its year is outside the range."""
        if not self.first <= day.year <= self.last:
            raise BadInput(f"年份应在{self.first}年至{self.last}年之间")
        return day

    def check_year(self, year: int) -> int:
        """``year``, or BadInput when it is outside the range."""
        if not self.first <= year <= self.last:
            raise BadInput(f"年份应在{self.first}年至{self.last}年之间")
        return year

    @property
    def pattern(self) -> str:
        """A regex alternation matching exactly the four-digit years of the range."""
        return year_pattern(self.first, self.last)


# Reporting periods, plan years, issue, warning and task dates: the system's own era.
ADMIN_YEARS = Years(2000, 2100)
# A project's approval, start and completion dates: long-running works began in the 1990s.
WORKS_YEARS = Years(1990, 2100)


def normalise(text: str) -> str:
    """NFC, with CRLF and CR line breaks as LF (browsers post text areas with CRLF)."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def is_visible(text: str) -> bool:
    """True when ``text`` holds at least one character that shows."""
    return _VISIBLE.search(text) is not None


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored at all (control characters, lone surrogates), or None."""
    if _SURROGATE.search(text):
        return "含有无效字符（不成对的 UTF-16 代理码位）"
    found = _CONTROL.search(text)
    if found:
        return f"含有不允许的控制字符 U+{ord(found.group()):04X}"
    return None


def clean_text(value: str, max_length: int, required: bool = False) -> str | None:
    """The text to keep (NFC, stripped), None when blank; BadInput when it cannot be taken."""
    problem = text_problem(value)
    if problem:
        raise BadInput(problem)
    text = normalise(value).strip()
    # The raw length counts too: what a client measured (JSON-schema maxLength) must hold.
    if max(len(value), len(text)) > max_length:
        raise BadInput(f"不能超过{max_length}个字符")
    if not is_visible(text):
        if required:
            raise BadInput("不能为空（只有空白或不可见字符）")
        return None
    return text


def parse_date(text: str, years: Years | None = None) -> date:
    """A YYYY-MM-DD date in ASCII digits, within ``years`` when given."""
    match = _DATE.fullmatch(text)
    if not match:
        raise BadInput(f"“{shown(text)}”不是日期，应为 YYYY-MM-DD（半角数字），如 2026-03-31")
    try:
        day = date(*(int(part) for part in match.groups()))
    except ValueError:
        raise BadInput(f"日期“{text}”不存在") from None
    return years.check(day) if years else day


def parse_int(text: str, first: int = 1, last: int = DB_INT_MAX) -> int:
    """A whole number in ASCII digits between ``first`` and ``last``."""
    if not _INTEGER.fullmatch(text):
        raise BadInput(f"“{shown(text)}”不是整数，应为半角数字")
    # Compare lengths first: int() of thousands of digits is slow, and refused past 4,300.
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(last)) or not first <= int(digits) <= last:
        raise BadInput(f"应在{first}至{last}之间")
    return int(digits)


def parse_year(text: str, years: Years | None = None) -> int:
    """A four-digit year in ASCII digits, within ``years`` (ADMIN_YEARS by default)."""
    if not re.fullmatch(r"[0-9]{4}", text):
        raise BadInput(f"“{shown(text)}”不是年份，应为四位半角数字，如 2026")
    return (years or ADMIN_YEARS).check_year(int(text))


def parse_id(text: str) -> int:
    """A database id: 1 to DB_INT_MAX, in ASCII digits."""
    return parse_int(text, 1, DB_INT_MAX)


def parse_decimal(value: Any) -> Decimal:
    """A number from text (ASCII digits, optional sign, thousands commas, decimals) or a JSON number; finite."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise BadInput('应为数字（可写成字符串，如 "1200.5"）')
    if isinstance(value, str) and "," in value:
        if not _GROUPED.fullmatch(value):
            raise BadInput(
                f"“{shown(value)}”的千位分隔不正确：逗号应每三位数字一个，如 1,260 或 12,345.6"
            )
        value = value.replace(",", "")
    if isinstance(value, str) and not _DECIMAL.fullmatch(value):
        raise BadInput(f"“{shown(value)}”不是有效的数字，应为半角数字，如 1200.5")
    try:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise BadInput(f"“{shown(str(value))}”不是有效的数字") from None
    if not number.is_finite():
        raise BadInput("不能是 NaN 或无穷大")
    return number


def amount_problem(value: Decimal) -> str | None:
    """Why ``value`` cannot be an amount in 万元 (sign, decimals, what the column holds), or None."""
    if not value.is_finite():
        return "不能是 NaN 或无穷大"
    if value.is_signed():  # -0 too: a minus sign is no amount
        return "金额不能为负数"
    if value > MONEY_MAX:
        return f"不能超过 {MONEY_MAX:,f} 万元"
    if value.as_tuple().exponent < -MONEY_SCALE:  # type: ignore[operator]
        return f"金额最多保留{MONEY_SCALE}位小数（万元）"
    return None


def json_problem(value: Any, max_depth: int = JSON_MAX_DEPTH) -> tuple[str, str] | None:
    """(top-level field, reason) for the first thing in parsed JSON that cannot be taken, or None.

    Nesting deeper than ``max_depth``, and keys or strings with NUL or lone surrogates: refused
    wherever they are, before any of it reaches a service or the database. Iterative, so deep
    input cannot exhaust the stack.
    """
    stack: list[tuple[Any, int, str]] = [(value, 1, "")]
    while stack:
        item, depth, top = stack.pop()
        if isinstance(item, dict | list) and depth > max_depth:
            return top, f"嵌套层数超过{max_depth}层"
        if isinstance(item, dict):
            for key, child in item.items():
                where = top or shown(str(key))
                if _unstorable(str(key)):
                    return where, "字段名含有不允许的字符"
                stack.append((child, depth + 1, where))
        elif isinstance(item, list):
            stack.extend((child, depth + 1, top) for child in item)
        elif isinstance(item, str) and _unstorable(item):
            return top, text_problem(item) or "含有不允许的字符"
    return None


def year_pattern(first: int, last: int) -> str:
    """A regex alternation of the four-digit years first..last, whole decades and centuries grouped."""
    parts: list[str] = []
    year = first
    while year <= last:
        if year % 100 == 0 and year + 99 <= last:
            parts.append(f"{year // 100}[0-9]{{2}}")
            year += 100
        elif year % 10 == 0 and year + 9 <= last:
            parts.append(f"{year // 10}[0-9]")
            year += 10
        else:
            parts.append(str(year))
            year += 1
    return "|".join(parts)


def _unstorable(text: str) -> bool:
    return "\x00" in text or _SURROGATE.search(text) is not None


def shown(text: str) -> str:
    """Typed text fit to repeat in a message: controls and surrogates out, at most 40 characters."""
    shown = _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))
    return shown if len(shown) <= 40 else shown[:40] + "…"
