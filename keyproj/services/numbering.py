"""Document numbers: a counter per prefix and year, e.g. 连重点办预警〔2026〕12号."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from keyproj.db.models import DocumentCounter


def next_number(session: Session, prefix: str, year: int) -> str:
    """Take the next number of ``prefix`` in ``year``; concurrent takers never share one."""
    counter = session.scalar(
        select(DocumentCounter)
        .where(DocumentCounter.prefix == prefix, DocumentCounter.year == year)
        .with_for_update()
    )
    if counter is None:
        counter = DocumentCounter(prefix=prefix, year=year, last_number=0)
        session.add(counter)
        session.flush()
    session.execute(
        update(DocumentCounter)
        .where(DocumentCounter.prefix == prefix, DocumentCounter.year == year)
        .values(last_number=DocumentCounter.last_number + 1)
    )
    session.refresh(counter)
    return f"{prefix}〔{year}〕{counter.last_number}号"
