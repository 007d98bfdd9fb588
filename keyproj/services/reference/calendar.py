"""The working-day calendar as data: seeded from chinesecalendar, edited by an admin (X5).

Imports from a file are in ``calendar_file``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from keyproj.calendar import WorkCalendar
from keyproj.clock import now_utc
from keyproj.codes import DayKind
from keyproj.db.models import CalendarDay, CalendarYear
from keyproj.errors import ValidationError

HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

KIND_LABELS = DayKind.labels()


def load_calendar(session: Session) -> WorkCalendar:
    """The whole calendar from the database."""
    years = session.scalars(select(CalendarYear.year)).all()
    holidays: list[date] = []
    workdays: list[date] = []
    for day, kind in session.execute(select(CalendarDay.day, CalendarDay.kind)):
        (holidays if kind == DayKind.HOLIDAY else workdays).append(day)
    return WorkCalendar.build(years, holidays, workdays)


CalendarRevision = tuple[int, datetime | None]
# The revision as two scalar subqueries, for callers that fetch it along with other data.
REVISION_COLUMNS = (
    select(func.count(CalendarYear.year)).scalar_subquery(),
    select(func.max(CalendarYear.loaded_at)).scalar_subquery(),
)


def calendar_revision(session: Session) -> CalendarRevision:
    """A cheap fingerprint that changes whenever any year is loaded or any day corrected."""
    count, latest = session.execute(select(func.count(), func.max(CalendarYear.loaded_at))).one()
    return int(count), latest


def cached_calendar(session: Session, revision: CalendarRevision | None = None) -> WorkCalendar:
    """The calendar, rebuilt only when its revision changed (deadlines are computed often).

    ``revision`` is the current revision if the caller has read it in this transaction.
    """
    current = revision if revision is not None else calendar_revision(session)
    key = (str(session.get_bind().engine.url), current)
    found = _CACHE.get(key[0])
    if found is None or found[0] != key[1]:
        found = _CACHE[key[0]] = (key[1], load_calendar(session))
    return found[1]


_CACHE: dict[str, tuple[tuple[int, datetime | None], WorkCalendar]] = {}


def seed_from_package(session: Session) -> list[int]:
    """Add every year chinesecalendar knows that the table lacks; returns the years added.

    Years already present are left alone, so an administrator's corrections survive ``init``.
    """
    from chinese_calendar import constants  # imported here: only seeding needs the package

    known = set(session.scalars(select(CalendarYear.year)))
    days: dict[int, list[tuple[date, str, str]]] = {}
    for day, name in constants.holidays.items():
        days.setdefault(day.year, []).append((day, "holiday", HOLIDAY_NAMES.get(name, name)))
    for day, name in constants.workdays.items():
        days.setdefault(day.year, []).append((day, "workday", HOLIDAY_NAMES.get(name, name)))
    added = sorted(set(days) - known)
    for year in added:
        replace_year(session, year, days[year], source="chinesecalendar")
    return added


def set_day(session: Session, day: date, kind: str, name: str | None = None) -> None:
    """An administrator's correction: mark ``day`` a holiday, a make-up workday, or ``normal``."""
    if kind not in (DayKind.HOLIDAY, DayKind.WORKDAY, "normal"):
        raise ValidationError.single(
            "kind", "类型", "应为 holiday（放假）、workday（调休上班）或 normal"
        )
    if name is not None and len(name) > 50:
        raise ValidationError.single("name", "名称", "不能超过50个字符")
    if session.get(CalendarYear, day.year) is None:
        raise ValidationError.single(
            "day", "日期", f"{day.year}年尚无节假日数据，请先导入该年的安排"
        )
    session.execute(delete(CalendarDay).where(CalendarDay.day == day))
    year_row = session.get(CalendarYear, day.year)
    assert year_row is not None
    year_row.loaded_at = now_utc()  # changes the revision: cached calendars reload
    if kind != "normal":
        session.add(CalendarDay(day=day, year=day.year, kind=kind, name=name))
    session.flush()


def year_days(session: Session, year: int) -> list[CalendarDay]:
    """The exception days of one year, in date order."""
    return list(
        session.scalars(
            select(CalendarDay).where(CalendarDay.year == year).order_by(CalendarDay.day)
        )
    )


def replace_year(
    session: Session, year: int, entries: Iterable[tuple[date, str, str]], source: str
) -> None:
    """Make ``entries`` the whole of ``year``'s exception days, noting where they came from."""
    session.execute(delete(CalendarDay).where(CalendarDay.year == year))
    existing = session.get(CalendarYear, year)
    if existing is None:
        session.add(CalendarYear(year=year, source=source, loaded_at=now_utc()))
    else:
        existing.source, existing.loaded_at = source, now_utc()
    session.add_all(
        CalendarDay(day=day, year=year, kind=kind, name=name or None) for day, kind, name in entries
    )
    session.flush()
