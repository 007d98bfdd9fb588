"""``keyproj log``: what was changed from the command line is logged like the pages' changes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import time_machine

from keyproj.clock import BEIJING

AT = datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING)
FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_units_accounts_tokens_and_the_calendar_changed_by_command_are_logged(run):
    with time_machine.travel(AT, tick=False):
        assert run("users", "unit", "T01", "城关镇", "--kind", "town").exit_code == 0
        assert run("users", "unit", "T01", "城关街道", "--kind", "town").exit_code == 0
        made = run(
            "users", "create", "li", "--name", "李四", "--unit", "T01",
            "--role", "unit_liaison", "--password", "Liaison#2026",
        )  # fmt: skip
        assert made.exit_code == 0, made.output
        assert run("users", "token", "li", "--name", "城关接口").exit_code == 0
        assert run("calendar", "set", "2026-03-06", "holiday", "--name", "县庆").exit_code == 0
        shown = run("log")
    assert shown.exit_code == 0
    lines = shown.output.splitlines()
    assert lines[-1] == "共5条记录；第1/1页"
    assert "2026-03-02 10:00  命令行  更正日历  日历 2026-03-06：正常 → 放假 县庆" in lines
    assert "2026-03-02 10:00  命令行  单位改名  单位 T01 城关街道：城关镇 → 城关街道" in lines
    assert any("签发接口令牌  账号 li：1号“城关接口”" in line for line in lines)


def test_a_refused_command_logs_nothing(run):
    weak = run(
        "users", "create", "li", "--name", "李四", "--unit", "ZDB",
        "--role", "unit_liaison", "--password", "short",
    )  # fmt: skip
    assert weak.exit_code == 1
    assert run("log").output.splitlines()[-1] == "共0条记录；第1/1页"


def test_x5_an_imported_year_is_logged_with_what_it_changed(run):
    imported = run("calendar", "import", str(FIXTURES / "calendar_2027.csv"))
    assert imported.exit_code == 0, imported.output
    assert "导入节假日安排  日历 2027年：新增" in run("log").output
