"""The ledger import against hostile cells: each named by row, column and reason; nothing imported."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from sqlalchemy import func, select

from keyproj.clock import BEIJING
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


def test_amounts_typed_with_thousands_separators_are_imported(session, units):
    cells = {"总投资（万元）": "12,345.6", "年度计划投资（万元）": "1,260"}
    import_projects(session, ledger_workbook([ledger_row(CODE, **cells)]), 2026, "monthly")
    assert session.scalars(select(Project)).one().total_investment == Decimal("12345.6")


def test_a_misplaced_thousands_separator_is_refused_naming_row_and_column(session, units):
    assert refused(session, **{"总投资（万元）": "1,2345"}) == [
        "第2行「总投资（万元）」：“1,2345”的千位分隔不正确：逗号应每三位数字一个，如 1,260 或 12,345.6"
    ]


def test_a_planned_completion_in_the_past_is_refused_naming_row_and_column(session, units):
    with time_machine.travel(datetime(2026, 7, 1, 10, tzinfo=BEIJING), tick=False):
        lines = refused(session, **{"计划竣工日期": date(2026, 6, 30)})
    assert lines == ["第2行「计划竣工日期」：计划竣工日期 2026-06-30 已过（今天是 2026-07-01）"]


@pytest.mark.parametrize("stage", ["主体施工", "竣工验收", "投入使用"])
def test_lp7_a_county_imports_a_project_already_building_past_its_completion(session, units, stage):
    """A county adopting mid-year takes in its ledger: a late project is a fact, not a typo."""
    cells = {"计划竣工日期": date(2026, 6, 30), "项目阶段": stage}
    book = ledger_workbook([ledger_row(CODE, **cells)])
    with time_machine.travel(datetime(2026, 9, 1, 10, tzinfo=BEIJING), tick=False):
        assert import_projects(session, book, 2026, "monthly").created == 1
    assert session.scalars(select(Project)).one().planned_completion == date(2026, 6, 30)


@pytest.mark.parametrize("stage", ["谋划储备", "前期手续", "三通一平"])
def test_a_project_not_yet_building_with_a_past_completion_is_refused_naming_row_and_column(
    session, units, stage
):
    with time_machine.travel(datetime(2026, 7, 1, 10, tzinfo=BEIJING), tick=False):
        lines = refused(session, **{"计划竣工日期": date(2026, 6, 30), "项目阶段": stage})
    assert lines == ["第2行「计划竣工日期」：计划竣工日期 2026-06-30 已过（今天是 2026-07-01）"]


def test_a_past_completion_already_stored_is_kept_on_reimport(session, units):
    book = ledger_workbook([ledger_row(CODE, **{"计划竣工日期": date(2026, 6, 30)})])
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=BEIJING), tick=False):
        import_projects(session, book, 2026, "monthly")
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=BEIJING), tick=False):
        assert import_projects(session, book, 2026, "monthly").updated == 1


def test_a_ledger_dated_to_a_day_checks_completion_against_that_day(session, units):
    """A ledger taken in as of a day (the demo's, early in its year) is checked against that day."""
    book = ledger_workbook([ledger_row(CODE, **{"计划竣工日期": date(2026, 6, 30)})])
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=BEIJING), tick=False):
        with pytest.raises(ImportRowError) as info:
            import_projects(session, book, 2026, "monthly", today=date(2026, 7, 1))
        session.rollback()
        assert info.value.lines() == [
            "第2行「计划竣工日期」：计划竣工日期 2026-06-30 已过（今天是 2026-07-01）"
        ]
        assert import_projects(session, book, 2026, "monthly", today=date(2026, 6, 30)).created == 1


def test_an_annual_plan_above_the_total_investment_is_refused_naming_row_and_column(session, units):
    cells = {"总投资（万元）": 1000, "年度计划投资（万元）": 1200}
    assert refused(session, **cells) == [
        "第2行「年度计划投资（万元）」：年度计划投资 1200 万元超过总投资 1000 万元"
    ]
