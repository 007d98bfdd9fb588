"""The breakdown rows set aside on disk during an import: read back exactly, by code, then deleted."""

from __future__ import annotations

import tempfile
from decimal import Decimal

import pytest

from keyproj.services.projects.ledger.breakdown import PeriodRow
from keyproj.services.projects.ledger.spool import BreakdownSpool

A, B, C = "2026-441623-48-01-100001", "2026-441623-48-01-100002", "2026-441623-48-01-100003"


def period(number: int, key: str) -> PeriodRow:
    return PeriodRow(number, key, Decimal(100), Decimal(50), f"第{number}行", None)


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """Where the spool's temporary file goes, to look for what is left there."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def test_rows_read_back_exactly_as_they_were_read(scratch):
    rows = [
        PeriodRow(7, "2026-03", Decimal("1.2E+3"), Decimal("12.50"), "主体封顶", None),
        PeriodRow(3, "2026-01", Decimal("0.001"), Decimal("0"), None, "施工许可"),
    ]
    with BreakdownSpool() as spool:
        for row in rows:
            spool.add(A, row)
        spool.seal()
        back = spool.rows_of([A])[A]

    assert back == sorted(rows, key=lambda r: r.number)  # in sheet order
    # The same figures, written the same way (a re-export shows what was typed).
    assert [str(r.planned_investment) for r in back] == ["0.001", "1.2E+3"]
    assert [str(r.planned_progress_pct) for r in back] == ["0", "12.50"]


def test_each_chunk_takes_its_codes_and_the_codes_never_taken_are_unclaimed(scratch):
    with BreakdownSpool() as spool:
        for number, code in enumerate([C, A, B, A, C], start=2):
            spool.add(code, period(number, f"2026-{number:02d}"))
        spool.seal()

        taken = spool.take([A, "2026-441623-48-01-999999"])

        assert {code: [r.number for r in rows] for code, rows in taken.items()} == {A: [3, 5]}
        assert list(spool.unclaimed()) == [(C, 2), (B, 4)]
        spool.take([B])
        assert list(spool.unclaimed()) == [(C, 2)]


def test_the_file_is_deleted_when_the_spool_closes_even_on_an_error(scratch):
    def failing_import() -> None:
        with BreakdownSpool() as spool:
            for number in range(2, 25_002):  # more than one batch of rows
                spool.add(A, period(number, "2026-01"))
            spool.seal()
            assert len(spool.rows_of([A])[A]) == 25_000
            assert list(scratch.iterdir())
            raise RuntimeError("the import failed")

    with pytest.raises(RuntimeError):
        failing_import()
    assert list(scratch.iterdir()) == []


def test_a_ledger_without_a_breakdown_makes_no_file(scratch):
    with BreakdownSpool() as spool:
        spool.seal()
        assert spool.take([A]) == {}
        assert list(spool.unclaimed()) == []
        assert list(scratch.iterdir()) == []
