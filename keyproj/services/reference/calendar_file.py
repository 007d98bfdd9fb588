"""A year's holidays and make-up working days imported from a CSV file (X5, docs/calendar.md).

A file replaces each year it names, so it must hold the whole year: a year is taken from the
file only when the file has at least as many holiday days for it as the national holidays
everyone has off that year (全国年节及纪念日放假办法: 13 days from 2025, 11 from 2008, 10
before). The State Council's notice always lists more (the weekends inside each break), so a
real schedule passes and a file of a few corrections does not: those go through ``set_day``,
or replace the year with ``replace=True`` after a preview of what would change.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import DayKind
from keyproj.db.models import CalendarDay, CalendarYear
from keyproj.errors import FieldError, ValidationError
from keyproj.inputs import text_problem
from keyproj.services.reference.calendar import replace_year
from keyproj.services.textfile import UnreadableText, decode_text

KIND_WORDS = {
    "holiday": DayKind.HOLIDAY,
    "休": DayKind.HOLIDAY,
    "假": DayKind.HOLIDAY,
    "假日": DayKind.HOLIDAY,
    "节假日": DayKind.HOLIDAY,
    "放假": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY,
    "班": DayKind.WORKDAY,
    "上班": DayKind.WORKDAY,
    "调休上班": DayKind.WORKDAY,
    "补班": DayKind.WORKDAY,
}
HEADERS = (["日期", "类型"], ["date", "kind"])
FIRST_YEAR, LAST_YEAR = 2000, 2100
NAME_LENGTH = 50  # calendar_days.name
MAX_ERRORS = 50  # a file wrong on every line is reported by its first lines
LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the breaks an editor counts, and no others


@dataclass(frozen=True)
class Entry:
    """One day of the file, with the file's own line number."""

    line: int
    day: date
    kind: DayKind
    name: str


@dataclass(frozen=True)
class DayChange:
    """A day the import changes: ``before`` None is added, ``after`` None removed."""

    day: date
    before: DayKind | None
    after: DayKind | None
    name: str | None


@dataclass(frozen=True)
class YearPlan:
    """What the file holds for one year and what importing it would change."""

    year: int
    entries: tuple[Entry, ...]
    changes: tuple[DayChange, ...]
    loaded: bool  # the year is in the calendar already
    holidays: int
    required: int

    @property
    def covers(self) -> bool:
        """True when the file holds a whole year's schedule (see the module's docstring)."""
        return self.holidays >= self.required

    def count(self, what: str) -> int:
        """How many days are ``added``, ``removed`` or ``changed``."""
        return sum(1 for c in self.changes if _what(c) == what)


@dataclass(frozen=True)
class CalendarImport:
    """The years of a file and, for each, what importing it would change."""

    years: tuple[YearPlan, ...]

    @property
    def partial(self) -> list[YearPlan]:
        """The years the file does not cover."""
        return [y for y in self.years if not y.covers]


def statutory_holidays(year: int) -> int:
    """The days off of the national holidays everyone has (全国年节及纪念日放假办法) in ``year``."""
    if year >= 2025:
        return 13  # 国务院令第795号: one more day at the Spring Festival and on Labour Day
    if year >= 2008:
        return 11  # 国务院令第513号
    return 10


def preview(session: Session, data: bytes | str) -> CalendarImport:
    """Read the file and compare each of its years with the calendar; nothing is written."""
    by_year: dict[int, list[Entry]] = {}
    for entry in read_entries(data):
        by_year.setdefault(entry.day.year, []).append(entry)
    return CalendarImport(tuple(_plan_year(session, y, e) for y, e in sorted(by_year.items())))


def apply(session: Session, plan: CalendarImport, replace: bool = False) -> list[int]:
    """Replace each year of ``plan``; a year the file does not cover only with ``replace``."""
    if plan.partial and not replace:
        raise ValidationError([_partial_error(y) for y in plan.partial])
    for year in plan.years:
        rows = [(e.day, e.kind, e.name) for e in year.entries]
        replace_year(session, year.year, rows, source="import")
    return [y.year for y in plan.years]


def import_file(session: Session, data: bytes | str, replace: bool = False) -> list[int]:
    """Load whole years from a CSV file (``日期,类型,名称``); returns the years replaced.

    A bad line imports nothing; so does a year the file does not cover, unless ``replace``.
    """
    return apply(session, preview(session, data), replace)


def read_entries(data: bytes | str) -> list[Entry]:
    """The file's days; any bad line refuses the file, naming the line as an editor counts it."""
    try:
        text = decode_text(data) if isinstance(data, bytes) else data.lstrip("\ufeff")
    except UnreadableText as exc:
        raise ValidationError.single("file", "文件", str(exc)) from None
    entries: list[Entry] = []
    errors: list[FieldError] = []
    seen: dict[date, int] = {}
    header = False
    for number, line in enumerate(LINE_BREAK.split(text), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            cells = [c.strip() for c in next(csv.reader([line]))] + ["", "", ""]
        except csv.Error as exc:
            errors.append(FieldError("file", "文件", f"第{number}行：不是有效的 CSV 行（{exc}）"))
            continue
        if not header:
            _check_header(number, cells)
            header = True
            continue
        entry = _entry(number, cells, seen, errors)
        if entry is not None:
            entries.append(entry)
        if len(errors) >= MAX_ERRORS:
            errors.append(FieldError("file", "文件", f"错误超过{MAX_ERRORS}处，其余各行未再检查"))
            break
    if errors:
        raise ValidationError(errors)
    if not entries:
        raise ValidationError.single("file", "文件", "没有任何日期行")
    return entries


def _check_header(number: int, cells: list[str]) -> None:
    if [c.lower() for c in cells[:2]] not in HEADERS:
        raise ValidationError.single(
            "file", "文件", f"第{number}行应为表头：日期,类型,名称（或 date,kind,name）"
        )


def _entry(
    number: int, cells: list[str], seen: dict[date, int], errors: list[FieldError]
) -> Entry | None:
    """The day of one line, or None after noting the line's problem."""
    try:
        day = datetime.strptime(cells[0], "%Y-%m-%d").date()
    except ValueError:
        errors.append(FieldError("date", "日期", f"第{number}行：“{cells[0]}”不是 YYYY-MM-DD 日期"))
        return None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        reason = f"第{number}行：{day} 不在{FIRST_YEAR}至{LAST_YEAR}年之间"
        errors.append(FieldError("date", "日期", reason))
        return None
    kind = KIND_WORDS.get(cells[1].lower())
    if kind is None:
        reason = f"第{number}行：“{cells[1]}”应为 放假/holiday 或 调休上班/workday"
        errors.append(FieldError("kind", "类型", reason))
        return None
    if day in seen:
        errors.append(FieldError("date", "日期", f"第{number}行：{day} 与第{seen[day]}行重复"))
        return None
    problem = text_problem(cells[2])
    if problem:
        errors.append(FieldError("name", "名称", f"第{number}行：{problem}"))
        return None
    if len(cells[2]) > NAME_LENGTH:
        errors.append(FieldError("name", "名称", f"第{number}行：名称不能超过{NAME_LENGTH}个字符"))
        return None
    seen[day] = number
    return Entry(number, day, kind, cells[2])


def _plan_year(session: Session, year: int, entries: list[Entry]) -> YearPlan:
    stored = {
        d.day: d for d in session.scalars(select(CalendarDay).where(CalendarDay.year == year))
    }
    wanted = {e.day: e for e in entries}
    changes = [
        DayChange(day, d.kind, None, d.name) for day, d in stored.items() if day not in wanted
    ]
    for day, e in wanted.items():
        before = stored.get(day)
        if before is None or before.kind != e.kind or (before.name or "") != e.name:
            changes.append(DayChange(day, before.kind if before else None, e.kind, e.name))
    return YearPlan(
        year,
        tuple(entries),
        tuple(sorted(changes, key=lambda c: c.day)),
        loaded=session.get(CalendarYear, year) is not None,
        holidays=sum(1 for e in entries if e.kind == DayKind.HOLIDAY),
        required=statutory_holidays(year),
    )


def _what(change: DayChange) -> str:
    if change.before is None:
        return "added"
    return "removed" if change.after is None else "changed"


def _partial_error(year: YearPlan) -> FieldError:
    removed = year.count("removed")
    loss = f"整年替换将删除已有的{removed}天；" if removed else ""
    return FieldError(
        "file",
        "文件",
        f"{year.year}年：文件中只有放假{year.holidays}天，少于该年法定节假日{year.required}天，"
        f"不是完整的全年安排，未导入。{loss}"
        "个别日期请用 keyproj calendar set 更正；确需以此文件整年替换，"
        "请先用 --dry-run 查看变化，再加 --replace 导入",
    )
