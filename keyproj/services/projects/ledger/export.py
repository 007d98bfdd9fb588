"""Export of the project ledger (重点项目台账) as an .xlsx workbook, safe to open in a spreadsheet.

A text cell that a spreadsheet would take for a formula (it begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) is written as text with Excel's quote prefix, so a project
named ``=HYPERLINK(…)`` is shown, never run, and stays text when the user edits the cell.
Numbers and dates stay numbers and dates.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.db.models import AnnualPlan, PlanPeriod, PlanVersion
from keyproj.services.access import Viewer
from keyproj.services.projects.ledger.breakdown import BREAKDOWN_COLUMNS, BREAKDOWN_TITLE
from keyproj.services.projects.ledger.columns import COLUMNS, Column, write_cell
from keyproj.services.projects.project import list_projects, project_data

SHEET_TITLE = "重点项目台账"
NOTES_TITLE = "填写说明"
# What makes Excel, WPS or LibreOffice read typed text as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_projects(session: Session, viewer: Viewer, year: int) -> bytes:
    """The ledger of the projects the viewer may see, with each one's approved plan for ``year``."""
    projects = list_projects(session, viewer)
    amounts = _approved_amounts(session, [p.id for p in projects], year)
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = SHEET_TITLE
    _write_header(sheet, COLUMNS)
    for serial, project in enumerate(projects, start=1):
        values = asdict(project_data(project))
        values.update(serial=serial, annual_investment=amounts.get(project.id))
        values["lead_unit_code"] = project.lead_unit.name
        for index, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(serial + 1, index)
            put_value(cell, write_cell(column, values.get(column.field)))
            if column.kind == "date":
                cell.number_format = "yyyy-mm-dd"
    _write_breakdown(book, [(p.id, p.code) for p in projects], _approved_periods(session, year))
    return _saved(book)


def export_template(cycle: str, year: int) -> bytes:
    """An empty ledger to fill in: both sheets' headers and a sheet of how to fill them."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = SHEET_TITLE
    _write_header(sheet, COLUMNS)
    _write_breakdown(book, [], {})
    notes = book.create_sheet(NOTES_TITLE)
    notes.column_dimensions["A"].width = 100
    for line in template_notes(cycle, year):
        notes.append([line])
    return _saved(book)


def template_notes(cycle: str, year: int) -> list[str]:
    """How to fill the ledger in, for the profile's breakdown (monthly or quarterly)."""
    first = periods.of_year(cycle, year)[0]
    return [
        "填写说明",
        f"1.「{SHEET_TITLE}」每个项目一行，按项目代码新增或更新；金额单位为万元，可带千位分隔符。",
        f"2.「{BREAKDOWN_TITLE}」每个项目每个期次一行，按项目代码与主表对应；"
        f"期次按{periods.CYCLE_LABELS[cycle]}填写，如 {first.key}（{first.label}），须属于{year}年。",
        "3. 各期计划投资合计须等于主表的年度计划投资；累计形象进度（%）按期次逐期不减；同一期次不得重复。",
        "4. 年度计划投资不得超过总投资；计划竣工日期不得早于今天。",
        "5. 任何一行有误，整个文件都不会导入；错误会指明表、行和列。",
    ]


def _write_breakdown(
    book: Workbook, projects: list[tuple[int, str]], by_project: dict[int, list[PlanPeriod]]
) -> None:
    """The 「年度计划分解」 sheet: each project's periods, in the main sheet's order of projects."""
    sheet = book.create_sheet(BREAKDOWN_TITLE)
    _write_header(sheet, BREAKDOWN_COLUMNS)
    number = 1
    for project_id, code in projects:
        for period in by_project.get(project_id, ()):
            number += 1
            values = {"code": code} | {
                c.field: getattr(period, c.field) for c in BREAKDOWN_COLUMNS[1:]
            }
            for index, column in enumerate(BREAKDOWN_COLUMNS, start=1):
                put_value(sheet.cell(number, index), write_cell(column, values[column.field]))


def _approved_periods(session: Session, year: int) -> dict[int, list[PlanPeriod]]:
    """The periods of every approved plan of ``year``, by project, in order."""
    query = (
        select(AnnualPlan.project_id, PlanPeriod)
        .join(PlanPeriod, PlanPeriod.version_id == AnnualPlan.current_version_id)
        .where(AnnualPlan.year == year)
        .order_by(PlanPeriod.period_end)
    )
    out: dict[int, list[PlanPeriod]] = {}
    for project_id, period in session.execute(query):
        out.setdefault(project_id, []).append(period)
    return out


def _saved(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def put_value(cell: Cell, value: Any) -> None:
    """Put ``value`` in ``cell``; text is always text, never a formula."""
    if not isinstance(value, str):
        cell.value = value
        return
    # Control characters cannot be stored in .xlsx at all; openpyxl would refuse the workbook.
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"  # openpyxl marks text beginning with "=" as a formula
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True  # and so does the spreadsheet when the user edits the cell


def _approved_amounts(session: Session, project_ids: list[int], year: int) -> dict[int, Decimal]:
    # The year's plans are read whole and filtered here: a county-wide IN list of tens of
    # thousands of ids would exceed SQLite's limit on bound parameters.
    wanted = set(project_ids)
    query = (
        select(AnnualPlan.project_id, PlanVersion.annual_investment)
        .join(PlanVersion, AnnualPlan.current_version_id == PlanVersion.id)
        .where(AnnualPlan.year == year)
    )
    return {pid: amount for pid, amount in session.execute(query) if pid in wanted}


def _write_header(sheet: Worksheet, columns: tuple[Column, ...]) -> None:
    sheet.append([c.header for c in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(1, index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "A2"
