"""The engine's clock: SpiffWorkflow's timers read the time through it.

SpiffWorkflow compares timers with ``datetime.now`` inside its timer module, whenever a
timer is first reached and at every refresh. Replaying a case later, at a different wall
time, would then take different paths. Routing that one read through a context variable
lets a live step use the real time and a replayed step use the time recorded in the log.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, tzinfo

from SpiffWorkflow.bpmn.specs.event_definitions import timer as _spiff_timer

_engine_now: ContextVar[datetime | None] = ContextVar("engine_now", default=None)


class _EngineDatetime(datetime):
    """``datetime`` whose ``now`` is the engine's clock while one is set."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _EngineDatetime:
        moment = _engine_now.get()
        if moment is None:
            moment = datetime.now(tz)
        elif tz is not None:
            moment = moment.astimezone(tz)
        return cls.fromtimestamp(moment.timestamp(), moment.tzinfo)


_spiff_timer.datetime = _EngineDatetime


def engine_now() -> datetime:
    """The engine's now: the moment of the step running, else the wall clock (UTC)."""
    moment = _engine_now.get()
    return moment if moment is not None else datetime.now(UTC)


@contextmanager
def engine_time(moment: datetime) -> Iterator[None]:
    """Run engine steps as if it were ``moment`` (UTC-aware or offset-aware)."""
    if moment.tzinfo is None:
        raise ValueError("the engine clock needs an aware datetime")
    token = _engine_now.set(moment)
    try:
        yield
    finally:
        _engine_now.reset(token)
