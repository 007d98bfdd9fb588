"""The ``keyproj calendar`` commands, run as an administrator would."""

from __future__ import annotations

import pytest

from tests.builders.database import CALENDAR_2027


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2025-09-30T10:00:00+08:00", "3", "2025-10-11T23:59:59+08:00"),
        ("2026-02-13T09:00:00+08:00", "3", "2026-02-25T23:59:59+08:00"),
        ("2026-02-12T16:30:00+00:00", "3", "2026-02-25T23:59:59+08:00"),
    ],
)
def test_x5_deadline_prints_iso_with_beijing_offset(run, start, n, expected):
    result = run("calendar", "deadline", start, n)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == expected


def test_x5_missing_year_exits_non_zero_then_import_fixes_it(run):
    missing = run("calendar", "deadline", "2026-12-28T09:00:00+08:00", "5")
    assert missing.exit_code != 0
    assert "2027年" in missing.output
    assert "keyproj calendar import" in missing.output
    imported = run("calendar", "import", str(CALENDAR_2027))
    assert imported.exit_code == 0, imported.output
    assert "2027年" in imported.output
    fixed = run("calendar", "deadline", "2026-12-28T09:00:00+08:00", "5")
    assert fixed.output.strip() == "2027-01-05T23:59:59+08:00"


def test_x5_deadline_refuses_a_time_without_offset(run):
    result = run("calendar", "deadline", "2026-02-13T09:00:00", "3")
    assert result.exit_code == 2
    assert "需要带时区的时间" in result.output


def test_init_twice_is_harmless(run):
    again = run("init")
    assert again.exit_code == 0
    assert "已载入节假日数据" not in again.output
