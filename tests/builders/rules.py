"""Running one warning rule the way the scan runs it, and reading what it found."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from sqlalchemy.orm import Session

from keyproj.policy import PolicyProfile, load_profile
from keyproj.rules import Candidate, RuleContext
from keyproj.services.reference.calendar import cached_calendar
from tests.builders.clock import beijing

Rule = Callable[[RuleContext], Iterable[Candidate]]


def found(
    session: Session, profile: str | PolicyProfile, today: date, rule: Rule
) -> list[Candidate]:
    """What one rule finds on ``today``, the way the scan calls it."""
    policy = load_profile(profile) if isinstance(profile, str) else profile
    ctx = RuleContext(session, policy, today, beijing(today), lambda: cached_calendar(session))
    return list(rule(ctx))


def keys(candidates: list[Candidate]) -> list[tuple[str, str, str]]:
    """(rule id, period, colour) of each candidate, in order."""
    return [(c.rule_id, c.period, c.colour) for c in candidates]
