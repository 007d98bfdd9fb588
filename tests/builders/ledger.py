"""Ledger (台账) workbooks as a user fills them in, and the units their rows name."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyproj.db.base import Base
from keyproj.db.models import Project
from keyproj.services.access import Viewer
from keyproj.services.projects.project import project_by_code
from tests.builders import factories

HEADERS = [
    "序号",
    "项目名称",
    "项目代码",
    "项目级别",
    "建设性质",
    "项目阶段",
    "总投资（万元）",
    "是否使用中央资金",
    "是否政府投资",
    "年度计划投资（万元）",
    "牵头责任单位",
    "建设单位",
    "联系领导",
    "建设地点",
    "产业链",
    "批准（计划下达）日期",
    "计划开工日期",
    "计划竣工日期",
]
BREAKDOWN_HEADERS = [
    "项目代码",
    "期次",
    "当期计划投资（万元）",
    "累计形象进度（%）",
    "节点目标",
    "手续办理",
]
COUNTY = Viewer(user_id=0, unit_id=0, roles=frozenset({"admin"}))  # a county-wide reader
YEAR = 2026
CODE_A = "2026-441623-48-01-100001"
CODE_B = "2026-441623-48-01-100002"
CODE_C = "2026-441623-48-01-100003"


def workbook(
    rows: Sequence[dict[str, Any] | None],
    headers: list[str] = HEADERS,
    breakdown: Sequence[dict[str, Any] | None] | None = None,
) -> bytes:
    """A workbook with a header row, then one row per dict (None is a blank row); with
    ``breakdown``, a 「年度计划分解」 sheet of those rows too."""
    book = Workbook()
    _fill(book.active, headers, rows)
    book.active.title = "重点项目台账"
    if breakdown is not None:
        _fill(book.create_sheet("年度计划分解"), BREAKDOWN_HEADERS, breakdown)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _fill(sheet: Any, headers: list[str], rows: Sequence[dict[str, Any] | None]) -> None:
    sheet.append(headers)
    for number, row in enumerate(rows, start=2):
        for column, header in enumerate(headers, start=1):
            value = (row or {}).get(header)
            if value is not None:
                cell = sheet.cell(number, column, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # typed text, as Excel keeps '=… : never a formula


def period_row(code: str, period: Any, investment: Any, pct: Any, **cells: Any) -> dict[str, Any]:
    """A row of the 「年度计划分解」 sheet; ``cells`` add 节点目标 or 手续办理 by header."""
    values = {"项目代码": code, "期次": period, "当期计划投资（万元）": investment}
    return values | {"累计形象进度（%）": pct} | cells


def monthly_breakdown(code: str, annual: int, months: int = 12) -> list[dict[str, Any]]:
    """An even monthly breakdown of ``annual`` over the first ``months`` months of 2026."""
    share = annual // months
    rows = []
    for month in range(1, months + 1):
        amount = share if month < months else annual - share * (months - 1)
        pct = round(100 * month / months, 1)
        rows.append(period_row(code, f"2026-{month:02d}", amount, pct, 节点目标=f"第{month}月节点"))
    return rows


def row(code: str, **cells: Any) -> dict[str, Any]:
    """A valid ledger row for 城关镇; ``cells`` override by header."""
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


def ledger_units(session: Session) -> None:
    """The two units the rows name: 城关镇 (T01) and 县水利局 (T02)."""
    factories.unit(session, "T01", "城关镇")
    factories.unit(session, "T02", "县水利局", kind="county_department")
    session.commit()


def stored(session: Session, code: str) -> Project:
    """The project stored under ``code``, which must exist."""
    project = project_by_code(session, code)
    assert project is not None, f"no project {code}"
    return project


def count(session: Session, model: type[Base]) -> int:
    """How many rows the table of ``model`` holds."""
    return session.scalar(select(func.count()).select_from(model)) or 0
