"""The breakdown sheet's rows set aside in a temporary SQLite file, read back by project code.

A county's 「年度计划分解」 is hundreds of thousands of rows, in any order, while a project's rows
are checked and written with the project's row on the main sheet, a chunk at a time. Held in
memory they were most of an import's peak (about 250 MB for 600,000 rows); parsing the sheet is
the slowest part of an import, so reading it again per chunk is no better. Here it is read
once, each readable row stored on disk, and the rows of a chunk's codes are read back through
an index: memory holds one chunk's rows. The file is the process's own scratch space (no
durability, no journal) and is deleted when the import ends, whether it passed or not.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from collections.abc import Collection, Iterator
from decimal import Decimal
from pathlib import Path
from types import TracebackType

from keyproj.services.projects.ledger.breakdown import PeriodRow

_SCHEMA = (
    "CREATE TABLE period_row (code TEXT NOT NULL, number INTEGER NOT NULL, period TEXT NOT NULL,"
    " investment TEXT NOT NULL, progress TEXT NOT NULL, milestone TEXT, procedures TEXT)",
    "CREATE TABLE claimed (code TEXT PRIMARY KEY) WITHOUT ROWID",
)
_COLUMNS = "code, number, period, investment, progress, milestone, procedures"
_BATCH = 10_000  # rows a statement while the sheet is read


class BreakdownSpool:
    """The readable breakdown rows by project code; a ``with`` block deletes the file."""

    def __init__(self) -> None:
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[object, ...]] = []
        self.rows = 0

    def __enter__(self) -> BreakdownSpool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def add(self, code: str, row: PeriodRow) -> None:
        """Set aside one readable row of project ``code``."""
        # Amounts as text: Decimal's str reads back as the same value and exponent.
        self._pending.append(
            (
                code,
                row.number,
                row.period,
                str(row.planned_investment),
                str(row.planned_progress_pct),
                row.milestone,
                row.procedures,
            )
        )
        self.rows += 1
        if len(self._pending) >= _BATCH:
            self._flush()

    def seal(self) -> None:
        """Every row is in: index them by code for the reads that follow."""
        if self._pending:
            self._flush()
        if self._db is not None:
            self._db.execute("CREATE INDEX period_row_code ON period_row (code, number)")

    def take(self, codes: Collection[str]) -> dict[str, list[PeriodRow]]:
        """The rows of ``codes`` (in sheet order), which are then claimed by the main sheet."""
        if self._db is None or not codes:
            return {}
        self._db.executemany("INSERT OR IGNORE INTO claimed VALUES (?)", [(c,) for c in codes])
        return self.rows_of(codes)

    def rows_of(self, codes: Collection[str]) -> dict[str, list[PeriodRow]]:
        """The rows of ``codes``, each code's in sheet order."""
        out: dict[str, list[PeriodRow]] = {}
        if self._db is None or not codes:
            return out
        marks = ",".join("?" * len(codes))
        query = f"SELECT {_COLUMNS} FROM period_row WHERE code IN ({marks}) ORDER BY code, number"
        for code, number, period, investment, progress, milestone, procedures in self._db.execute(
            query, list(codes)
        ):
            row = PeriodRow(
                number,
                sys.intern(period),  # a dozen keys shared by every project
                Decimal(investment),
                Decimal(progress),
                milestone,
                procedures,
            )
            out.setdefault(code, []).append(row)
        return out

    def unclaimed(self) -> Iterator[tuple[str, int]]:
        """Each code no main row claimed, with its first row, in sheet order."""
        if self._db is None:
            return
        yield from self._db.execute(
            "SELECT code, MIN(number) AS first FROM period_row"
            " WHERE code NOT IN (SELECT code FROM claimed) GROUP BY code ORDER BY first"
        )

    def close(self) -> None:
        """Delete the file; the spool is empty afterwards."""
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
        self._pending.clear()

    def _flush(self) -> None:
        db = self._db or self._open()
        db.executemany("INSERT INTO period_row VALUES (?, ?, ?, ?, ?, ?, ?)", self._pending)
        self._pending.clear()

    def _open(self) -> sqlite3.Connection:
        # Opened on the first rows: a ledger without the sheet makes no file.
        self._folder = tempfile.TemporaryDirectory(prefix="keyproj-ledger-")
        db = sqlite3.connect(Path(self._folder.name) / "breakdown.sqlite", isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "temp_store = FILE"):
            db.execute(f"PRAGMA {pragma}")
        db.execute("BEGIN")  # one transaction for the file's life, not one a row
        for statement in _SCHEMA:
            db.execute(statement)
        self._db = db
        return db
