"""A quarter's scores as an Excel workbook: departments, their projects and each component."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from keyproj.services.projects.ledger.cells import append_row
from keyproj.services.scoring.compute import COMPONENTS, NO_PROJECT, DepartmentScore

HEADER = ("部门/项目", "项目平均分", "加分", "得分", *(label for _, label in COMPONENTS), "说明")


def scores_xlsx(title: str, rule: str, departments: list[DepartmentScore]) -> bytes:
    """The departments (already cut to the viewer's scope) as an .xlsx file."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "部门得分"
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(sheet, list(HEADER))
    blanks = [""] * len(COMPONENTS)
    for d in departments:
        reasons = "；".join(f"加{b.points}分：{b.reason}" for b in d.bonuses)
        append_row(
            sheet,
            [
                d.unit,
                "" if d.mean is None else float(d.mean),
                float(d.bonus),
                "不计分" if d.score is None else float(d.score),
                *blanks,
                reasons or ("" if d.mean is not None else NO_PROJECT),
            ],
        )
        for p in d.projects:
            append_row(
                sheet,
                [
                    f"  {p.code} {p.name}",
                    "",
                    "",
                    float(p.score),
                    *(float(c.points) for c in p.components),
                    "",
                ],
            )
    append_row(sheet, [])
    append_row(sheet, [rule])
    sheet.column_dimensions["A"].width = 40
    out = BytesIO()
    book.save(out)
    return out.getvalue()
