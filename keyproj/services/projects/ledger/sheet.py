"""A ledger workbook read as a stream of rows (openpyxl read-only): the header, then each row.

Read-only mode parses the sheet's XML as it is iterated, so memory does not grow with the
number of rows; the workbook is closed when the ``with`` block ends.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from itertools import chain
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from keyproj.errors import ImportRowError, ValidationError
from keyproj.services.projects.ledger.breakdown import BREAKDOWN_COLUMNS, BREAKDOWN_TITLE
from keyproj.services.projects.ledger.columns import (
    COLUMNS,
    Column,
    is_blank,
    normalise_header,
)

SHEET_TITLE = "重点项目台账"
HEADER_SEARCH_ROWS = 20
# What a damaged workbook raises while its rows are read (a truncated or edited archive).
DAMAGED = (ParseError, zipfile.BadZipFile, zlib.error, EOFError, KeyError)
Cells = dict[str, Any]  # a row's cells by ProjectData field (or serial / annual_investment)


@dataclass(frozen=True)
class LedgerRows:
    """The sheet's header and its data rows as they are read."""

    header_row: int
    columns: dict[int, Column]
    # From the sheet's own dimension record, which some programs leave out: None then.
    estimated_rows: int | None
    rows: Iterator[tuple[int, Cells]]
    # The rows of the 「年度计划分解」 sheet, None when the workbook has none.
    breakdown: Iterator[tuple[int, Cells]] | None = None


@contextmanager
def ledger_rows(data: bytes | str | Path) -> Iterator[LedgerRows]:
    """The data rows of a ledger workbook, each with its Excel row number; blank rows are skipped."""
    source = BytesIO(data) if isinstance(data, bytes) else data
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ValidationError.single("file", "文件", "无法读取，请上传 .xlsx 格式的台账") from None
    try:
        sheet = book[SHEET_TITLE] if SHEET_TITLE in book.sheetnames else book.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        try:
            first = [row for _, row in zip(range(HEADER_SEARCH_ROWS), values, strict=False)]
        except DAMAGED:
            raise _damaged(1) from None
        header_row, columns = _locate_header(first)
        after_header = chain(first[header_row:], values)
        max_row = sheet.max_row if isinstance(sheet.max_row, int) else None
        estimated = max(0, max_row - header_row) if max_row else None
        rows = _data_rows(after_header, header_row, columns)
        breakdown = _breakdown(book) if BREAKDOWN_TITLE in book.sheetnames else None
        yield LedgerRows(header_row, columns, estimated, rows, breakdown)
    finally:
        book.close()


def _breakdown(book: Any) -> Iterator[tuple[int, Cells]]:
    """The breakdown sheet's data rows, read lazily after the header is found."""
    values = book[BREAKDOWN_TITLE].iter_rows(values_only=True)
    try:
        first = [row for _, row in zip(range(HEADER_SEARCH_ROWS), values, strict=False)]
    except DAMAGED:
        raise _damaged(1) from None
    header_row, columns = _locate_header(first, BREAKDOWN_COLUMNS, f"{BREAKDOWN_TITLE}：")
    yield from _data_rows(chain(first[header_row:], values), header_row, columns)


def _data_rows(
    values: Iterator[tuple[Any, ...]], header_row: int, columns: dict[int, Column]
) -> Iterator[tuple[int, Cells]]:
    # Read-only sheets yield an empty tuple for a row the file leaves out, so counting rows
    # gives the row number Excel shows.
    number = header_row
    try:
        for number, row in enumerate(values, start=header_row + 1):
            width = len(row)
            cells = {col.field: row[i] if i < width else None for i, col in columns.items()}
            if any(not is_blank(v) for f, v in cells.items() if f != "serial"):
                yield number, cells
    except DAMAGED:
        raise _damaged(number + 1) from None


def _damaged(number: int) -> ImportRowError:
    return ImportRowError(
        [(number, "文件", "文件已损坏，无法继续读取，请用 Excel 重新保存后再导入")]
    )


def _locate_header(
    rows: list[tuple[Any, ...]], known: tuple[Column, ...] = COLUMNS, sheet: str = ""
) -> tuple[int, dict[int, Column]]:
    """The header's row number and the known columns by position; missing required ones refuse the file."""
    by_header = {c.header: c for c in known}
    for number, values in enumerate(rows, start=1):
        columns: dict[int, Column] = {}
        for index, value in enumerate(values):
            column = by_header.get(normalise_header(value))
            if column is not None and column not in columns.values():
                columns[index] = column
        if len(columns) >= 2:
            present = {c.field for c in columns.values()}
            missing = [c for c in known if c.required and c.field not in present]
            if missing:
                problems = [(number, sheet + c.header, "缺少此列（必需列）") for c in missing]
                raise ImportRowError(problems)
            return number, columns
    expected = "".join(f"“{c.header}”" for c in [c for c in known if c.required][:2])
    raise ImportRowError([(1, sheet + "表头", f"未找到表头行，表头应包含{expected}等列")])
