"""The reporting ledger per unit (issue 13 part 8): figures against the hand, subtotals and the
total, the merged two-level header, the units line, print setup, formula safety and scope."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from keyproj.errors import NotFound
from keyproj.policy import load_profile
from keyproj.services.projects.ledger.unit_book import unit_book
from keyproj.services.projects.ledger.unit_sheet import unit_book_xlsx
from tests.builders.unit_book import unit_book_county

LIANPING = load_profile("lianping")
TITLE = "连平县2026年重点项目建设台账（截至2026年9月）"
HEADER_TOP = [
    "序号", "项目名称", "建设性质", "建设内容及规模", "建设年限", "总投资", "年度计划", None,
    "截至本期完成", None, None, "形象进度", None, "四色评价", "存在问题", "责任领导",
    "责任单位及责任人", None,
]  # fmt: skip
HEADER_SUB = [
    None, None, None, None, None, None, "计划投资", "截至本期计划", "本年完成投资", "完成率",
    "累计完成投资", "计划节点", "实际进度", None, None, None, "责任单位", "责任人",
]  # fmt: skip
MERGED = {
    "A1:R1", "A2:I2", "J2:R2", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:F4", "G3:H3",
    "I3:K3", "L3:M3", "N3:N4", "O3:O4", "P3:P4", "Q3:R3",
}  # fmt: skip


@pytest.fixture
def ledger(county):
    return unit_book_county(county.with_people("zdb", "town"))


def _book(county, username: str, unit_id: int | None = None):
    return load_workbook(
        BytesIO(
            unit_book_xlsx(
                unit_book(county.session, county.people[username], LIANPING, "2026-09", unit_id)
            )
        )
    )


def _rows(sheet: Worksheet) -> list[list[object]]:
    return [list(r) for r in sheet.iter_rows(min_row=5, values_only=True)]


def test_each_unit_has_its_sheet_with_the_title_the_units_line_and_the_merged_header(ledger):
    book = _book(ledger, "zdb")

    assert book.sheetnames == ["汇总", "城关镇", "石桥镇"]  # 县交通运输局 leads no project
    sheet = book["城关镇"]
    assert sheet["A1"].value == TITLE
    assert sheet["A2"].value == "责任单位：城关镇"
    assert sheet["J2"].value == "单位：万元"
    assert {str(r) for r in sheet.merged_cells.ranges} == MERGED
    assert [c.value for c in sheet[3]] == HEADER_TOP
    assert [c.value for c in sheet[4]] == HEADER_SUB
    assert sheet.freeze_panes == "C5"
    assert sheet.print_title_rows == "$1:$4"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True


def test_the_figures_of_each_project_are_the_hand_computed_ones(ledger):
    sheet = _book(ledger, "zdb")["城关镇"]
    road, school, subtotal = _rows(sheet)

    assert road == [
        1, "城关镇环城路改建工程", "新开工", "新建城市主干道2.4公里", "2026-2027",
        12000, 3000, 3000, 2400, 0.8, 5400, "路面铺设", "路基完成（形象进度24%）", "黄色",
        "征地补偿未到位", "李明", "城关镇", "张三",
    ]  # fmt: skip
    # No September report (August's is not September's): nothing completed, 未报送.
    assert school[1:13] == [
        "城关镇第二小学建设项目", "新开工", None, None, 12000, 3000, 3000, None, None, None,
        "路面铺设", None,
    ]  # fmt: skip
    assert school[13] == "未报送"
    # 小计: 24000, 6000, 6000, 2400 done of 6000 to date = 40%, 5400 in all.
    assert subtotal[:11] == [
        "小计",
        "共2个项目",
        None,
        None,
        None,
        24000,
        6000,
        6000,
        2400,
        0.4,
        5400,
    ]
    assert sheet["F5"].number_format == "#,##0.00"
    assert sheet["J5"].number_format == "0.00%"


def test_the_summary_holds_each_units_subtotal_and_the_county_total(ledger):
    sheet = _book(ledger, "zdb")["汇总"]
    rows = _rows(sheet)

    assert sheet["A1"].value == TITLE
    assert [c.value for c in sheet[3]][:7] == [
        "序号",
        "责任单位",
        "项目个数",
        "总投资",
        "年度计划",
        None,
        "截至本期完成",
    ]
    assert rows == [
        [1, "城关镇", 2, 24000, 6000, 6000, 2400, 0.4, 5400],
        [2, "石桥镇", 1, 12000, 3000, 3000, 3000, 1, 3000],
        ["合计", None, 3, 36000, 9000, 9000, 5400, 0.6, 8400],
    ]


def test_a_unit_gets_only_its_own_sheet_and_not_another_units(ledger):
    book = _book(ledger, "town")
    assert book.sheetnames == ["城关镇"]
    assert [r[1] for r in _rows(book["城关镇"])] == [
        "城关镇环城路改建工程", "城关镇第二小学建设项目", "共2个项目",
    ]  # fmt: skip

    with pytest.raises(NotFound):
        unit_book(
            ledger.session, ledger.people["town"], LIANPING, "2026-09", ledger.bridge.lead_unit_id
        )


def test_the_key_office_may_ask_for_one_unit(ledger):
    book = _book(ledger, "zdb", ledger.bridge.lead_unit_id)
    assert book.sheetnames == ["石桥镇"]
    bridge, subtotal = _rows(book["石桥镇"])
    assert bridge[5:11] == [12000, 3000, 3000, 3000, 1, 3000]
    assert bridge[13] == "绿色"
    assert subtotal[0] == "小计"


def test_a_leader_gets_the_projects_in_their_charge(ledger):
    ledger.link_leader("leader01", ledger.bridge)
    book = _book(ledger, "leader01")
    assert book.sheetnames == ["石桥镇"]
    assert [r[1] for r in _rows(book["石桥镇"])] == ["石桥镇跨河大桥工程", "共1个项目"]
    assert _rows(book["石桥镇"])[0][15] == "李挂钩"  # the project's leader before the team's


def test_a_unit_without_projects_gets_an_empty_sheet_with_a_zero_subtotal(ledger):
    ledger.with_people("dept")
    book = _book(ledger, "dept")
    assert book.sheetnames == ["县交通运输局"]
    assert _rows(book["县交通运输局"]) == [
        ["小计", "共0个项目", None, None, None, 0, 0, 0, 0, "—", 0] + [None] * 7
    ]


def test_text_a_spreadsheet_would_run_stays_text(ledger):
    ledger.road.name = '=HYPERLINK("http://x","y")'
    ledger.session.commit()
    cell = _book(ledger, "zdb")["城关镇"]["B5"]
    assert cell.value == '=HYPERLINK("http://x","y")'
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_a_unit_that_does_not_exist_is_not_found(ledger):
    with pytest.raises(NotFound):
        unit_book(ledger.session, ledger.people["zdb"], LIANPING, "2026-09", 999999)


def test_the_totals_of_the_service_sum_the_lines(ledger):
    book = unit_book(ledger.session, ledger.people["zdb"], LIANPING, "2026-09")
    total = book.total
    assert (total.projects, total.total, total.completed, total.rate) == (
        3,
        Decimal("36000"),
        Decimal("5400"),
        Decimal("0.6"),
    )
