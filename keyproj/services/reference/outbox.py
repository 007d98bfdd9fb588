"""Outbox requests: written in the caller's transaction, taken and finished by a worker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from keyproj.db.models.outbox import OutboxMessage

SCAN = "scan"  # a report was submitted: run the rule scan (LP11) soon, not only at night
T = TypeVar("T")


@dataclass(frozen=True)
class Handled:
    """What one relay did: how many requests it finished, and the handler's result."""

    requests: int
    result: Any


def request(session: Session, topic: str, payload: dict[str, Any], now: datetime) -> None:
    """Ask for work in the caller's transaction: it exists exactly when the caller's data does."""
    session.add(OutboxMessage(topic=topic, payload=payload, created_at=now, attempts=0))


def pending_count(session: Session, topic: str) -> int:
    """How many requests of ``topic`` wait."""
    return len(session.scalars(_pending(topic)).all())


def handle_pending(
    factory: sessionmaker[Session],
    topic: str,
    handler: Callable[[list[dict[str, Any]]], T],
    now: Callable[[], datetime],
    limit: int = 1000,
) -> Handled | None:
    """Run ``handler`` once for the pending requests of ``topic``, then mark them done.

    Several requests share one run (one scan serves every report submitted since the last).
    The handler must be idempotent: if it fails, or the process dies before the requests
    are marked, they stay pending (with the error recorded) and the next relay runs again.
    """
    with factory() as session:
        taken = session.scalars(_pending(topic).limit(limit)).all()
        ids, payloads = [m.id for m in taken], [m.payload for m in taken]
    if not ids:
        return None
    try:
        result = handler(payloads)
    except Exception as exc:
        _finish(factory, ids, error=str(exc)[:2000])
        raise
    _finish(factory, ids, done_at=now())
    return Handled(len(ids), result)


def _finish(
    factory: sessionmaker[Session],
    ids: list[int],
    done_at: datetime | None = None,
    error: str | None = None,
) -> None:
    with factory() as session, session.begin():
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.done_at.is_(None))
            .values(done_at=done_at, attempts=OutboxMessage.attempts + 1, last_error=error)
        )


def _pending(topic: str) -> Any:
    return (
        select(OutboxMessage)
        .where(OutboxMessage.topic == topic, OutboxMessage.done_at.is_(None))
        .order_by(OutboxMessage.id)
    )
