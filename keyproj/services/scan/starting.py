"""Starting the cases of open warnings: one loop, a batch per transaction, for every caller.

The CLI and the worker commit each batch (a crash keeps what was committed, and the next
run finishes the rest: a warning gets one case); a scan inside one transaction uses a
savepoint per batch. A deadline in a year without holiday data stops the loop with its
message, and the warnings wait for the year's holidays (X5).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from keyproj.codes import WarningStatus
from keyproj.db.models import Case, EarlyWarning
from keyproj.errors import CalendarYearMissing, Conflict
from keyproj.policy import PolicyProfile
from keyproj.rules.base import among, chunks
from keyproj.services.cases.commands import start_case
from keyproj.services.cases.start import start_cases

log = logging.getLogger(__name__)
CASE_BATCH = 200  # cases a transaction: bounds the work a crash loses and the locks held
Transaction = Callable[[], AbstractContextManager[Session]]


@dataclass(frozen=True)
class Started:
    """How many cases the loop started, and why it stopped early (if it did)."""

    cases: int
    error: str | None = None


def start_all_missing(
    transaction: Transaction,
    profile: PolicyProfile,
    now: Callable[[], datetime],
    batch: int = CASE_BATCH,
) -> Started:
    """Start the case of every open warning without one, ``batch`` per ``transaction()``.

    Resumable: each round selects the warnings still without a case, so a round another
    process finished is not repeated. A year without holiday data ends the loop; the
    batches before it stay. Each round goes on after the last warning the round before
    looked at (looking from the first every time would pass over every warning started so
    far); the loop ends when a round from the first warning starts none.
    """
    started = 0
    after: int | None = None
    while True:
        try:
            with transaction() as session:
                count, looked, last = _start_round(session, profile, now(), batch, after)
        except CalendarYearMissing as exc:
            log.warning("启动处置案件未完成：%s", exc)
            return Started(started, str(exc))
        if after is None and count == 0:  # from the first warning on, nothing (more) to start
            return Started(started)
        # Past the last warning (a round found fewer than a batch) the next looks from the first.
        after = last if looked == batch else None
        if count:
            started += count
            log.info("已启动案件 %d 件", started)  # the integration tests wait for this line


@contextmanager
def savepoints(session: Session) -> Iterator[Session]:
    """A batch inside the caller's transaction: a failed batch rolls back alone."""
    with session.begin_nested():
        yield session


def start_missing_cases(
    session: Session,
    profile: PolicyProfile,
    now: datetime,
    warning_ids: Sequence[int] | None = None,
    limit: int | None = None,
) -> int:
    """Start the case of every open warning that has none (X1), in batches; how many started.

    On PostgreSQL the warnings are locked (SKIP LOCKED), so a scan beside this one starts
    the others.
    """
    return _start_round(session, profile, now, limit, None, warning_ids)[0]


def _start_round(
    session: Session,
    profile: PolicyProfile,
    now: datetime,
    limit: int | None,
    after: int | None,
    warning_ids: Sequence[int] | None = None,
) -> tuple[int, int, int | None]:
    """Start the cases of open warnings without one (after the warning ``after``, ``limit`` of
    them at most); how many started, how many warnings were looked at, and the last of them."""
    query = (
        select(EarlyWarning.id)
        .where(
            EarlyWarning.status == WarningStatus.OPEN,
            ~exists().where(Case.warning_id == EarlyWarning.id),
        )
        .order_by(EarlyWarning.id)
        .with_for_update(skip_locked=True)
    )
    if after is not None:
        query = query.where(EarlyWarning.id > after)
    if warning_ids is not None:
        query = query.where(among(EarlyWarning.id, list(warning_ids)))
    if limit is not None:
        query = query.limit(limit)
    found = list(session.scalars(query))
    started = 0
    for part in chunks(found, CASE_BATCH):
        warnings = list(
            session.scalars(
                select(EarlyWarning).where(among(EarlyWarning.id, part)).order_by(EarlyWarning.id)
            )
        )
        started += _start_batch(session, warnings, profile, now)
    return started, len(found), (found[-1] if found else None)


def _start_batch(
    session: Session, warnings: list[EarlyWarning], profile: PolicyProfile, now: datetime
) -> int:
    """Start a batch at once; if another scan started one of them meanwhile, the rest one by one."""
    try:
        with session.begin_nested():
            return len(start_cases(session, warnings, profile, now))
    except IntegrityError:
        pass  # SQLite has no row locks: another scan's case for one of them arrived first
    started = 0
    for warning in warnings:
        try:
            with session.begin_nested():
                start_case(session, warning, profile, now)
            started += 1
        except (Conflict, IntegrityError):
            continue
    return started
