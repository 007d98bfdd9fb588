"""The ``--date`` option and the report of a refused import, shared by the commands."""

from __future__ import annotations

from datetime import date

import click
from click.testing import CliRunner

from cli.main import cli
from cli.options import date_option, import_errors
from keyproj.errors import ImportRowError


@click.command()
@date_option("哪一天")
def show_day(on: date | None) -> None:
    """Print the day the option gave."""
    click.echo(repr(on))


@click.command()
def refuse() -> None:
    """Refuse an import with two bad rows."""
    with import_errors("未导入任何数据。"):
        raise ImportRowError([(3, "年度", "不是年份"), (5, "名称", "不能为空")])
    click.echo("unreachable")


def test_date_option_gives_a_date_or_none():
    assert CliRunner().invoke(show_day, ["--date", "2026-11-23"]).output.strip() == (
        "datetime.date(2026, 11, 23)"
    )
    assert CliRunner().invoke(show_day, []).output.strip() == "None"


def test_a_date_that_does_not_exist_is_a_usage_error_in_chinese(tmp_path, monkeypatch):
    monkeypatch.setenv("KEYPROJ_INSTANCE_DIR", str(tmp_path))
    result = CliRunner().invoke(cli, ["scan", "--date", "2026-02-30"])
    assert result.exit_code == 2
    assert "“2026-02-30”不是有效日期，应为 YYYY-MM-DD" in result.output
    assert not (tmp_path / "keyproj.db").exists()  # refused before touching the database


def test_a_refused_import_lists_every_bad_row_and_exits_1():
    result = CliRunner().invoke(refuse, [])
    assert result.exit_code == 1
    assert "unreachable" not in result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["第3行「年度」：不是年份", "第5行「名称」：不能为空"]
    assert lines[-1] == "共2处错误，未导入任何数据。"
