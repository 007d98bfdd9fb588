"""Document numbers: a counter per prefix and year, e.g. 连重点办预警〔2026〕12号."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from keyproj.db.models import DocumentCounter


def next_number(session: Session, prefix: str, year: int) -> str:
    """Take the next number of ``prefix`` in ``year`` in one atomic upsert; takers never share one."""
    dialect = session.get_bind().dialect.name
    insert = postgres_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(DocumentCounter).values(prefix=prefix, year=year, last_number=1)
    upsert = statement.on_conflict_do_update(
        index_elements=[DocumentCounter.prefix, DocumentCounter.year],
        set_={"last_number": DocumentCounter.last_number + 1},
    )
    number = session.execute(upsert.returning(DocumentCounter.last_number)).scalar_one()
    return f"{prefix}〔{year}〕{number}号"
