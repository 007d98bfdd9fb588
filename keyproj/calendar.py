"""Working-day arithmetic (X5): Chinese statutory holidays and make-up working days (调休).

The calendar is data (see ``keyproj.services.reference.calendar``); this module only computes with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from keyproj.clock import BEIJING, beijing_date
from keyproj.errors import CalendarYearMissing

END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True)
class WorkCalendar:
    """The known years, and the days in them that break the Monday–Friday rule."""

    years: frozenset[int]
    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def build(
        cls, years: Iterable[int], holidays: Iterable[date], workdays: Iterable[date]
    ) -> WorkCalendar:
        """A calendar from plain collections."""
        return cls(frozenset(years), frozenset(holidays), frozenset(workdays))

    def is_working_day(self, day: date) -> bool:
        """True on a working day; a year without data raises CalendarYearMissing."""
        if day.year not in self.years:
            raise CalendarYearMissing(day.year)
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day strictly after ``start`` (``start`` itself when n is 0)."""
        if n < 0:
            raise ValueError("the number of working days cannot be negative")
        day = start
        counted = 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie after ``start`` up to and including ``end`` (negative if end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1
            for i in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=i))
        )

    def deadline(self, notice: datetime, n: int) -> datetime:
        """End of the n-th working day after the notice's Beijing date: 23:59:59 Beijing time.

        The notice day itself does not count (X5); a UTC input is first read as Beijing time.
        """
        last_day = self.add_working_days(beijing_date(notice), n)
        return datetime.combine(last_day, END_OF_DAY, tzinfo=BEIJING)
