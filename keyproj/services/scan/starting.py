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

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from keyproj.codes import CaseStatus, Lane
from keyproj.db.models import Case, EarlyWarning
from keyproj.errors import CalendarYearMissing
from keyproj.policy import PolicyProfile
from keyproj.rules.base import among, chunks
from keyproj.services.cases.events import OfficeActor
from keyproj.services.cases.lanes import office_units
from keyproj.services.triage import routing
from keyproj.services.triage.notices import (
    Selected,
    by_project,
    issue_matters,
    preload,
    proposed_form,
)
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
    it stay. Each round goes on after the last project the round before looked at; past the
    last, a new pass starts from the first, and the loop ends with a pass that starts none.
    """
    if not profile.triage.auto_notice:
        return Started(0)
    started = 0
    after: int | None = None
    started_in_pass = 0  # a pass goes from the first project waiting to the last
    while True:
        try:
            with transaction() as session:
                count, looked, last = _start_round(session, profile, now(), batch, after)
        except CalendarYearMissing as exc:
            log.warning("自动发出预警催办通知未完成：%s", exc)
            return Started(started, str(exc))
        started_in_pass += count
        if count:
            started += count
            log.info("已启动案件 %d 件", started)  # the integration tests wait for this line
        if looked == batch:
            after = last
            continue
        # Past the last project: a pass that started none ends the loop; otherwise the next
        # pass looks from the first project again (a warning reopened behind the rounds).
        if started_in_pass == 0:
            return Started(started)
        after, started_in_pass = None, 0


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
    query = (
        select(EarlyWarning.project_id)
        .where(queued(), EarlyWarning.project_id.is_not(None))
        .group_by(EarlyWarning.project_id)
        .order_by(EarlyWarning.project_id)
    )
    if after is not None:
        query = query.where(EarlyWarning.project_id > after)
    if warning_ids is not None:
        query = query.where(among(EarlyWarning.id, list(warning_ids)))
    if limit is not None:
        query = query.limit(limit)
    looked = [p for p in session.scalars(query) if p is not None]
    busy = _with_open_case(session, looked)
    projects = [p for p in looked if p not in busy]
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
    return started, len(looked), (looked[-1] if looked else None)


def _with_open_case(session: Session, projects: list[int]) -> set[int]:
    """Which of these projects have an open case (their new warnings wait in triage, to be
    merged into it).

    Asked for the projects of one round only, by their ids: the same question as a NOT
    EXISTS over the whole queue, which PostgreSQL planned as a scan of every open case for
    every queued warning when its statistics predate the scan's new warnings (a first scan,
    or autovacuum not yet round): a round then took seconds, and longer as cases grew.
    """
    busy: set[int] = set()
    for part in chunks(projects):
        busy.update(
            session.scalars(
                select(EarlyWarning.project_id)
                .join(Case, Case.warning_id == EarlyWarning.id)
                .where(Case.status == CaseStatus.OPEN, among(EarlyWarning.project_id, part))
            )
        )
    return busy


def _start_batch(
    session: Session, warnings: list[EarlyWarning], profile: PolicyProfile, now: datetime
) -> int:
    """One notice per project, as the key office; if another scan started one meanwhile
    (SQLite has no row locks), this batch is left to it."""
    if not warnings:
        return 0
    units = office_units(session, Lane.KEY_OFFICE)
    actor = OfficeActor(units[0] if units else None)
    loaded = preload(session, warnings)  # held while proposing (see preload)
    matters = by_project(warnings)
    with routing.teams_known(session, [p for p in matters if p is not None]):
        selected = [Selected(ws, proposed_form(session, profile, ws)) for ws in matters.values()]
    del loaded
    try:
        with session.begin_nested():
            return len(issue_matters(session, actor, selected, profile, now))
    except IntegrityError:
        return 0
