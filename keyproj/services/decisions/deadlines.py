"""A decided item's deadline and its reminder as the diagram's timers read them (Beijing times).

The deadline is the end of the item's due day; the reminder is the start of the working day
the profile's working days before it (holidays skipped by the working calendar, X5).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from keyproj.calendar import END_OF_DAY, WorkCalendar
from keyproj.clock import BEIJING

REMIND_AT = time(9, 0)  # the morning of the reminding day, when the office's day begins


def working_day_before(calendar: WorkCalendar, day: date, n: int) -> date:
    """The n-th working day strictly before ``day``."""
    counted = 0
    while counted < n:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def item_deadlines(calendar: WorkCalendar, due_on: date, remind_days: int) -> dict[str, Any]:
    """The case data of a deadline: ``item_due`` and ``item_remind_at`` (ISO, +08:00)."""
    remind_on = working_day_before(calendar, due_on, remind_days)
    return {
        "due_on": due_on.isoformat(),
        "item_due": datetime.combine(due_on, END_OF_DAY, tzinfo=BEIJING).isoformat(),
        "item_remind_at": datetime.combine(remind_on, REMIND_AT, tzinfo=BEIJING).isoformat(),
    }
