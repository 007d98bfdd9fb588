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

from keyproj.db.models import AnnualPlan, PlanVersion
from keyproj.services.access import Viewer
from keyproj.services.projects.ledger.columns import COLUMNS, write_cell
from keyproj.services.projects.project import list_projects, project_data

SHEET_TITLE = "重点项目台账"
# What makes Excel, WPS or LibreOffice read typed text as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_projects(session: Session, viewer: Viewer, year: int) -> bytes:
    """The ledger of the projects the viewer may see, with each one's approved plan for ``year``."""
    projects = list_projects(session, viewer)
    amounts = _approved_amounts(session, [p.id for p in projects], year)
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = SHEET_TITLE
    _write_header(sheet)
    for serial, project in enumerate(projects, start=1):
        values = asdict(project_data(project))
        values.update(serial=serial, annual_investment=amounts.get(project.id))
        values["lead_unit_code"] = project.lead_unit.name
        for index, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(serial + 1, index)
            put_value(cell, write_cell(column, values.get(column.field)))
            if column.kind == "date":
                cell.number_format = "yyyy-mm-dd"
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


def _write_header(sheet: Worksheet) -> None:
    sheet.append([c.header for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(1, index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "A2"
