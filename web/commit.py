"""A request's changes: committed when the services accept them, rolled back when they refuse."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask import flash

from keyproj.errors import DomainError
from web.db import db_session

E = TypeVar("E", bound=DomainError)


@dataclass
class Outcome(Generic[E]):
    """How the block's changes ended: ``refusal`` is None when they were committed."""

    refusal: E | None = None

    def flash(self, done: str, category: str = "success") -> None:
        """Tell the user: ``done`` when committed, the refusal's own message when refused."""
        if self.refusal is None:
            flash(done, category)
        else:
            flash(str(self.refusal), "error")


@contextmanager
def commit_or_refuse(*refusals: type[E]) -> Iterator[Outcome[E]]:
    """Commit the request's session after the block; on one of ``refusals`` roll back and keep it.

    Any other error propagates: the session is rolled back when the request ends.
    """
    outcome: Outcome[E] = Outcome()
    session = db_session()
    try:
        yield outcome
    except refusals as exc:
        session.rollback()
        outcome.refusal = exc
    else:
        session.commit()
