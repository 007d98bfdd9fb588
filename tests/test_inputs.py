"""The input layer: text, ASCII digits, years, amounts, ids and JSON nesting, each refused with a reason."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest

from keyproj import inputs
from keyproj.inputs import (
    ADMIN_YEARS,
    DB_INT_MAX,
    MONEY_MAX,
    WORKS_YEARS,
    BadInput,
    amount_problem,
    clean_text,
    json_problem,
    parse_date,
    parse_decimal,
    parse_id,
)


def reason(call, *args) -> str:
    with pytest.raises(BadInput) as info:
        call(*args)
    return str(info.value)


def test_text_is_nfc_stripped_and_keeps_tabs_and_line_breaks():
    assert clean_text("  e\u0301tude\r\n第二行\t完  ", 20) == "\u00e9tude\n第二行\t完"


@pytest.mark.parametrize("bad", ["a\x00b", "a\x1bb", "\x7f", "a\x85b", "\x0c"])
def test_control_characters_are_refused_naming_the_character(bad):
    assert reason(clean_text, bad, 100).startswith("含有不允许的控制字符 U+")


def test_a_lone_surrogate_is_refused():
    assert "代理码位" in reason(clean_text, "项目\ud800", 100)


@pytest.mark.parametrize(
    "invisible", ["", "   ", "\u200b", "\u200c\u200d", "\ufeff", "\u2060", "\u3000\u200b"]
)
def test_only_invisible_characters_are_blank_and_refused_where_required(invisible):
    assert clean_text(invisible, 100) is None
    assert reason(clean_text, invisible, 100, True) == "不能为空（只有空白或不可见字符）"


def test_length_is_bounded_before_and_after_normalising():
    assert clean_text("字" * 200, 200) == "字" * 200
    assert reason(clean_text, "字" * 201, 200) == "不能超过200个字符"
    # 201 code points as sent (what a client's maxLength counts), 101 after NFC.
    assert reason(clean_text, "e\u0301" * 100 + "x", 200) == "不能超过200个字符"


def test_dates_take_ascii_digits_only_and_a_year_in_range():
    assert parse_date("2026-03-31", ADMIN_YEARS) == date(2026, 3, 31)
    for typed in [
        "２０２６-03-31",
        "2026-０3-31",
        "20260331",
        "2026-W13-2",
        "2026-3-31",
        " 2026-03-31",
    ]:
        assert "不是日期" in reason(parse_date, typed)
    assert reason(parse_date, "2026-02-30") == "日期“2026-02-30”不存在"
    assert reason(parse_date, "0001-01-01", ADMIN_YEARS) == "年份应在2000年至2100年之间"
    assert reason(parse_date, "1989-12-31", WORKS_YEARS) == "年份应在1990年至2100年之间"
    assert parse_date("1990-01-01", WORKS_YEARS).year == 1990
    assert reason(parse_date, "9999-12-31", WORKS_YEARS) == "年份应在1990年至2100年之间"


def test_ids_fit_the_database_integer_in_ascii_digits():
    assert parse_id("1") == 1
    assert parse_id(str(DB_INT_MAX)) == 2147483647
    assert parse_id("007") == 7
    for typed in ["2147483648", "0", "9" * 5000]:
        assert reason(parse_id, typed) == "应在1至2147483647之间"
    for typed in ["１２", "-1", "1.0", "", " 1", "1e3"]:
        assert "不是整数" in reason(parse_id, typed)


def test_numbers_are_finite_and_ascii():
    assert parse_decimal("1200.5") == Decimal("1200.5")
    assert parse_decimal(3200.5) == Decimal("3200.5")
    assert parse_decimal(12) == Decimal(12)
    for typed in ["NaN", "Infinity", "-inf", "１２", "1e3", "1_000", "+5", " 5", "5."]:
        assert "不是有效的数字" in reason(parse_decimal, typed)
    for value in [float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity")]:
        assert reason(parse_decimal, value) == "不能是 NaN 或无穷大"
    assert "应为数字" in reason(parse_decimal, True)
    assert "应为数字" in reason(parse_decimal, [1])


def test_amounts_are_bounded_by_what_the_money_column_holds():
    assert Decimal("99999999999999.9999") == MONEY_MAX
    assert amount_problem(MONEY_MAX) is None
    assert amount_problem(Decimal("1e14")) == "不能超过 99,999,999,999,999.9999 万元"
    assert amount_problem(Decimal("1e30")) == "不能超过 99,999,999,999,999.9999 万元"
    assert amount_problem(Decimal("-1")) == "金额不能为负数"
    assert amount_problem(Decimal("-0")) == "金额不能为负数"
    assert amount_problem(Decimal("1.00001")) == "金额最多保留4位小数（万元）"
    assert amount_problem(Decimal("NaN")) == "不能是 NaN 或无穷大"


def test_json_deeper_than_the_limit_or_with_nul_is_found_without_recursion():
    assert json_problem({"a": [{"b": "文字"}]}) is None
    deep = json.loads('{"procedures": ' + "[" * 33 + "]" * 33 + "}")
    assert json_problem(deep) == ("procedures", "嵌套层数超过32层")
    very_deep: list[object] = []
    for _ in range(100_000):  # deeper than any recursion limit
        very_deep = [very_deep]
    assert json_problem(very_deep) == ("", "嵌套层数超过32层")
    assert json_problem({"title": "a\x00b"}) == ("title", "含有不允许的控制字符 U+0000")
    assert json_problem({"x": {"k\x00": 1}}) == ("x", "字段名含有不允许的字符")
    assert json_problem({"note": ["\udfff"]}) == (
        "note",
        "含有无效字符（不成对的 UTF-16 代理码位）",
    )


def test_year_patterns_match_exactly_their_years():
    for years in (ADMIN_YEARS, WORKS_YEARS, inputs.Years(1995, 2003)):
        pattern = re.compile(f"^({years.pattern})$")
        matched = [y for y in range(1000, 10000) if pattern.match(f"{y:04d}")]
        assert matched == list(range(years.first, years.last + 1))


def test_the_schema_patterns_agree_with_the_text_rules():
    no_controls = re.compile(inputs.NO_CONTROLS_PATTERN)
    visible = re.compile(inputs.VISIBLE_PATTERN)
    for text in ["文字", "a\tb\r\nc", "", "\u200b", " ", "a\x00", "\x85", "\u200bx"]:
        storable = inputs.text_problem(text) is None
        assert bool(no_controls.search(text)) == storable, repr(text)
        assert bool(visible.search(text)) == (storable and inputs.is_visible(text)), repr(text)


def test_amounts_typed_with_thousands_separators_as_the_pages_show_them_are_read():
    assert parse_decimal("1,260") == Decimal(1260)
    assert parse_decimal("12,345.6") == Decimal("12345.6")
    assert parse_decimal("1,234,567") == Decimal(1234567)
    assert parse_decimal("-1,260") == Decimal(-1260)


@pytest.mark.parametrize(
    "typed", ["1,26", "1,2345", ",123", "1,,234", "0,123", "1,234,56", "12,345.6,"]
)
def test_a_comma_not_every_three_digits_is_refused_saying_how_to_group(typed):
    assert "千位分隔不正确" in reason(parse_decimal, typed)
