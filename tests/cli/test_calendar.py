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


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("garbage", "3"), "“garbage”不是时间，应如 2025-09-30T10:00:00+08:00"),
        (("0001-01-01T00:00:00+08:00", "3"), "超出范围，应在2000年至2100年之间"),
        (("9999-12-31T23:00:00+00:00", "3"), "超出范围，应在2000年至2100年之间"),
        (("2026-02-13T09:00:00+08:00", "--", "-1"), "-1 超出范围，应在 0 至 1000 之间"),
        (("2026-02-13T09:00:00+08:00", "99999999"), "99999999 超出范围，应在 0 至 1000 之间"),
        (("2026-02-13T09:00:00+08:00", "三"), "“三”不是整数"),
    ],
)
def test_x5_deadline_arguments_that_make_no_sense_are_usage_errors(run, args, message):
    result = run("calendar", "deadline", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_x5_import_of_a_one_row_file_is_refused_with_a_preview_and_changes_nothing(run, tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("日期,类型,名称\n2026-10-09,放假,国庆节\n", encoding="utf-8")
    before = run("calendar", "show", "2026").output

    result = run("calendar", "import", str(path))

    assert result.exit_code == 1
    assert "2026年（已有数据，将整年替换）：文件中放假1天（不完整" in result.output
    assert "新增1天，删除39天，改变0天" in result.output
    assert "  2026-10-01  删除 放假  国庆节" in result.output
    assert "--replace" in result.output
    assert run("calendar", "show", "2026").output == before


def test_x5_dry_run_previews_and_replace_then_replaces(run, tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("日期,类型,名称\n2026-10-09,放假,国庆节\n", encoding="utf-8")
    before = run("calendar", "show", "2026").output

    preview = run("calendar", "import", str(path), "--dry-run", "--replace")
    assert preview.exit_code == 0, preview.output
    assert "预览完毕，未写入任何数据。" in preview.output
    assert run("calendar", "show", "2026").output == before

    replaced = run("calendar", "import", str(path), "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert run("calendar", "show", "2026").output.splitlines() == ["2026-10-09  放假  国庆节"]


def test_x5_a_gb18030_file_is_imported_and_a_binary_one_is_a_message(run, tmp_path):
    chinese = tmp_path / "2027.csv"
    chinese.write_bytes(CALENDAR_2027.read_text(encoding="utf-8").encode("gb18030"))
    imported = run("calendar", "import", str(chinese))
    assert imported.exit_code == 0, imported.output
    assert "2027-02-06  放假  春节" in run("calendar", "show", "2027").output

    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    refused = run("calendar", "import", str(binary))
    assert refused.exit_code == 1
    assert isinstance(refused.exception, SystemExit)
    assert "不是文本文件" in refused.output


def test_x5_set_refuses_a_day_outside_the_calendar_years(run):
    result = run("calendar", "set", "0001-01-01", "holiday")
    assert result.exit_code == 2
    assert "“0001-01-01”超出范围" in result.output
