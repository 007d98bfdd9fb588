"""Files to import, written as an office would save them: the LP12 feedback CSV and the ledger workbook."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from keyproj.services.projects.ledger.columns import COLUMNS

FEEDBACK_HEADER = "编号,来源,项目代码,期次,预警等级,预警颜色,预警内容,预警日期"
LEDGER_HEADERS = [c.header for c in COLUMNS]


def feedback_csv(folder: Path, *lines: str) -> Path:
    """A feedback CSV (UTF-8 with BOM, as Excel saves it) with the header and ``lines``."""
    path = folder / "feedback.csv"
    path.write_text("\n".join([FEEDBACK_HEADER, *lines]) + "\n", encoding="utf-8-sig")
    return path


def ledger_row(code: str, **cells: Any) -> dict[str, Any]:
    """A valid ledger row of 城关镇 (unit T01 named so); ``cells`` override by header."""
    values: dict[str, Any] = {
        "项目名称": f"项目{code[-3:]}",
        "项目代码": code,
        "项目级别": "县重点",
        "建设性质": "新开工",
        "总投资（万元）": 12000,
        "牵头责任单位": "城关镇",
    }
    values.update(cells)
    return values


def ledger_workbook(rows: Sequence[dict[str, Any]]) -> bytes:
    """A ledger workbook: the header row, then one row per dict of header → cell."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(LEDGER_HEADERS)
    for row in rows:
        sheet.append([row.get(h) for h in LEDGER_HEADERS])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
