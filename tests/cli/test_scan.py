"""``keyproj scan`` and ``keyproj import warnings`` given bad dates and hostile files."""

from __future__ import annotations

import csv

import pytest

from tests.builders.cli import Run

HEADER = "编号,来源,项目代码,期次,预警等级,预警颜色,预警内容,预警日期"
ROW = "SX-1,省,2026-441623-48-01-000123,2026-02,进度预警,红色,{message},2026-03-18"


def refused(result) -> str:  # type: ignore[no-untyped-def]
    """The command's message, after checking it refused the file without a traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "未导入任何预警" in result.output
    return str(result.output)


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"])
def test_scan_refuses_a_date_outside_2000_to_2100(run: Run, day):
    result = run("scan", "--date", day)
    assert result.exit_code == 2
    assert f"“{day}”超出范围，应在2000年至2100年之间" in result.output


def test_a_csv_cell_over_the_csv_field_limit_is_named_by_its_line(run: Run, tmp_path):
    path = tmp_path / "feedback.csv"
    huge = "超" * (csv.field_size_limit() + 1)
    path.write_text(f"{HEADER}\n{ROW.format(message='ok')}\n{ROW.format(message=huge)}\n")
    output = refused(run("import", "warnings", str(path)))
    assert "第3行「CSV」：单元格内容超过128KB" in output


def test_deeply_nested_json_is_a_message(run: Run, tmp_path):
    path = tmp_path / "feedback.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    output = refused(run("import", "warnings", str(path)))
    assert "第1行「JSON」：嵌套层次过深" in output


def test_a_json_field_holding_an_object_is_named(run: Run, tmp_path):
    path = tmp_path / "feedback.json"
    path.write_text('[{"reference": "SX-1", "message": {"text": [1, 2]}}]')
    output = refused(run("import", "warnings", str(path)))
    assert "第1行「预警内容」：应为文字、数字或 null" in output


def test_a_json_number_of_thousands_of_digits_is_a_message(run: Run, tmp_path):
    path = tmp_path / "feedback.json"
    path.write_text('[{"reference": ' + "9" * 10_000 + "}]")
    assert "含有过长的数字" in refused(run("import", "warnings", str(path)))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (f"{HEADER}\n".encode("utf-16"), "文件是 UTF-16 编码"),
        (HEADER.encode() + b"\n\xe6\x97\xa5\xff\xfe\xff\n", "文件编码无法识别"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)), "不是文本文件"),
    ],
)
def test_a_wrong_encoding_or_a_binary_file_is_a_message(run: Run, tmp_path, content, reason):
    path = tmp_path / "feedback.csv"
    path.write_bytes(content)
    assert f"第1行「文件」：{reason}" in refused(run("import", "warnings", str(path)))


def test_a_csv_saved_in_gbk_is_read(run: Run, tmp_path):
    path = tmp_path / "feedback.csv"
    path.write_bytes(f"{HEADER}\n{ROW.format(message='进度滞后')}\n".encode("gbk"))
    output = refused(run("import", "warnings", str(path)))  # read, then the unknown project
    assert "系统中没有项目代码为“2026-441623-48-01-000123”的项目" in output
