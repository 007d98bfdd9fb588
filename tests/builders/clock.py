"""A frozen clock for tests that walk a case through time (time-machine, never sleep)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import time_machine


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
