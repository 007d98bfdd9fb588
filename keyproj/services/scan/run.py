"""The rule scan (LP6–LP12, AL2, AL6–AL7, HD2–HD6, GS1) and the LP12 feedback import.

A warning is raised once per (rule, project, period): a candidate whose key any warning
already has, open or handled, is not raised again, so a case closed for a period does not
come back until the next period. The profile's severity table decides each new warning's
status (issue 15): a reminded one tells its unit; a board one is kept for the board; an open
one waits in the key office's triage (LP13, ``keyproj.services.triage``). Where the profile
allows automatic notices the scan issues them per project matter, and a scan that died
between the two steps is completed by the next one. The partial unique index on live
warnings keeps two scans running at once from both inserting one.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from keyproj.codes import WarningStatus
from keyproj.db.base import Base
from keyproj.db.models import EarlyWarning
from keyproj.errors import CalendarYearMissing
from keyproj.policy import PolicyProfile
from keyproj.rules import RULES, Candidate, Rule, RuleContext
from keyproj.rules.base import among, chunks
from keyproj.services.notifications.warnings import remind_units
from keyproj.services.reference.calendar import cached_calendar
from keyproj.services.scan.feedback import read_feedback
from keyproj.services.scan.starting import savepoints, start_all_missing, start_missing_cases

# The profile's severity → the new warning's status: only OPEN ones reach triage and a case.
STATUS_OF = {
    "case": WarningStatus.OPEN,
    "reminder": WarningStatus.REMINDED,
    "board": WarningStatus.BOARD,
}


@dataclass
class ScanResult:
    """What one scan did; ``by_rule`` counts new warnings, ``found_by_rule`` all that qualify."""

    today: date
    new_warnings: int
    open_warnings: int
    cases_started: int
    by_rule: dict[str, int]
    found_by_rule: dict[str, int] = field(default_factory=dict)
    # rule name (or "cases") → why it could not finish, e.g. a year without holiday data
    errors: dict[str, str] = field(default_factory=dict)
    evaluate_s: float = 0.0
    insert_s: float = 0.0
    cases_s: float = 0.0

    def as_json(self) -> dict[str, Any]:
        """The machine-readable summary the ``keyproj scan`` command ends with."""
        return {
            "new_warnings": self.new_warnings,
            "open_warnings": self.open_warnings,
            "cases_started": self.cases_started,
            "by_rule": dict(sorted(self.by_rule.items())),
        }

    def summary(self) -> dict[str, Any]:
        """What a scan job reports: the summary, the day scanned and what could not finish."""
        return {"day": self.today.isoformat(), **self.as_json(), "errors": dict(self.errors)}


@dataclass(frozen=True)
class FeedbackResult:
    """What a feedback import did (LP12)."""

    rows: int
    created: int
    existing: int
    cases_started: int


def run_scan(
    session: Session,
    profile: PolicyProfile,
    today: date,
    now: datetime,
    *,
    start_cases: bool = True,
    rules: Sequence[Rule] = RULES,
) -> ScanResult:
    """Evaluate every rule on ``today``'s data, insert the new warnings, and (where the profile
    allows automatic notices) issue their notices per project matter.

    Idempotent: a second run inserts nothing and starts nothing. With ``start_cases=False``
    the automatic notices wait for a later run (or ``start_missing_cases``).
    """
    started_at = time.perf_counter()
    candidates, errors = evaluate(session, profile, today, now, rules)
    evaluated_at = time.perf_counter()
    inserted = insert_warnings(session, candidates, now, profile)
    route_new(session, inserted, now)
    inserted_at = time.perf_counter()
    cases = 0
    if start_cases:  # the one loop of the CLI and the worker, a savepoint per batch
        started = start_all_missing(lambda: savepoints(session), profile, lambda: now)
        cases = started.cases
        if started.error:
            errors["cases"] = started.error
    open_count = session.scalar(
        select(func.count())
        .select_from(EarlyWarning)
        .where(EarlyWarning.status == WarningStatus.OPEN)
    )
    return ScanResult(
        today=today,
        new_warnings=len(inserted),
        open_warnings=int(open_count or 0),
        cases_started=cases,
        by_rule=dict(Counter(rule_id for _, rule_id, _ in inserted)),
        found_by_rule=dict(Counter(c.rule_id for c in candidates)),
        errors=errors,
        evaluate_s=evaluated_at - started_at,
        insert_s=inserted_at - evaluated_at,
        cases_s=time.perf_counter() - inserted_at,
    )


def evaluate(
    session: Session,
    profile: PolicyProfile,
    today: date,
    now: datetime,
    rules: Sequence[Rule] = RULES,
) -> tuple[list[Candidate], dict[str, str]]:
    """Every rule's candidates; a rule that needs a year without holiday data is named in the
    errors (X5: reported, never guessed) and keeps the candidates it found before."""
    ctx = RuleContext(session, profile, today, now, lambda: cached_calendar(session))
    candidates: list[Candidate] = []
    errors: dict[str, str] = {}
    for rule in rules:
        try:
            candidates.extend(rule.evaluate(ctx))
        except CalendarYearMissing as exc:
            errors[rule.name] = str(exc)
    return candidates, errors


def insert_warnings(
    session: Session,
    candidates: Iterable[Candidate],
    now: datetime,
    profile: PolicyProfile | None = None,
) -> list[tuple[int, str, str]]:
    """Insert the candidates no warning has the key of yet; returns (id, rule id, status) of the
    new rows. With ``profile``, its severity table gives each its status (issue 15): only an
    ``open`` one goes to triage and starts a case; without it (a hand-raised warning), open.

    A concurrent scan that inserted the same warning first makes the insert skip it
    (ON CONFLICT DO NOTHING on the partial unique index), so each is inserted once.
    """
    unique: dict[tuple[str, int, str], Candidate] = {}
    for candidate in candidates:
        unique.setdefault(candidate.key, candidate)
    fresh = _not_raised_before(session, list(unique.values()))
    rows = [
        {
            "rule_id": c.rule_id,
            "project_id": c.project_id,
            "period": c.period,
            "level": c.level,
            "colour": c.colour,
            "evidence": c.evidence,
            "source": c.source,
            "status": STATUS_OF[profile.severity.of(c.rule_id)] if profile else WarningStatus.OPEN,
            "raised_at": now,
            "closed_at": None,
        }
        for c in fresh
    ]
    if not rows:
        return []
    # keyproj runs on these two; both know INSERT … ON CONFLICT DO NOTHING … RETURNING.
    module: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = Base.metadata.tables["warnings"]
    statement = (
        module.insert(table)
        .on_conflict_do_nothing()
        .returning(table.c.id, table.c.rule_id, table.c.status)
    )
    # One Core statement, many parameter sets: SQLAlchemy sends them as multi-row INSERTs
    # (insertmanyvalues) compiled once; rows the index refused return nothing.
    result = session.connection().execute(statement, rows)
    return [(row.id, row.rule_id, row.status) for row in result]


def route_new(session: Session, inserted: list[tuple[int, str, str]], now: datetime) -> list[int]:
    """Remind the units of the new warnings the severity table only reminds of (issue 15);
    returns the ids of the new open ones, which go to triage and get their cases."""
    remind_units(session, [i for i, _, status in inserted if status == WarningStatus.REMINDED], now)
    return [i for i, _, status in inserted if status == WarningStatus.OPEN]


def _not_raised_before(session: Session, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates whose (rule, project, period) no warning has, read per 1000 projects."""
    rule_ids = sorted({c.rule_id for c in candidates})
    if not rule_ids:
        return []
    existing: set[tuple[str, int, str]] = set()
    periods_of: dict[int, set[str]] = {}
    for c in candidates:
        if c.project_id is not None:
            periods_of.setdefault(c.project_id, set()).add(c.period)
    for part in chunks(sorted(periods_of)):
        query = select(EarlyWarning.rule_id, EarlyWarning.project_id, EarlyWarning.period).where(
            among(EarlyWarning.project_id, part), EarlyWarning.rule_id.in_(rule_ids)
        )
        wanted = set().union(*(periods_of[p] for p in part))
        if len(wanted) <= 100:  # usually a handful of periods: let the database narrow too
            query = query.where(EarlyWarning.period.in_(sorted(wanted)))
        existing.update((r, p or 0, period) for r, p, period in session.execute(query))
    if any(c.project_id is None for c in candidates):
        portfolio = select(EarlyWarning.rule_id, EarlyWarning.period).where(
            EarlyWarning.project_id.is_(None), EarlyWarning.rule_id.in_(rule_ids)
        )
        existing.update((r, 0, period) for r, period in session.execute(portfolio))
    return [c for c in candidates if c.key not in existing]


def import_feedback(
    session: Session, profile: PolicyProfile, path: Path, now: datetime
) -> FeedbackResult:
    """Import warnings fed back by the provincial or city system (LP12) into the triage queue
    (their automatic notices go out where the profile allows).

    The format is in docs/warning_import.md; any bad row imports nothing (ImportRowError
    names row, column and reason). A warning imported before is not imported twice.
    """
    candidates = read_feedback(session, path)
    inserted = insert_warnings(session, candidates, now, profile)
    ids = route_new(session, inserted, now)
    # A year without holiday data raises CalendarYearMissing, naming the year: nothing imported.
    cases = start_missing_cases(session, profile, now, warning_ids=ids) if ids else 0
    return FeedbackResult(len(candidates), len(inserted), len(candidates) - len(inserted), cases)
