"""Document numbers: a counter per prefix and year, e.g. 连重点办预警〔2026〕12号.

The prefixes are the county's own (``reference.identity``): an administrator edits them, and
until then the profile's apply.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from keyproj.db.models import DocumentCounter
from keyproj.policy import PolicyProfile
from keyproj.services.reference.identity import county_identity

_RESERVED = "keyproj.reserved_notice_numbers"  # session.info: (year, numbers not yet used)


def next_number(session: Session, prefix: str, year: int) -> str:
    """Take the next number of ``prefix`` in ``year`` in one atomic upsert; takers never share one."""
    return _take(session, prefix, year, 1)[0]


def _take(session: Session, prefix: str, year: int, count: int) -> list[str]:
    """The next ``count`` numbers of ``prefix`` in ``year``, in order, in one atomic upsert (the
    counter's row then stays locked until the transaction ends)."""
    dialect = session.get_bind().dialect.name
    insert = postgres_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(DocumentCounter).values(prefix=prefix, year=year, last_number=count)
    upsert = statement.on_conflict_do_update(
        index_elements=[DocumentCounter.prefix, DocumentCounter.year],
        set_={"last_number": DocumentCounter.last_number + count},
    )
    last = session.execute(upsert.returning(DocumentCounter.last_number)).scalar_one()
    return [_text(prefix, year, n) for n in range(last - count + 1, last + 1)]


def _text(prefix: str, year: int, number: int) -> str:
    return f"{prefix}〔{year}〕{number}号"


def next_notice_number(session: Session, profile: PolicyProfile, year: int) -> str:
    """The next number of a 预警催办通知 (LP13) under the county's prefix."""
    reserved = session.info.get(_RESERVED)
    if reserved is not None and reserved[0] == year and reserved[1]:
        return str(reserved[1].popleft())
    return next_number(session, county_identity(session, profile).warning_notice_prefix, year)


@contextmanager
def notice_numbers_reserved(
    session: Session, profile: PolicyProfile, year: int, count: int
) -> Iterator[None]:
    """Within the block, ``next_notice_number`` for ``year`` hands out ``count`` numbers taken
    at once: the same numbers, in the same order, as ``count`` takings one by one.

    Numbers the block leaves unused go back to the counter (still locked by this
    transaction, so nobody took one after them); a block that raises gives none back, as its
    transaction is rolled back.
    """
    if count < 1 or _RESERVED in session.info:
        yield
        return
    prefix = county_identity(session, profile).warning_notice_prefix
    numbers = deque(_take(session, prefix, year, count))
    session.info[_RESERVED] = (year, numbers)
    try:
        yield
    finally:
        session.info.pop(_RESERVED, None)
    if numbers:
        session.execute(
            update(DocumentCounter)
            .where(DocumentCounter.prefix == prefix, DocumentCounter.year == year)
            .values(last_number=DocumentCounter.last_number - len(numbers))
        )


def next_supervision_number(session: Session, profile: PolicyProfile, year: int) -> str:
    """The next number of a 督查立项通知书 (LP20) under the county's prefix."""
    prefix = county_identity(session, profile).supervision_notice_prefix
    return next_number(session, prefix, year)


def next_reminder_letter_number(session: Session, profile: PolicyProfile, year: int) -> str:
    """The next number of a 提醒函 (HD5) the key office sends for the city government, e.g.
    邯发改提醒〔2026〕3号; only a profile with the HD5/HD6 measures has its prefix."""
    assert profile.measures is not None
    return next_number(session, profile.measures.reminder_letter_prefix, year)


def next_interview_number(session: Session, profile: PolicyProfile, year: int) -> str:
    """The next number of a 约谈通知书 (HD6), e.g. 邯约谈〔2026〕2号; only a profile with the
    ``[interviews]`` section has its prefix."""
    assert profile.interviews is not None
    return next_number(session, profile.interviews.notice_prefix, year)
