"""The reporting ledger per unit (unit_book.py) laid out as a workbook a county office prints.

Each unit's sheet: a title row, a line of the unit's name and "单位：万元", a two-level header
with merged cells, a row per project, the unit's 小计; with more than one unit, a 汇总 sheet
of the units' subtotals and the 合计 comes first. Headers stay in view (frozen panes) and are
printed on every page (landscape, fit to the page's width). Text goes in through export.py's
``put_value``, so nothing a user typed is ever run as a formula.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from keyproj.services.projects.ledger.export import put_value
from keyproj.services.projects.ledger.unit_book import Line, Totals, UnitBook, UnitPart

AMOUNT_FORMAT = "#,##0.00"
RATE_FORMAT = "0.00%"
UNITS_LINE = "单位：万元"
SUMMARY_TITLE = "汇总"
HEADER_ROWS = (3, 4)
FIRST_ROW = 5
NOT_KNOWN = "—"  # a rate that cannot be computed (nothing planned to date, or no report)
# Characters a sheet's name may not hold in Excel.
SHEET_NAME_BANNED = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Col:
    """One column: its group header (None: the header spans both rows), its header, its width,
    the Line field it shows and its kind (text, amount, rate or serial)."""

    group: str | None
    header: str
    width: int
    field: str
    kind: str = "text"


COLS: tuple[Col, ...] = (
    Col(None, "序号", 6, "serial", "serial"),
    Col(None, "项目名称", 28, "name"),
    Col(None, "建设性质", 8, "nature"),
    Col(None, "建设内容及规模", 30, "content"),
    Col(None, "建设年限", 10, "years"),
    Col(None, "总投资", 12, "total", "amount"),
    Col("年度计划", "计划投资", 12, "annual_plan", "amount"),
    Col("年度计划", "截至本期计划", 12, "planned_to_date", "amount"),
    Col("截至本期完成", "本年完成投资", 12, "completed", "amount"),
    Col("截至本期完成", "完成率", 9, "rate", "rate"),
    Col("截至本期完成", "累计完成投资", 12, "cumulative", "amount"),
    Col("形象进度", "计划节点", 20, "milestone"),
    Col("形象进度", "实际进度", 24, "progress"),
    Col(None, "四色评价", 10, "colour"),
    Col(None, "存在问题", 26, "problems"),
    Col(None, "责任领导", 10, "leader"),
    Col("责任单位及责任人", "责任单位", 14, "unit"),
    Col("责任单位及责任人", "责任人", 10, "person"),
)
SUMMARY_COLS: tuple[Col, ...] = (
    Col(None, "序号", 6, "serial", "serial"),
    Col(None, "责任单位", 20, "unit"),
    Col(None, "项目个数", 10, "projects", "count"),
    Col(None, "总投资", 14, "total", "amount"),
    Col("年度计划", "计划投资", 14, "annual_plan", "amount"),
    Col("年度计划", "截至本期计划", 14, "planned_to_date", "amount"),
    Col("截至本期完成", "本年完成投资", 14, "completed", "amount"),
    Col("截至本期完成", "完成率", 10, "rate", "rate"),
    Col("截至本期完成", "累计完成投资", 14, "cumulative", "amount"),
)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="center", wrap_text=True)


def unit_book_xlsx(book: UnitBook) -> bytes:
    """The ledger as an .xlsx file: the 汇总 (with more than one unit), then a sheet per unit."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    if len(book.parts) != 1:  # none at all still gives a sheet: the empty 汇总
        _summary(workbook.create_sheet(SUMMARY_TITLE), book)
    names: set[str] = set()
    for part in book.parts:
        _unit_sheet(workbook.create_sheet(_sheet_name(part.unit_name, names)), book, part)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _unit_sheet(sheet: Worksheet, book: UnitBook, part: UnitPart) -> None:
    _top(sheet, book.title, f"责任单位：{part.unit_name}", COLS)
    row = FIRST_ROW
    for serial, line in enumerate(part.lines, start=1):
        _write_row(sheet, row, COLS, _line_values(serial, line))
        row += 1
    _total_row(sheet, row, COLS, "小计", part.subtotal)
    _finish(sheet, COLS, row)


def _summary(sheet: Worksheet, book: UnitBook) -> None:
    _top(sheet, book.title, "", SUMMARY_COLS)
    row = FIRST_ROW
    for serial, part in enumerate(book.parts, start=1):
        values = _totals_values(part.subtotal) | {"serial": serial, "unit": part.unit_name}
        _write_row(sheet, row, SUMMARY_COLS, values)
        row += 1
    _total_row(sheet, row, SUMMARY_COLS, "合计", book.total)
    _finish(sheet, SUMMARY_COLS, row)


def _top(sheet: Worksheet, title: str, unit_words: str, cols: tuple[Col, ...]) -> None:
    """The title row, the unit and units line, and the two header rows with their merges."""
    last = get_column_letter(len(cols))
    put_value(sheet["A1"], title)
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    half = len(cols) // 2
    put_value(sheet["A2"], unit_words)
    sheet.merge_cells(f"A2:{get_column_letter(half)}2")
    units_cell = sheet.cell(2, half + 1)
    put_value(units_cell, UNITS_LINE)
    sheet.merge_cells(f"{units_cell.coordinate}:{last}2")
    units_cell.alignment = Alignment(horizontal="right")
    top, bottom = HEADER_ROWS
    index = 1
    while index <= len(cols):
        col = cols[index - 1]
        if col.group is None:
            _header_cell(sheet, top, index, col.header)
            sheet.merge_cells(start_row=top, start_column=index, end_row=bottom, end_column=index)
            _box(sheet, bottom, index)
            index += 1
            continue
        span = _group_span(cols, index - 1)
        _header_cell(sheet, top, index, col.group)
        sheet.merge_cells(
            start_row=top, start_column=index, end_row=top, end_column=index + span - 1
        )
        for offset in range(span):
            _header_cell(sheet, bottom, index + offset, cols[index - 1 + offset].header)
        index += span


def _group_span(cols: tuple[Col, ...], start: int) -> int:
    group = cols[start].group
    span = 0
    while start + span < len(cols) and cols[start + span].group == group:
        span += 1
    return span


def _header_cell(sheet: Worksheet, row: int, column: int, text: str) -> None:
    cell = sheet.cell(row, column)
    put_value(cell, text)
    cell.font = Font(bold=True)
    cell.fill = HEADER_FILL
    cell.alignment = CENTRE
    cell.border = BOX


def _box(sheet: Worksheet, row: int, column: int) -> None:
    sheet.cell(row, column).border = BOX


def _line_values(serial: int, line: Line) -> dict[str, object]:
    return asdict(line) | {"serial": serial}


def _totals_values(totals: Totals) -> dict[str, object]:
    return {
        "projects": totals.projects,
        "total": totals.total,
        "annual_plan": totals.annual_plan,
        "planned_to_date": totals.planned_to_date,
        "completed": totals.completed,
        "rate": totals.rate,
        "cumulative": totals.cumulative,
    }


def _write_row(
    sheet: Worksheet, row: int, cols: tuple[Col, ...], values: dict[str, object]
) -> None:
    for index, col in enumerate(cols, start=1):
        cell = sheet.cell(row, index)
        value = values.get(col.field)
        cell.border = BOX
        cell.alignment = WRAP
        if col.kind == "amount":
            cell.value = float(value) if isinstance(value, Decimal) else None
            cell.number_format = AMOUNT_FORMAT
        elif col.kind == "rate":
            if isinstance(value, Decimal):
                cell.value = float(value)
                cell.number_format = RATE_FORMAT
            else:
                put_value(cell, NOT_KNOWN if values.get("completed") is not None else "")
        elif col.kind in ("serial", "count"):
            cell.value = value
            cell.alignment = CENTRE
        else:
            put_value(cell, "" if value is None else str(value))


def _total_row(
    sheet: Worksheet, row: int, cols: tuple[Col, ...], words: str, totals: Totals
) -> None:
    """小计 or 合计: the words over the first columns, then the sums."""
    values = _totals_values(totals)
    if cols is COLS:
        values["name"] = f"共{totals.projects}个项目"
    _write_row(sheet, row, cols, values)
    put_value(sheet.cell(row, 1), words)
    for index in range(1, len(cols) + 1):
        cell = sheet.cell(row, index)
        cell.font = Font(bold=True)
        cell.fill = TOTAL_FILL


def _finish(sheet: Worksheet, cols: tuple[Col, ...], last_row: int) -> None:
    """Widths, frozen header panes and the print setup."""
    for index, col in enumerate(cols, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = col.width
    sheet.freeze_panes = sheet.cell(FIRST_ROW, 3).coordinate
    sheet.print_title_rows = f"1:{HEADER_ROWS[1]}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_area = f"A1:{get_column_letter(len(cols))}{last_row}"


def _sheet_name(unit_name: str, taken: set[str]) -> str:
    """The unit's name as Excel allows a sheet's name: without the banned characters, at most 31, unique."""
    base = SHEET_NAME_BANNED.sub("", unit_name)[:31] or "单位"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base[: 31 - len(str(n)) - 1]}_{n}"
    taken.add(name)
    return name
