"""Time zone facts and the clock: every stored time is UTC-aware, every calendar date is Beijing's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def now_utc() -> datetime:
    """The current time, UTC-aware (time-machine controls it in tests)."""
    return datetime.now(UTC)


def beijing_date(moment: datetime | None = None) -> date:
    """The Beijing calendar date of a moment (now when omitted); naive moments are refused."""
    moment = now_utc() if moment is None else moment
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no time zone; give an offset such as +08:00")
    return moment.astimezone(BEIJING).date()


def today_beijing() -> date:
    """Today's date in Beijing."""
    return beijing_date()
