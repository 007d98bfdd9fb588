"""The 「年度计划分解」 sheet (LP6, AL4, HD1, GS7): imported as the approved plan's periods, exported
back, and every wrong breakdown refused naming its sheet, row and column with nothing imported."""

from __future__ import annotations

import tempfile
from datetime import datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from keyproj.db.models import AnnualPlan, PlanPeriod, PlanVersion, Project
from keyproj.errors import ImportRowError
from keyproj.services.projects import plans
from keyproj.services.projects.ledger import importing, writing
from keyproj.services.projects.ledger.export import export_projects, export_template
from keyproj.services.projects.ledger.importing import import_projects
from tests.builders import factories
from tests.builders.ledger import (
    CODE_A,
    CODE_B,
    COUNTY,
    YEAR,
    monthly_breakdown,
    period_row,
    row,
    stored,
    workbook,
)

ANNUAL = {"年度计划投资（万元）": 1200}


def imported(session: Session, book: bytes, cycle: str = "monthly") -> None:
    import_projects(session, book, YEAR, cycle)
    session.commit()


def refused(session: Session, book: bytes, cycle: str = "monthly") -> list[str]:
    with pytest.raises(ImportRowError) as info:
        import_projects(session, book, YEAR, cycle)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Project)) == 0
    assert session.scalar(select(func.count()).select_from(PlanPeriod)) == 0
    return info.value.lines()


def periods_of(session: Session, code: str) -> list[tuple[str, Decimal, Decimal, str | None]]:
    version = plans.current_version(session, stored(session, code).id, YEAR)
    assert version is not None, f"no approved plan for {code}"
    return [
        (p.period, p.planned_investment, p.planned_progress_pct, p.milestone)
        for p in version.periods
    ]


def sheets(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_lp6_a_monthly_breakdown_becomes_the_approved_plans_periods(session, units):
    book = workbook([row(CODE_A, **ANNUAL)], breakdown=monthly_breakdown(CODE_A, 1200))
    imported(session, book)

    found = periods_of(session, CODE_A)
    assert len(found) == 12
    assert found[0] == ("2026-01", Decimal(100), Decimal("8.3"), "第1月节点")
    assert found[-1][:3] == ("2026-12", Decimal(100), Decimal(100))


def test_al4_a_quarterly_breakdown_with_procedures_is_imported(session, units):
    quarters = [
        period_row(CODE_A, f"2026-Q{q}", 300, 25 * q, 手续办理="施工许可" if q == 1 else None)
        for q in range(1, 5)
    ]
    imported(session, workbook([row(CODE_A, **ANNUAL)], breakdown=quarters), "quarterly")
    version = plans.current_version(session, stored(session, CODE_A).id, YEAR)
    assert version is not None
    assert [(p.period, p.procedures) for p in version.periods][:2] == [
        ("2026-Q1", "施工许可"),
        ("2026-Q2", None),
    ]


def test_a_month_excel_turned_into_a_date_is_read_as_that_month(session, units):
    rows = [period_row(CODE_A, datetime(2026, 3, 1), 1200, 40)]
    imported(session, workbook([row(CODE_A, **ANNUAL)], breakdown=rows))
    assert [p[0] for p in periods_of(session, CODE_A)] == ["2026-03"]


def test_lp6_periods_not_adding_up_to_the_annual_amount_are_refused_naming_row_and_column(
    session, units
):
    rows = monthly_breakdown(CODE_A, 1100)
    assert refused(session, workbook([row(CODE_A, **ANNUAL)], breakdown=rows)) == [
        "第2行「年度计划分解：当期计划投资（万元）」：各期计划投资合计 1100 万元，"
        "与「重点项目台账」第2行年度计划投资 1200 万元不一致"
    ]


def test_lp6_a_period_outside_the_year_is_refused_naming_row_and_column(session, units):
    rows = [period_row(CODE_A, "2026-12", 600, 50), period_row(CODE_A, "2027-01", 600, 100)]
    assert refused(session, workbook([row(CODE_A, **ANNUAL)], breakdown=rows)) == [
        "第3行「年度计划分解：期次」：期次 2027-01 不属于2026年"
    ]


def test_lp6_physical_progress_that_goes_down_is_refused_naming_row_and_column(session, units):
    # Rows out of order are fine: the check follows the periods, not the rows.
    rows = [
        period_row(CODE_A, "2026-02", 400, 20),
        period_row(CODE_A, "2026-01", 400, 30),
        period_row(CODE_A, "2026-03", 400, 60),
    ]
    assert refused(session, workbook([row(CODE_A, **ANNUAL)], breakdown=rows)) == [
        "第2行「年度计划分解：累计形象进度（%）」：累计形象进度 20% 低于上一期（2026-01，30%），"
        "累计进度不能下降"
    ]


def test_lp6_a_duplicate_period_is_refused_naming_both_rows(session, units):
    rows = [period_row(CODE_A, "2026-03", 600, 20), period_row(CODE_A, "2026-03", 600, 30)]
    assert refused(session, workbook([row(CODE_A, **ANNUAL)], breakdown=rows)) == [
        "第3行「年度计划分解：期次」：期次 2026-03 与第2行重复"
    ]


def test_a_period_of_the_wrong_breakdown_is_refused_with_an_example(session, units):
    rows = [period_row(CODE_A, "2026-Q1", 1200, 20)]
    [line] = refused(session, workbook([row(CODE_A, **ANNUAL)], breakdown=rows))
    assert line.startswith("第2行「年度计划分解：期次」：“2026-Q1”格式不正确，月报期次应如 2026-03")


def test_breakdown_cells_and_codes_the_main_sheet_lacks_are_refused(session, units):
    rows = [
        period_row(CODE_A, "2026-01", "一千二", 20),
        period_row(CODE_B, "2026-01", 100, 120),
        period_row(CODE_B, "2026-02", 100, 100),
    ]
    assert refused(session, workbook([row(CODE_A, **ANNUAL)], breakdown=rows)) == [
        "第2行「年度计划分解：当期计划投资（万元）」：“一千二”不是数字，应填金额（万元，半角数字）",
        "第3行「年度计划分解：累计形象进度（%）」：百分比必须在0到100之间",
        f"第4行「年度计划分解：项目代码」：项目代码 {CODE_B} 不在「重点项目台账」表中",
    ]


def test_a_breakdown_without_an_annual_amount_is_refused(session, units):
    rows = [period_row(CODE_A, "2026-01", 100, 20)]
    assert refused(session, workbook([row(CODE_A)], breakdown=rows)) == [
        "第2行「年度计划分解：当期计划投资（万元）」：「重点项目台账」第2行未填年度计划投资，无法分解"
    ]


def test_al5_an_approved_breakdown_is_not_changed_by_a_reimport(session, units):
    imported(session, workbook([row(CODE_A, **ANNUAL)], breakdown=monthly_breakdown(CODE_A, 1200)))
    same = workbook([row(CODE_A, **ANNUAL)], breakdown=monthly_breakdown(CODE_A, 1200))
    assert import_projects(session, same, YEAR, "monthly").updated == 1

    changed = monthly_breakdown(CODE_A, 1200, months=6)
    with pytest.raises(ImportRowError) as info:
        import_projects(
            session, workbook([row(CODE_A, **ANNUAL)], breakdown=changed), YEAR, "monthly"
        )
    assert info.value.lines() == [
        "第2行「年度计划分解：期次」：与已批准的年度计划分解不一致，请通过计划调整修改（AL5）"
    ]


def test_lp6_breakdown_rows_in_any_order_go_with_their_projects_chunk_by_chunk(
    session, units, monkeypatch
):
    monkeypatch.setattr(importing, "CHUNK", 2)
    monkeypatch.setattr(writing, "CHUNK", 2)
    codes = [f"2026-441623-48-01-3000{n:02d}" for n in range(5)]
    # The last project's rows come first; the others' alternate month by month.
    rows = monthly_breakdown(codes[4], 1200, months=3)
    for month in range(3):
        rows += [monthly_breakdown(code, 1200, months=3)[month] for code in codes[:4]]

    imported(session, workbook([row(code, **ANNUAL) for code in codes], breakdown=rows))

    for code in codes:
        assert periods_of(session, code) == [
            ("2026-01", Decimal(400), Decimal("33.3"), "第1月节点"),
            ("2026-02", Decimal(400), Decimal("66.7"), "第2月节点"),
            ("2026-03", Decimal(400), Decimal(100), "第3月节点"),
        ], code


def test_a_project_repeated_in_a_later_chunk_is_refused_and_its_breakdown_checked_once(
    session, units, monkeypatch
):
    monkeypatch.setattr(importing, "CHUNK", 2)
    rows = [row(CODE_A, **ANNUAL), row(CODE_B), row(CODE_A, **{"年度计划投资（万元）": 900})]
    book = workbook(rows, breakdown=monthly_breakdown(CODE_A, 1200))
    assert refused(session, book) == [f"第4行「项目代码」：项目代码 {CODE_A} 与第2行重复"]


def test_the_breakdown_leaves_no_file_behind_whether_imported_or_refused(
    session, units, tmp_path, monkeypatch
):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    wrong = workbook([row(CODE_A, **ANNUAL)], breakdown=monthly_breakdown(CODE_A, 1100))
    refused(session, wrong)
    assert list(scratch.iterdir()) == []

    imported(session, workbook([row(CODE_A, **ANNUAL)], breakdown=monthly_breakdown(CODE_A, 1200)))
    assert list(scratch.iterdir()) == []
    assert len(periods_of(session, CODE_A)) == 12


def test_a_plan_whose_versions_were_all_rejected_gets_the_imported_breakdown(session, units):
    project = factories.project(session, code=CODE_A)
    draft = plans.draft_version(
        session, None, project, YEAR, plans.PlanData(Decimal("100")), "monthly"
    )
    plans.submit_version(session, None, draft)
    plans.reject_version(session, None, draft, "金额有误")
    session.commit()

    imported(session, workbook([row(CODE_A, **ANNUAL)], breakdown=monthly_breakdown(CODE_A, 1200)))

    found = periods_of(session, CODE_A)
    assert [p[0] for p in found] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert sum(p[1] for p in found) == 1200


def test_export_then_import_into_an_empty_database_gives_the_same_workbook(session, units):
    b_rows = [period_row(CODE_B, f"2026-{m:02d}", 250, 25 * (m - 8)) for m in range(9, 13)]
    book = workbook(
        [
            row(CODE_A, **ANNUAL),
            row(CODE_B, **{"年度计划投资（万元）": "1,000"}),
            row("2026-441623-48-01-100003"),
        ],
        breakdown=[*monthly_breakdown(CODE_A, 1200), *b_rows],
    )
    imported(session, book)
    first = export_projects(session, COUNTY, YEAR)

    _empty_the_ledger(session)
    imported(session, first)
    again = export_projects(session, COUNTY, YEAR)

    assert sheets(again) == sheets(first)
    assert len(sheets(first)["年度计划分解"]) == 1 + 12 + 4
    assert sheets(first)["年度计划分解"][13][:4] == (CODE_B, "2026-09", 250, 25)


def test_the_template_has_both_sheets_and_imports_as_nothing(session, units):
    content = export_template("quarterly", YEAR)
    found = sheets(content)
    assert found["重点项目台账"][0][:3] == ("序号", "项目名称", "项目代码")
    assert found["年度计划分解"] == [
        ("项目代码", "期次", "当期计划投资（万元）", "累计形象进度（%）", "节点目标", "手续办理")
    ]
    assert any("如 2026-Q1（2026年第1季度）" in (line or "") for (line,) in found["填写说明"])
    assert import_projects(session, content, YEAR, "quarterly").created == 0


def _empty_the_ledger(session: Session) -> None:
    session.execute(update(AnnualPlan).values(current_version_id=None))
    for model in (PlanPeriod, PlanVersion, AnnualPlan, Project):
        session.execute(delete(model))
    session.commit()
    assert session.scalar(select(func.count()).select_from(Project)) == 0
