"""The profile's automatic first step (LP13): notices for new warnings, one per project matter.

Where the profile allows it (``triage.auto_notice``), the queued warnings of each project
that has no open case get their notice at once, on the profile's template with the
proposed unit, numbered and logged as issued by the key office; the rest (portfolio
warnings, projects with an open case to merge into) wait in the key office's triage.
Elsewhere every new warning waits in triage (LP13: the office sorts them first).

One loop, a batch of projects per transaction, for every caller: the CLI and the worker
commit each batch (a crash keeps what was committed, and the next run finishes the rest); a
scan inside one transaction uses a savepoint per batch. A deadline in a year without
holiday data stops the loop with its message, and the warnings wait for the year (X5).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from keyproj.codes import CaseStatus, Lane
from keyproj.db.models import Case, EarlyWarning
from keyproj.errors import CalendarYearMissing
from keyproj.policy import PolicyProfile
from keyproj.rules.base import among, chunks
from keyproj.services.cases.events import OfficeActor
from keyproj.services.cases.lanes import office_units
from keyproj.services.triage.notices import Selected, by_project, issue_matters, proposed_form
from keyproj.services.triage.queue import queued

log = logging.getLogger(__name__)
CASE_BATCH = 200  # projects a transaction: bounds the work a crash loses and the locks held
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
    """Issue the automatic notices of every project matter waiting, ``batch`` projects per
    ``transaction()``; nothing where the profile leaves the first step to the key office.

    Resumable: each round selects the projects still waiting, so a round another process
    finished is not repeated. A year without holiday data ends the loop; the batches before
    it stay. Each round goes on after the last project the round before looked at; the loop
    ends when a round from the first project starts none.
    """
    if not profile.triage.auto_notice:
        return Started(0)
    started = 0
    after: int | None = None
    while True:
        try:
            with transaction() as session:
                count, looked, last = _start_round(session, profile, now(), batch, after)
        except CalendarYearMissing as exc:
            log.warning("自动发出预警催办通知未完成：%s", exc)
            return Started(started, str(exc))
        if after is None and count == 0:  # from the first project on, nothing (more) to start
            return Started(started)
        # Past the last project (a round found fewer than a batch) the next looks from the first.
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
    """The automatic notices of the projects of these warnings (all waiting when None), where
    the profile allows them; how many cases started."""
    if not profile.triage.auto_notice:
        return 0
    return _start_round(session, profile, now, limit, None, warning_ids)[0]


def _start_round(
    session: Session,
    profile: PolicyProfile,
    now: datetime,
    limit: int | None,
    after: int | None,
    warning_ids: Sequence[int] | None = None,
) -> tuple[int, int, int | None]:
    """Issue the notices of projects waiting (after the project ``after``, ``limit`` of them at
    most); how many cases started, how many projects were looked at, and the last of them."""
    other = aliased(EarlyWarning)
    open_case = (
        exists()
        .where(Case.warning_id == other.id, Case.status == CaseStatus.OPEN)
        .where(other.project_id == EarlyWarning.project_id)
    )
    query = (
        select(EarlyWarning.project_id)
        .where(queued(), EarlyWarning.project_id.is_not(None), ~open_case)
        .group_by(EarlyWarning.project_id)
        .order_by(EarlyWarning.project_id)
    )
    if after is not None:
        query = query.where(EarlyWarning.project_id > after)
    if warning_ids is not None:
        query = query.where(among(EarlyWarning.id, list(warning_ids)))
    if limit is not None:
        query = query.limit(limit)
    projects = [p for p in session.scalars(query) if p is not None]
    started = 0
    for part in chunks(projects, CASE_BATCH):
        warnings = list(
            session.scalars(
                select(EarlyWarning)
                .where(queued(), among(EarlyWarning.project_id, part))
                .order_by(EarlyWarning.id)
                .with_for_update(skip_locked=True)  # a scan beside this one takes the others
            )
        )
        started += _start_batch(session, warnings, profile, now)
    return started, len(projects), (projects[-1] if projects else None)


def _start_batch(
    session: Session, warnings: list[EarlyWarning], profile: PolicyProfile, now: datetime
) -> int:
    """One notice per project, as the key office; if another scan started one meanwhile
    (SQLite has no row locks), this batch is left to it."""
    if not warnings:
        return 0
    units = office_units(session, Lane.KEY_OFFICE)
    actor = OfficeActor(units[0] if units else None)
    selected = [
        Selected(ws, proposed_form(session, profile, ws)) for ws in by_project(warnings).values()
    ]
    try:
        with session.begin_nested():
            return len(issue_matters(session, actor, selected, profile, now))
    except IntegrityError:
        return 0
