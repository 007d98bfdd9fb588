"""A ranking as an Excel workbook: one sheet per group, the projects' figures under each unit."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from keyproj.services.projects.ledger.cells import append_row
from keyproj.services.rankings.compute import Group

HEADER = ("名次", "单位", "计划投资（万元）", "完成投资（万元）", "完成率", "前列/后列", "说明")
PLACES = {"top": "前列", "bottom": "后列"}


def ranking_xlsx(title: str, rule: str, groups: list[Group]) -> bytes:
    """The groups (already cut to the viewer's scope) as an .xlsx file."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for group in groups:
        sheet = book.create_sheet(group.label)
        append_row(sheet, [f"{title}（{group.label}）"])
        sheet["A1"].font = Font(bold=True, size=14)
        append_row(sheet, list(HEADER))
        for row in group.rows:
            append_row(
                sheet,
                [
                    row.rank if row.rank else "不排名",
                    row.unit,
                    float(row.planned),
                    float(row.completed),
                    row.rate_text,
                    "、".join(PLACES[p] for p in row.places),
                    row.reason or "",
                ],
            )
            for p in row.projects:
                append_row(
                    sheet,
                    [
                        "",
                        f"  {p.code} {p.name}",
                        float(p.planned),
                        float(p.completed),
                        "",
                        "",
                        p.note or (f"依据{p.report_period}报告" if p.report_period else ""),
                    ],
                )
        append_row(sheet, [])
        append_row(sheet, [rule])
        sheet.column_dimensions["B"].width = 40
        sheet.column_dimensions["G"].width = 40
    out = BytesIO()
    book.save(out)
    return out.getvalue()
