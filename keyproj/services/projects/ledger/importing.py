"""Import of the project ledger (重点项目台账) from an .xlsx workbook, all rows or none.

The sheet is read as a stream (openpyxl read-only) and checked a chunk of rows at a time;
only the checked values of the rows are kept, never the workbook. The breakdown sheet is read
first, its rows set aside on disk (``spool``) and read back a chunk of projects at a time, to
be checked and then written with their projects. Nothing is written until
every row has passed, and then in the caller's transaction: a SAVEPOINT would not help, as
with SQLite's Python driver a SAVEPOINT opened before any write starts the transaction itself
and releasing it commits. A caller that sees any error must roll back (``unit_of_work`` does).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import islice
from pathlib import Path
from typing import TypeVar

from sqlalchemy.orm import Session

from keyproj.clock import today_beijing
from keyproj.db.models import AnnualPlan, PlanVersion, Project
from keyproj.errors import ImportRowError, ValidationError
from keyproj.services.chains.editing import link_by_name
from keyproj.services.projects.ledger.breakdown import read_breakdown, unclaimed
from keyproj.services.projects.ledger.checking import CheckedRow, Problem, RowChecker
from keyproj.services.projects.ledger.sheet import ledger_rows
from keyproj.services.projects.ledger.spool import BreakdownSpool
from keyproj.services.projects.ledger.writing import CHUNK, ImportResult, Progress, write_rows

# A file with more problems than this is wrong as a whole: the list stops there.
MAX_PROBLEMS = 500
T = TypeVar("T")


class _Silent:
    """No progress shown."""

    def stage(self, name: str, total: int | None) -> None:
        """Nothing to show."""

    def advance(self, rows: int) -> None:
        """Nothing to show."""


SILENT: Progress = _Silent()


def import_projects(
    session: Session,
    data: bytes | str | Path,
    year: int,
    breakdown: str,
    progress: Progress = SILENT,
    today: date | None = None,
) -> ImportResult:
    """Create or update projects (by 项目代码) from a ledger workbook; any bad row refuses the whole file.

    ``today`` is the day the ledger is taken in (Beijing's today by default): a planned completion
    before it is refused.
    """
    if not 2000 <= year <= 2100:
        raise ValidationError.single("year", "年度", f"年度 {year} 不合理，应在2000至2100年之间")
    session.flush()  # the bulk writes bypass the unit of work: send its pending changes first
    day = today or today_beijing()
    with BreakdownSpool() as spool:
        rows, new_leaders = _check_all(session, data, year, breakdown, progress, day, spool)
        progress.stage("写入", len(rows))
        result = write_rows(session, rows, new_leaders, year, breakdown, progress, spool)
    _expire_written(session)
    link_by_name(session)  # the 产业链 column names each project's chain (DC5)
    return result


def _check_all(
    session: Session,
    data: bytes | str | Path,
    year: int,
    cycle: str,
    progress: Progress,
    today: date,
    spool: BreakdownSpool,
) -> tuple[list[CheckedRow], list[str]]:
    """Every row checked as it is read; the rows to write, or ImportRowError naming each problem."""
    passed: list[CheckedRow] = []
    problems: list[Problem] = []
    with ledger_rows(data) as sheet:
        # The breakdown is read first, as the main rows are checked against it chunk by chunk.
        problems.extend(read_breakdown(sheet.breakdown, spool.add, MAX_PROBLEMS))
        spool.seal()
        checker = RowChecker(session, year, sheet.columns, today, cycle, spool)
        progress.stage("检查", sheet.estimated_rows)
        done = sheet.header_row
        for chunk in _batches(sheet.rows, CHUNK):
            rows, found = checker.check(chunk)
            problems.extend(found)
            if problems:  # nothing will be written: the passed rows need not be kept
                passed.clear()
            else:
                passed.extend(rows)
            progress.advance(chunk[-1][0] - done)
            done = chunk[-1][0]
            if len(problems) >= MAX_PROBLEMS:
                problems = problems[:MAX_PROBLEMS]
                problems.append((done, "文件", f"错误超过{MAX_PROBLEMS}处，以下各行未再检查"))
                break
        else:
            problems.extend(unclaimed(spool.unclaimed()))
    if problems:
        raise ImportRowError(problems[: MAX_PROBLEMS + 1])
    return passed, checker.new_leaders


def _expire_written(session: Session) -> None:
    """Objects the session holds of what the import wrote are read again when next used."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Project | AnnualPlan | PlanVersion):
            session.expire(obj)


def _batches(items: Iterator[T], size: int) -> Iterator[list[T]]:
    while batch := list(islice(items, size)):
        yield batch
