"""The ledger import against hostile cells: each named by row, column and reason; nothing imported."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from keyproj.db.models import Project
from keyproj.errors import ImportRowError
from keyproj.services.projects.ledger.importing import import_projects
from tests.builders import factories
from tests.builders.ledger import row as ledger_row
from tests.builders.ledger import workbook as ledger_workbook

CODE = "2026-441623-48-01-200001"


@pytest.fixture
def units(session):  # type: ignore[no-untyped-def]
    factories.unit(session, "T01", "城关镇")
    session.commit()


def refused(session, **cells: Any) -> list[str]:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportRowError) as info:
        import_projects(session, ledger_workbook([ledger_row(CODE, **cells)]), 2026, "monthly")
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Project)) == 0
    return info.value.lines()


@pytest.mark.parametrize(
    ("cells", "line"),
    [
        ({"计划开工日期": "２０２６-03-01"}, "第2行「计划开工日期」：“２０２６-03-01”不是有效日期"),
        ({"总投资（万元）": "１２０００"}, "第2行「总投资（万元）」：“１２０００”不是数字"),
        ({"项目代码": "２０２６-441623-48-01-200001"}, "第2行「项目代码」：格式不正确"),
    ],
)
def test_non_ascii_digits_are_refused(session, units, cells, line):
    [only] = refused(session, **cells)
    assert only.startswith(line)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (1e14, "不能超过 99,999,999,999,999.9999 万元"),
        (1e30, "不能超过 99,999,999,999,999.9999 万元"),
        ("100000000000000", "不能超过 99,999,999,999,999.9999 万元"),
        ("NaN", "“NaN”不是数字，应填金额（万元，半角数字）"),
        ("Infinity", "“Infinity”不是数字，应填金额（万元，半角数字）"),
    ],
)
def test_huge_and_non_finite_amounts_are_refused(session, units, value, reason):
    assert refused(session, **{"总投资（万元）": value}) == [f"第2行「总投资（万元）」：{reason}"]


def test_dates_outside_their_years_are_refused(session, units):
    assert refused(
        session,
        **{"批准（计划下达）日期": date(1900, 1, 1), "计划竣工日期": "9999-12-31"},
    ) == [
        "第2行「批准（计划下达）日期」：年份应在1990年至2100年之间",
        "第2行「计划竣工日期」：年份应在1990年至2100年之间",
    ]


def test_zero_width_only_names_are_refused(session, units):
    assert refused(session, 项目名称="\u200b\ufeff") == [
        "第2行「项目名称」：不能为空（只有空白或不可见字符）"
    ]


def test_an_oversize_name_is_refused_with_the_limit(session, units):
    assert refused(session, 项目名称="名" * 201) == ["第2行「项目名称」：不能超过200个字符"]
