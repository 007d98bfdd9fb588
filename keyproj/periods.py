r"""Reporting and plan periods: keys such as 2026-03, 2026-03-1 (half month), 2026-W12, 2026-Q1,
and 2026 for a whole year (the year-end evaluation, GS8, AL13).

Keys are ASCII: ``[0-9]``, never ``\d``, which would take ``２０２６-11`` and store it as typed,
beside (not instead of) the locked ``2026-11``. Typed keys lie in ``ADMIN_YEARS``.
"""

from __future__ import annotations

import calendar as stdcal
import re
from dataclasses import dataclass
from datetime import date, timedelta

from keyproj.errors import ValidationError
from keyproj.inputs import ADMIN_YEARS, BadInput
from keyproj.policy.model import Reporting

CYCLE_LABELS = {
    "monthly": "月报",
    "semimonthly": "半月报",
    "weekly": "周报",
    "quarterly": "季度",
    "yearly": "年度",
}
# What follows the year in a key of each cycle (ASCII digits only), and an example.
SUFFIXES = {
    "monthly": (r"-(0[1-9]|1[0-2])", "2026-03"),
    "semimonthly": (r"-(0[1-9]|1[0-2])-([12])", "2026-03-1（上半月）或 2026-03-2"),
    "weekly": (r"-W(0[1-9]|[1-4][0-9]|5[0-3])", "2026-W12"),
    "quarterly": (r"-Q([1-4])", "2026-Q1"),
    "yearly": ("", "2026"),
}
_PATTERNS = {
    cycle: (re.compile(f"^([0-9]{{4}}){suffix}$"), example)
    for cycle, (suffix, example) in SUFFIXES.items()
}
# Any cycle's key, or a bare year (warnings fed back for a whole year, LP12).
_ANY_KEY = re.compile(f"^([0-9]{{4}})({'|'.join(s for s, _ in SUFFIXES.values() if s)})?$")


@dataclass(frozen=True, order=True)
class Period:
    """A period of a cycle, with its first and last day."""

    start: date
    end: date
    cycle: str
    key: str

    @property
    def label(self) -> str:
        """A Chinese label such as 2026年3月 or 2026年第12周."""
        if self.cycle == "monthly":
            return f"{self.start.year}年{self.start.month}月"
        if self.cycle == "semimonthly":
            half = "上" if self.start.day == 1 else "下"
            return f"{self.start.year}年{self.start.month}月{half}半月"
        if self.cycle == "weekly":
            return f"{self.key[:4]}年第{int(self.key[6:])}周"
        if self.cycle == "yearly":
            return f"{self.start.year}年"
        return f"{self.start.year}年第{self.key[-1]}季度"


def parse(cycle: str, key: str, field: str = "period") -> Period:
    """The period ``key`` of ``cycle``; a malformed key, or one outside ADMIN_YEARS, is a ValidationError on ``field``."""
    regex, example = _PATTERNS[cycle]
    match = regex.fullmatch(key or "") if isinstance(key, str) else None
    if not match:
        raise ValidationError.single(
            field,
            "期次",
            f"“{_shown(key)}”格式不正确，{CYCLE_LABELS[cycle]}期次应如 {example}（半角数字）",
        )
    try:
        ADMIN_YEARS.check_year(int(match.group(1)))
    except BadInput as exc:
        raise ValidationError.single(field, "期次", f"“{key}”：{exc}") from None
    return _period(cycle, key, match, field)


def check_key(key: str, field: str = "period") -> str:
    """``key`` when it is a period of any cycle or a bare year, in ASCII digits within ADMIN_YEARS."""
    match = _ANY_KEY.fullmatch(key)
    if not match:
        raise ValidationError.single(
            field, "期次", f"“{_shown(key)}”不是期次，应如 2026-03、2026-03-1、2026-W12、2026-Q1"
        )
    try:
        ADMIN_YEARS.check_year(int(match.group(1)))
    except BadInput as exc:
        raise ValidationError.single(field, "期次", f"“{key}”：{exc}") from None
    return key


def _period(cycle: str, key: str, match: re.Match[str], field: str = "period") -> Period:
    """The period of a key that matched its cycle's pattern."""
    year = int(match.group(1))
    if cycle == "monthly":
        month = int(match.group(2))
        return Period(date(year, month, 1), _month_end(year, month), cycle, key)
    if cycle == "semimonthly":
        month, half = int(match.group(2)), int(match.group(3))
        start = date(year, month, 1 if half == 1 else 16)
        end = date(year, month, 15) if half == 1 else _month_end(year, month)
        return Period(start, end, cycle, key)
    if cycle == "weekly":
        try:
            start = date.fromisocalendar(year, int(match.group(2)), 1)
        except ValueError:
            raise ValidationError.single(
                field, "期次", f"{year}年没有第{match.group(2)}周"
            ) from None
        return Period(start, start + timedelta(days=6), cycle, key)
    if cycle == "yearly":
        return Period(date(year, 1, 1), date(year, 12, 31), cycle, key)
    quarter = int(match.group(2))
    return Period(date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter), cycle, key)


def last_ended(cycle: str, day: date) -> Period:
    """The newest period of ``cycle`` that has ended before the one containing ``day``."""
    return containing(cycle, containing(cycle, day).start - timedelta(days=1))


def containing(cycle: str, day: date) -> Period:
    """The period of ``cycle`` that contains ``day``."""
    if cycle == "monthly":
        key = f"{day.year:04d}-{day.month:02d}"
    elif cycle == "semimonthly":
        key = f"{day.year:04d}-{day.month:02d}-{1 if day.day <= 15 else 2}"
    elif cycle == "weekly":
        iso = day.isocalendar()
        key = f"{iso.year:04d}-W{iso.week:02d}"
    elif cycle == "yearly":
        key = f"{day.year:04d}"
    else:
        key = f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    # A computed key needs no year check: the day itself was checked where it came in.
    match = _PATTERNS[cycle][0].fullmatch(key)
    assert match is not None
    return _period(cycle, key, match)


def of_year(cycle: str, year: int) -> list[Period]:
    """Every period of ``cycle`` that starts in ``year``, in order."""
    out: list[Period] = []
    day = date(year, 1, 1)
    if cycle == "weekly":
        day = date.fromisocalendar(year, 1, 1)
    while True:
        period = containing(cycle, day)
        if period.start.year > year or (cycle == "weekly" and int(period.key[:4]) > year):
            return out
        if not out or out[-1] != period:
            out.append(period)
        day = period.end + timedelta(days=1)


def due_date(period: Period, reporting: Reporting) -> date:
    """The day by which the report for ``period`` is due under the profile (LP8, AL6, HD2, GS1)."""
    if period.cycle == "weekly":
        return period.start + timedelta(days=(reporting.due_weekday or 5) - 1)
    if period.cycle == "semimonthly":
        half = 0 if period.start.day == 1 else 1
        return period.start.replace(day=reporting.due_days[half])
    year, month = period.start.year, period.start.month
    if reporting.due_in_next_month:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return date(year, month, reporting.due_days[0])


def _shown(key: object) -> str:
    text = key if isinstance(key, str) else repr(key)
    return "".join(c for c in text[:40] if c.isprintable())


def _month_end(year: int, month: int) -> date:
    return date(year, month, stdcal.monthrange(year, month)[1])
