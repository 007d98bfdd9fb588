"""How a task's deadline stands, in working days (X5), as the inbox, case and task pages say it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from keyproj.calendar import WorkCalendar
from keyproj.clock import beijing_date
from keyproj.errors import CalendarYearMissing


@dataclass(frozen=True)
class Deadline:
    """A deadline as the pages show it: the moment, whether it passed, and working days left."""

    due_at: datetime | None
    overdue: bool
    text: str


def deadline_status(
    calendar: WorkCalendar | None, due_at: datetime | None, now: datetime
) -> Deadline:
    """How a deadline stands now, counted in working days (X5; today itself not counted)."""
    if due_at is None:
        return Deadline(None, False, "无期限")
    if due_at < now:
        text = "已逾期"
        if calendar is not None:
            days = _working_days(calendar, beijing_date(due_at), beijing_date(now))
            if days:
                text = f"已逾期{days}个工作日"
        return Deadline(due_at, True, text)
    today, last = beijing_date(now), beijing_date(due_at)
    if last == today:
        return Deadline(due_at, False, "今日截止")
    if calendar is None:
        return Deadline(due_at, False, "工作日历未载入")
    days = _working_days(calendar, today, last)
    if days is None:
        return Deadline(due_at, False, f"{last.year}年节假日安排未录入，无法计算工作日")
    return Deadline(due_at, False, f"剩余{days}个工作日")


def _working_days(calendar: WorkCalendar, start: date, end: date) -> int | None:
    try:
        return calendar.working_days_between(start, end)
    except CalendarYearMissing:
        return None
