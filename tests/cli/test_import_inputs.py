"""`keyproj import projects` and `keyproj users unit` against hostile values: messages, never tracebacks."""

from __future__ import annotations

from pathlib import Path

from tests.builders.cli import Run
from tests.builders.ledger import row as ledger_row
from tests.builders.ledger import workbook as ledger_workbook


def test_a_ledger_with_full_width_dates_and_huge_amounts_imports_nothing(run: Run, tmp_path: Path):
    assert run("users", "unit", "T01", "城关镇", "--kind", "town").exit_code == 0
    path = tmp_path / "ledger.xlsx"
    row = ledger_row(
        "2026-441623-48-01-300001",
        **{"计划竣工日期": "２０２７-06-30", "总投资（万元）": 1e30, "项目名称": "\u200b"},
    )
    path.write_bytes(ledger_workbook([row]))

    result = run("import", "projects", str(path), "--year", "2026")

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "第2行「项目名称」：不能为空（只有空白或不可见字符）" in result.output
    assert "第2行「总投资（万元）」：不能超过 99,999,999,999,999.9999 万元" in result.output
    assert "第2行「计划竣工日期」：“２０２７-06-30”不是有效日期" in result.output
    assert "未导入任何数据" in result.output


def test_an_invisible_unit_name_is_refused_naming_the_field(run: Run):
    result = run("users", "unit", "T09", "\u200b\ufeff", "--kind", "town")
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "单位名称：不能为空" in result.output
