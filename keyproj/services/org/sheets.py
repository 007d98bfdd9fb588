"""Small registry workbooks (leaders, liaisons, teams): a template to fill, its rows read back.

A sheet's first row is the header; columns are found by their Chinese header in any order.
A problem is reported as 第N行「列」：原因, and nothing of a refused file is saved.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from keyproj.errors import ImportRowError, ValidationError
from keyproj.services.projects.ledger.export import put_value
from keyproj.services.projects.ledger.sheet import DAMAGED

MAX_ROWS = 5000  # a county has hundreds of people, not thousands of thousands


@dataclass(frozen=True)
class Column:
    """One column of a registry sheet: the field it fills and its header."""

    field: str
    header: str
    required: bool = False
    example: str = ""


Row = dict[str, str | None]


def template(title: str, columns: Sequence[Column]) -> bytes:
    """An .xlsx with the header and one example row, to fill in and import."""
    return workbook(title, [c.header for c in columns], [[c.example for c in columns]])


def workbook(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """An .xlsx of one sheet: a bold header, then ``rows``; text is never a formula."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its one sheet
    sheet.title = title[:31]
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        put_value(cell, header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(12, len(header) * 2 + 4)
    for number, values in enumerate(rows, start=2):
        for index, value in enumerate(values, start=1):
            put_value(sheet.cell(row=number, column=index), value)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def read_rows(data: bytes, columns: Sequence[Column]) -> list[tuple[int, Row]]:
    """The filled rows of an uploaded sheet with their Excel row numbers; blank rows skipped."""
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ValidationError.single("file", "文件", "无法读取，请上传 .xlsx 格式的文件") from None
    try:
        values = book.worksheets[0].iter_rows(values_only=True)
        try:
            header = next(values, ())
            positions = _positions(header, columns)
            rows = []
            for number, row in enumerate(values, start=2):
                cells = {f: _text(row[i]) if i < len(row) else None for f, i in positions.items()}
                if any(cells.values()):
                    rows.append((number, cells))
                if len(rows) > MAX_ROWS:
                    raise ImportRowError([(number, "文件", f"超过{MAX_ROWS}行，请分批导入")])
        except DAMAGED:
            raise ImportRowError([(1, "文件", "文件已损坏，请用 Excel 重新保存后再导入")]) from None
    finally:
        book.close()
    if not rows:
        raise ImportRowError([(2, "文件", "没有可导入的数据行")])
    return rows


def _positions(header: Sequence[Any], columns: Sequence[Column]) -> dict[str, int]:
    by_header = {c.header: c for c in columns}
    found: dict[str, int] = {}
    for index, value in enumerate(header):
        column = by_header.get(str(value or "").strip())
        if column is not None and column.field not in found:
            found[column.field] = index
    missing = [c for c in columns if c.required and c.field not in found]
    if missing:
        raise ImportRowError([(1, c.header, "缺少此列（必需列）") for c in missing])
    return found


def _text(value: Any) -> str | None:
    """A cell as text: dates as ISO days, whole numbers without ``.0`` (phone numbers)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None
