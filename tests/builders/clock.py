"""Beijing time for tests: moments, and a frozen clock to walk a case through time (never sleep)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import time_machine

from keyproj.clock import BEIJING


def bj(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """A Beijing moment, e.g. ``bj(2026, 2, 12, 9)`` for 12 February 2026 at 09:00."""
    return datetime(year, month, day, hour, minute, second, tzinfo=BEIJING)


def beijing(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A Beijing moment on ``day`` (09:00 unless told)."""
    return datetime.combine(day, time(hour, minute), tzinfo=BEIJING)


class FrozenClock:
    """Moves time-machine's frozen clock from moment to moment."""

    def __init__(self) -> None:
        self.traveller: Any = None

    def at(self, moment: datetime) -> datetime:
        """Freeze the clock at ``moment`` and return now, UTC-aware, as the services see it."""
        self.stop()
        self.traveller = time_machine.travel(moment, tick=False)
        self.traveller.start()
        return datetime.now(UTC)

    def stop(self) -> None:
        """Let time run again."""
        if self.traveller is not None:
            self.traveller.stop()
            self.traveller = None
