"""The writes of a ledger import that passed: leaders, projects and plans, a chunk per statement.

Rows are written with executemany INSERTs and UPDATEs by primary key instead of one ORM object
and one flush each; the values are those ``create_project`` / ``update_project`` would set
(``project_columns``), already checked row by row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from keyproj.clock import now_utc
from keyproj.db.models import Leader, Project
from keyproj.services.projects import plans
from keyproj.services.projects.ledger.breakdown import PeriodRow, as_data
from keyproj.services.projects.ledger.checking import CheckedRow
from keyproj.services.projects.ledger.spool import BreakdownSpool

CHUNK = 1000
_PROJECTS = cast(Table, Project.__table__)


class Progress(Protocol):
    """Where an import reports how far it got: a stage with its expected rows, then rows done."""

    def stage(self, name: str, total: int | None) -> None:
        """A new stage begins; ``total`` rows are expected (None when unknown)."""

    def advance(self, rows: int) -> None:
        """``rows`` more rows are done."""


@dataclass
class ImportResult:
    """What an import did."""

    created: int = 0
    updated: int = 0
    leaders_added: int = 0
    plans_filed: int = 0


def write_rows(
    session: Session,
    rows: Sequence[CheckedRow],
    new_leaders: Sequence[str],
    year: int,
    breakdown: str,
    progress: Progress,
    spool: BreakdownSpool,
) -> ImportResult:
    """Write the checked rows, their breakdowns read back from ``spool``; runs only when every
    row of the file passed."""
    result = ImportResult(leaders_added=len(new_leaders))
    if new_leaders:
        session.execute(insert(Leader), [{"name": name} for name in new_leaders])
    leaders = {name: i for i, name in session.execute(select(Leader.id, Leader.name))}
    for chunk in _chunks(rows):
        ids = _write_projects(session, chunk, leaders, result)
        given = _periods(chunk, spool)
        result.plans_filed += _file_plans(session, chunk, ids, given, year, breakdown)
        progress.advance(len(chunk))
    return result


def _write_projects(
    session: Session, chunk: Sequence[CheckedRow], leaders: dict[str, int], result: ImportResult
) -> list[int]:
    """Insert the new projects and update the known ones; the project id of each row."""
    now = now_utc()
    values = [row.values | {"leader_id": leaders.get(row.leader_name or "")} for row in chunk]
    new = [v for v, row in zip(values, chunk, strict=True) if row.project_id is None]
    known = [
        v | {"id": row.project_id, "updated_at": now}
        for v, row in zip(values, chunk, strict=True)
        if row.project_id is not None
    ]
    created: dict[str, int] = {}
    if new:
        # A plain executemany (the table, not the ORM entity, and no RETURNING) is the fastest
        # on both databases; the new ids are then read by code in one query. The table's own
        # defaults stamp created_at and updated_at.
        session.execute(insert(_PROJECTS), new)
        codes = [v["code"] for v in new]
        created.update(
            session.execute(select(Project.code, Project.id).where(Project.code.in_(codes))).all()
        )
    if known:
        session.execute(update(Project), known)
    result.created += len(new)
    result.updated += len(known)
    return [
        row.project_id if row.project_id is not None else created[row.values["code"]]
        for row in chunk
    ]


def _periods(chunk: Sequence[CheckedRow], spool: BreakdownSpool) -> dict[int, PeriodRow]:
    """The breakdown rows of the chunk's plans, by row number."""
    codes = {row.breakdown_code for row in chunk if row.periods and row.plan_amount is not None}
    return {r.number: r for rows in spool.rows_of(codes).values() for r in rows}


def _file_plans(
    session: Session,
    chunk: Sequence[CheckedRow],
    ids: list[int],
    given: dict[int, PeriodRow],
    year: int,
    breakdown: str,
) -> int:
    """File the approved plans the rows carry; the number filed."""
    fresh: list[tuple[int, Decimal]] = []
    periods: dict[int, list[PeriodRow]] = {}
    for row, project_id in zip(chunk, ids, strict=True):
        if row.plan_amount is None:
            continue
        if row.plan_id is None:
            fresh.append((project_id, row.plan_amount))
            periods[project_id] = [given[n] for n in row.periods]
        else:
            # Rare: the year's plan exists with rejected versions only; the next version
            # number and the checks of the plans service apply.
            project = session.get_one(Project, project_id)
            data = plans.PlanData(row.plan_amount, [as_data(given[n]) for n in row.periods])
            plans.file_approved(session, project, year, data, breakdown)
    plans.file_approved_many(session, fresh, year, plans.IMPORTED, periods, breakdown)
    return sum(1 for row in chunk if row.plan_amount is not None)


def _chunks(rows: Sequence[CheckedRow]) -> Iterator[Sequence[CheckedRow]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]
