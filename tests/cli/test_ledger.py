"""``keyproj import projects`` and ``keyproj export projects`` as the key office runs them."""

from __future__ import annotations

from openpyxl import load_workbook

from tests.builders.cli import Run
from tests.builders.ledger import CODE_A, CODE_B, monthly_breakdown, row, workbook

OFFICE = "县重点项目建设办公室"  # the unit `keyproj init` creates


def test_import_refuses_a_bad_file_then_accepts_a_good_one(run: Run, tmp_path):

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        workbook([row(CODE_A, 牵头责任单位=OFFICE), row(CODE_B, 牵头责任单位="不存在的镇")])
    )
    good = tmp_path / "good.xlsx"
    good.write_bytes(
        workbook(
            [row(CODE_A, 牵头责任单位=OFFICE, 联系领导="张三", **{"年度计划投资（万元）": 80})]
        )
    )

    refused = run("import", "projects", str(bad), "--year", "2026")
    assert refused.exit_code != 0
    assert "第3行「牵头责任单位」：未知单位“不存在的镇”" in refused.output
    assert "未导入任何数据" in refused.output

    accepted = run("import", "projects", str(good), "--year", "2026")
    assert accepted.exit_code == 0, accepted.output
    assert "新增1个，更新0个，新登记领导1名，导入年度计划1个" in accepted.output

    out = tmp_path / "out.xlsx"
    exported = run("export", "projects", str(out), "--year", "2026")
    assert exported.exit_code == 0, exported.output
    rows = list(load_workbook(out).active.iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[9], r[12]) for r in rows] == [(CODE_A, 80, "张三")]


def test_import_shows_its_progress_in_rows(run: Run, tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(workbook([row(CODE_A, 牵头责任单位=OFFICE), row(CODE_B, 牵头责任单位=OFFICE)]))

    result = run("import", "projects", str(path), "--year", "2026")

    assert result.exit_code == 0, result.output
    assert "检查" in result.stderr
    assert "2/2 行" in result.stderr
    assert "写入" in result.stderr
    assert "新增2个" in result.stdout


def test_a_file_that_is_not_a_workbook_is_a_message(run: Run, tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(b"\x00\x01 not a workbook")
    result = run("import", "projects", str(path))
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "无法读取，请上传 .xlsx 格式的台账" in result.output


def test_export_into_a_missing_folder_is_a_message(run: Run, tmp_path):
    target = tmp_path / "没有的目录" / "台账.xlsx"
    result = run("export", "projects", str(target))
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert f"目录“{target.parent}”不存在" in result.output
    assert not target.parent.exists()


def test_export_over_a_folder_is_a_message(run: Run, tmp_path):
    result = run("export", "projects", str(tmp_path))
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)


def test_a_year_outside_2000_to_2100_is_refused_before_anything_is_read(run: Run, tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(workbook([row(CODE_A, 牵头责任单位=OFFICE)]))
    for command in (("import", "projects", str(path)), ("export", "projects", str(path))):
        result = run(*command, "--year", "99999")
        assert result.exit_code == 2
        assert "99999 超出范围，应在 2000 至 2100 之间" in result.output
    assert run("export", "projects", str(path), "--year", "２０２６").exit_code == 2


def test_the_template_is_written_with_the_profiles_breakdown(run: Run, tmp_path):
    out = tmp_path / "template.xlsx"
    result = run("export", "template", str(out), "--year", "2026")
    assert result.exit_code == 0, result.output
    assert "已导出台账模板（2026年度计划分解，按月报）" in result.output
    book = load_workbook(out)
    assert book.sheetnames == ["重点项目台账", "年度计划分解", "填写说明"]
    notes = [line for (line,) in book["填写说明"].iter_rows(values_only=True)]
    assert any("如 2026-01（2026年1月）" in line for line in notes)


def test_a_filled_template_with_its_breakdown_imports_the_plan(run: Run, tmp_path):
    path = tmp_path / "ledger.xlsx"
    annual = {"年度计划投资（万元）": 1200}
    breakdown = monthly_breakdown(CODE_A, 1200)
    path.write_bytes(workbook([row(CODE_A, 牵头责任单位=OFFICE, **annual)], breakdown=breakdown))
    result = run("import", "projects", str(path), "--year", "2026")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out.xlsx"
    assert run("export", "projects", str(out), "--year", "2026").exit_code == 0
    assert load_workbook(out)["年度计划分解"].max_row == 13
