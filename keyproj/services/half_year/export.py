"""A half-year evaluation as an Excel workbook: one sheet per group with the composite ranking
and the speakers, one sheet of the tours it counted, and the rule under each."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from keyproj.services.half_year.compute import BOTTOM_ROLE, TOP_ROLE
from keyproj.services.projects.ledger.cells import append_row
from keyproj.services.rankings.compute import GROUPS

HEADER = (
    "名次",
    "单位",
    "投资完成率",
    "投资得分",
    "观摩得分",
    "综合得分",
    "会上发言",
    "说明",
)


def half_year_xlsx(title: str, figures: dict[str, Any]) -> bytes:
    """The evaluation's figures (already cut to the viewer's scope) as an .xlsx file."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    combined = figures["composite"]
    for key, _, group_label in GROUPS:
        sheet = book.create_sheet(group_label)
        append_row(sheet, [f"{title}（{group_label}）"])
        sheet["A1"].font = Font(bold=True, size=14)
        append_row(sheet, list(HEADER))
        for row in combined.get(key, []):
            append_row(sheet, _cells(row))
        append_row(sheet, [])
        append_row(sheet, [combined["rule"]])
        sheet.column_dimensions["B"].width = 24
        sheet.column_dimensions["H"].width = 40
    sheet = book.create_sheet("观摩活动")
    append_row(sheet, ["观摩日期", "观摩活动"])
    for tour in (figures.get("tours") or {}).get("tours", []):
        append_row(sheet, [tour["tour_on"], tour["title"]])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _cells(row: dict[str, Any]) -> list[Any]:
    role = "、".join(
        r for p, r in (("top", TOP_ROLE), ("bottom", BOTTOM_ROLE)) if p in row["places"]
    )
    return [
        row["rank"] or "不排名",
        row["unit"],
        row["rate_text"],
        row["investment"] or "—",
        row["tour"] or "—",
        row["score"] or "—",
        role,
        row["reason"] or "",
    ]
