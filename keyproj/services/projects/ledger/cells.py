"""Rows appended to any exported sheet with their text kept as text (export.py's ``put_value``)."""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.worksheet.worksheet import Worksheet

from keyproj.services.projects.ledger.export import put_value


def append_row(sheet: Worksheet, values: Iterable[object]) -> None:
    """Append ``values`` as the sheet's next row; a project named ``=HYPERLINK(…)`` stays text."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            put_value(cell, cell.value)
