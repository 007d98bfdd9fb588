"""Exporting the project ledger workbook: the viewer's projects, plans, and no live formulas."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from keyproj.db.models import PlanVersion, Project
from keyproj.services.access import viewer_for
from keyproj.services.org.directory import save_leader
from keyproj.services.projects import plans
from keyproj.services.projects.ledger.export import export_projects, put_value
from keyproj.services.projects.ledger.importing import import_projects
from tests.builders import factories
from tests.builders.ledger import (
    CODE_A,
    COUNTY,
    HEADERS,
    YEAR,
    count,
    row,
    stored,
    workbook,
)

HOSTILE_NAMES = [
    '=HYPERLINK("http://x","y")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
]


def test_export_then_import_updates_instead_of_duplicating(session, units):
    leader = save_leader(session, "王五")
    first = factories.project(session, name="城关大道改造", leader_name=leader.name)
    factories.project(session, "T02", level="provincial", central_funds=True)
    plans.file_approved(session, first, YEAR, plans.PlanData(Decimal("2500.25")), "monthly")
    session.commit()

    exported = export_projects(session, COUNTY, YEAR)

    sheet = load_workbook(BytesIO(exported)).active
    assert sheet.title == "重点项目台账"
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == HEADERS
    by_name = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_name["城关大道改造"][3] == "县重点"
    assert by_name["城关大道改造"][9] == 2500.25
    assert by_name["城关大道改造"][12] == "王五"
    other = next(r for name, r in by_name.items() if name != "城关大道改造")
    assert (other[3], other[7], other[9], other[10]) == ("省重点", "是", None, "县水利局")

    sheet.cell(2, 2).value = "改过的名称"
    edited = BytesIO()
    sheet.parent.save(edited)
    result = import_projects(session, edited.getvalue(), YEAR, "monthly")

    assert (result.created, result.updated, result.leaders_added, result.plans_filed) == (
        0,
        2,
        0,
        0,
    )
    assert count(session, Project) == 2
    assert count(session, PlanVersion) == 1
    assert stored(session, str(sheet.cell(2, 3).value)).name == "改过的名称"


def test_export_shows_only_the_viewers_projects(session, units):
    mine = factories.project(session, "T01")
    factories.project(session, "T02")
    liaison = factories.user(session, "liaison1", "T01", "unit_liaison")
    sheet = load_workbook(BytesIO(export_projects(session, viewer_for(session, liaison), YEAR)))
    codes = [r[2] for r in sheet.active.iter_rows(min_row=2, values_only=True)]
    assert codes == [mine.code]


def test_formula_like_names_are_exported_as_text_and_read_back_unchanged(session, units):
    rows = [
        row(f"2026-441623-48-01-2000{n:02d}", 项目名称=name) for n, name in enumerate(HOSTILE_NAMES)
    ]
    rows.append(row(CODE_A, 项目名称="普通项目", **{"年度计划投资（万元）": 3000}))
    import_projects(session, workbook(rows), YEAR, "monthly")
    session.commit()

    exported = export_projects(session, COUNTY, YEAR)

    sheet = load_workbook(BytesIO(exported)).active
    cells = [cell for line in sheet.iter_rows() for cell in line]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    by_name = {r[1].value: r for r in sheet.iter_rows(min_row=2)}
    assert set(by_name) == {*HOSTILE_NAMES, "普通项目"}
    for name in HOSTILE_NAMES:
        assert by_name[name][1].quotePrefix, name  # stays text when edited in Excel or WPS
    assert not by_name["普通项目"][1].quotePrefix
    plan_cell = by_name["普通项目"][9]
    assert (plan_cell.value, plan_cell.data_type) == (3000, "n")  # numbers stay numbers

    again = import_projects(session, exported, YEAR, "monthly")

    assert (again.created, again.updated) == (0, len(HOSTILE_NAMES) + 1)
    names = {stored(session, r["项目代码"]).name for r in rows}
    assert names == {*HOSTILE_NAMES, "普通项目"}


@pytest.mark.parametrize("name", ["=1+1", "@cmd"])
def test_formula_like_text_in_any_text_column_is_text(session, units, name):
    factories.project(session, construction_unit=name, location=name, industry_chain=name)
    session.commit()
    sheet = load_workbook(BytesIO(export_projects(session, COUNTY, YEAR))).active
    texts = [c for c in sheet[2] if c.value == name]
    assert len(texts) == 3
    assert all(c.data_type == "s" and c.quotePrefix for c in texts)


@pytest.mark.parametrize("text", ["\t=1+1", "\r=1+1", "=1+1", "a\x01b"])
def test_text_put_in_a_cell_is_saved_as_text(text):
    book = Workbook()
    put_value(book.active["A1"], text)
    put_value(book.active["A2"], 12.5)
    saved = BytesIO()
    book.save(saved)
    sheet = load_workbook(BytesIO(saved.getvalue())).active
    assert sheet["A1"].data_type == "s"
    assert sheet["A1"].value == text.replace("\x01", "")  # .xlsx cannot hold control characters
    assert (sheet["A2"].value, sheet["A2"].data_type) == (12.5, "n")
