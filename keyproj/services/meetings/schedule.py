"""A meeting series' dates in a year, from its cadence and the working-day calendar (pure)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from keyproj.calendar import WorkCalendar
from keyproj.policy.meetings import MeetingSeries


@dataclass(frozen=True)
class Slot:
    """One meeting of a series: the day its cadence names and the day it is held."""

    nominal: date
    on: date
    # Earlier cadence days whose meetings a holiday moved onto this one (held together).
    merged: tuple[date, ...] = ()

    @property
    def moved(self) -> bool:
        """True when a holiday moved the meeting off its cadence day."""
        return self.nominal != self.on


def year_schedule(series: MeetingSeries, calendar: WorkCalendar, year: int) -> list[Slot]:
    """Every meeting of ``series`` whose cadence day falls in ``year``, moved by its holiday rule.

    Two meetings a long holiday moves onto the same day are one meeting (GS1's weekly meetings
    of 16 and 23 February 2026 both fall after the Spring Festival, on the 24th).
    """
    by_day: dict[date, list[date]] = {}
    for day in cadence_days(series, year):
        by_day.setdefault(held_on(series, calendar, day), []).append(day)
    return [Slot(days[-1], on, tuple(days[:-1])) for on, days in sorted(by_day.items())]


def cadence_days(series: MeetingSeries, year: int) -> list[date]:
    """The days the cadence names in ``year``, before any holiday moves them."""
    return sorted(_days(series, year))


def held_on(series: MeetingSeries, calendar: WorkCalendar, day: date) -> date:
    """The day a meeting due on ``day`` is held: a working day unless the rule keeps it."""
    if series.holiday == "keep" or calendar.is_working_day(day):
        return day
    step = timedelta(days=1 if series.holiday == "next_working_day" else -1)
    moved = day + step
    while not calendar.is_working_day(moved):
        moved += step
    return moved


def ask_on(series: MeetingSeries, calendar: WorkCalendar, meeting_on: date) -> date | None:
    """The working day the office asks the units for agenda items (DC3: 每月20日前后)."""
    rule = series.agenda
    if rule is None:
        return None
    if rule.ask_day_of_previous_month is not None:
        before = meeting_on.replace(day=1) - timedelta(days=1)
        day = before.replace(day=rule.ask_day_of_previous_month)
    else:
        day = meeting_on - timedelta(days=rule.ask_days_before or 0)
    return _working_on_or_before(calendar, day)


def due_on(series: MeetingSeries, meeting_on: date) -> date | None:
    """The last day for the units' items (DC3: 月例会前一周 = 7 days before the meeting)."""
    if series.agenda is None:
        return None
    return meeting_on - timedelta(days=series.agenda.due_days_before)


def remind_on(series: MeetingSeries, meeting_on: date) -> date | None:
    """The day units that have not submitted are reminded."""
    due = due_on(series, meeting_on)
    if due is None or series.agenda is None:
        return None
    return due - timedelta(days=series.agenda.remind_days_before_due)


def _working_on_or_before(calendar: WorkCalendar, day: date) -> date:
    # "前后": a holiday brings the request forward, so the units keep their whole time.
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def _days(series: MeetingSeries, year: int) -> Iterator[date]:
    kind = series.cadence
    if kind == "weekly":
        yield from _weekdays(year, series.weekday or 1, date(year, 1, 1), 7)
    elif kind == "weeks":
        assert series.anchor is not None
        assert series.every is not None
        yield from _fortnights(year, series.anchor, series.every)
    elif kind == "monthly_weekday":
        for month in range(1, 13):
            yield _nth_weekday(year, month, series.nth or 1, series.weekday or 1)
    elif kind == "monthly_day":
        for month in range(1, 13):
            yield date(year, month, series.day or 1)
    else:
        every = 3 if kind == "quarterly" else series.every or 1
        first = series.first_month or 1
        # quarterly: the same month of every quarter; months: from first_month to December.
        start = (first - 1) % every + 1 if kind == "quarterly" else first
        for month in range(start, 13, every):
            yield date(year, month, series.day or 1)


def _weekdays(year: int, weekday: int, start: date, step: int) -> Iterator[date]:
    day = start + timedelta(days=(weekday - 1 - start.weekday()) % 7)
    while day.year == year:
        yield day
        day += timedelta(days=step)


def _fortnights(year: int, anchor: date, every: int) -> Iterator[date]:
    # Counted from the anchor both ways, so a year before the anchor has its meetings too.
    step = timedelta(weeks=every)
    first = date(year, 1, 1)
    offset = (first - anchor).days % step.days
    day = first + timedelta(days=(step.days - offset) % step.days)
    while day.year == year:
        yield day
        day += step


def _nth_weekday(year: int, month: int, nth: int, weekday: int) -> date:
    first = date(year, month, 1)
    day = first + timedelta(days=(weekday - 1 - first.weekday()) % 7)
    return day + timedelta(weeks=nth - 1)  # nth ≤ 4: every month has four of each weekday
