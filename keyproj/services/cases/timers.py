"""The timer sweep: fire the timers that are due, reading only cases whose next timer is due.

Several sweeps can share the due cases by case id (``Shard``): the workers' processes then
fire a large county's timers side by side, each sweep on its own part (X6, LP17).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from keyproj.codes import CaseStatus
from keyproj.db.models import Case
from keyproj.errors import Conflict
from keyproj.services.cases import repository, step
from keyproj.services.cases.collector import collection_paused


@dataclass(frozen=True)
class Shard:
    """Part ``index`` of ``of``: the cases whose id leaves ``index`` when divided by ``of``."""

    index: int = 0
    of: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.index < self.of:
            raise ValueError(f"sweep shard {self.index} of {self.of}: needs 0 <= index < of")


WHOLE = Shard()  # one sweep for every case


@dataclass(frozen=True)
class SweepResult:
    """How many cases were looked at, how many timers fired, how many cases another sweep had."""

    cases: int
    timers: int
    skipped: int


def due_case_ids(session: Session, now: datetime, limit: int, shard: Shard = WHOLE) -> list[int]:
    """Open cases of ``shard`` whose next timer is due (uses the next_timer_at index).

    A timer fires strictly after its time (SpiffWorkflow; the deadline's last second counts),
    so a case whose timer is due at exactly ``now`` is not due yet: taking it would fire
    nothing and leave it due, and the sweep would take it again and again.
    """
    query = select(Case.id).where(Case.next_timer_at < now, Case.status == CaseStatus.OPEN)
    if shard.of > 1:
        query = query.where(Case.id % shard.of == shard.index)
    return list(session.scalars(query.order_by(Case.next_timer_at).limit(limit)))


@collection_paused()
def fire_case_timers(session: Session, case_ids: list[int], now: datetime) -> tuple[int, int]:
    """Fire the due timers of a batch of cases; (cases fired, timers fired).

    Cases another sweep holds are skipped (SKIP LOCKED), and so are cases whose timers a
    sweep beside this one already fired.
    """
    batch = [
        opened
        for opened in repository.open_cases(session, case_ids, now)
        if opened.case.status == CaseStatus.OPEN
        and opened.case.next_timer_at is not None
        and opened.case.next_timer_at < now
    ]
    timers = sum(len(step.fire_timers(session, opened).timers) for opened in batch)
    repository.save_batch(session, batch)
    return len(batch), timers


def sweep(
    factory: sessionmaker[Session],
    now: datetime,
    batch: int = 200,
    limit: int = 100_000,
    shard: Shard = WHOLE,
) -> SweepResult:
    """Fire every due timer of ``shard``, ``batch`` cases per transaction; safe to run beside
    another sweep.

    PostgreSQL locks each case with SKIP LOCKED, so two sweeps of one shard share the work;
    elsewhere the version check makes a second writer fail, and that batch is retried case by
    case. Sweeps of different shards never meet.
    """
    cases = timers = skipped = 0
    while cases + skipped < limit:
        with factory() as session:
            ids = due_case_ids(session, now, batch, shard)
        if not ids:
            break
        done, fired, missed = _sweep_batch(factory, ids, now)
        cases, timers, skipped = cases + done, timers + fired, skipped + missed
        if done == 0:
            break  # everything due is held by another sweep
    return SweepResult(cases, timers, skipped)


def _sweep_batch(
    factory: sessionmaker[Session], ids: list[int], now: datetime
) -> tuple[int, int, int]:
    try:
        with factory() as session, session.begin():
            done, fired = fire_case_timers(session, ids, now)
        return done, fired, len(ids) - done
    except Conflict:
        results = [_sweep_one(factory, case_id, now) for case_id in ids]
        return (
            sum(r[0] for r in results),
            sum(r[1] for r in results),
            sum(1 - r[0] for r in results),
        )


def _sweep_one(factory: sessionmaker[Session], case_id: int, now: datetime) -> tuple[int, int]:
    try:
        with factory() as session, session.begin():
            return fire_case_timers(session, [case_id], now)
    except Conflict:
        return 0, 0
