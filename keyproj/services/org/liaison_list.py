"""The published liaison list (LP5 “联络员名单由县重点办定期更新并汇总印发”): page, xlsx, DOCX.

The county's units come first; the construction units' liaisons follow, each under its project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import UnitKind
from keyproj.db.models import Liaison, Project, Unit
from keyproj.services.org.sheets import workbook

HEADERS = ("序号", "单位", "单位类型", "姓名", "职务", "联系电话", "任职日期", "所属项目")
UNIT_HEADERS = HEADERS[:7]
PROJECT_HEADERS = ("序号", "项目", "建设单位", "姓名", "职务", "联系电话", "任职日期")
CONSTRUCTION_UNIT = "项目建设单位"
# Towns first, then the county departments, then the offices: the order the list is printed in.
KIND_ORDER = {UnitKind.TOWN: 0, UnitKind.COUNTY_DEPARTMENT: 1, UnitKind.DRB: 1}


@dataclass(frozen=True)
class LiaisonLine:
    """One current liaison as the published list prints them."""

    unit_code: str
    unit: str
    kind: str
    name: str
    position: str
    phone: str
    since: date | None
    project_code: str = ""  # a construction unit's liaison: the project it serves
    project: str = ""


@dataclass(frozen=True)
class LiaisonList:
    """The list's title, its date, the units' lines and the construction units' by project."""

    title: str
    dated: date
    lines: list[LiaisonLine]
    project_lines: list[LiaisonLine] = field(default_factory=list)


def published_list(session: Session, county: str, today: date) -> LiaisonList:
    """Every unit's current liaison, towns first, then departments, then offices."""
    rows = session.execute(
        select(Liaison, Unit)
        .join(Unit, Unit.id == Liaison.unit_id)
        .where(Liaison.until.is_(None), Liaison.project_id.is_(None), Unit.active.is_(True))
    ).all()
    lines = [
        LiaisonLine(
            unit.code,
            unit.name,
            unit.kind.label,
            liaison.name,
            liaison.position or "",
            liaison.phone,
            liaison.since,
        )
        for liaison, unit in sorted(
            rows, key=lambda r: (KIND_ORDER.get(r[1].kind, 2), r[1].code, r[0].name)
        )
    ]
    return LiaisonList(f"{county}重点项目预警联络员名单", today, lines, _project_lines(session))


def _project_lines(session: Session) -> list[LiaisonLine]:
    """The construction units' current liaisons, by project code (LP5's 项目建设单位)."""
    rows = session.execute(
        select(Liaison, Project)
        .join(Project, Project.id == Liaison.project_id)
        .where(Liaison.until.is_(None))
        .order_by(Project.code, Liaison.name)
    ).all()
    return [
        LiaisonLine(
            "",
            project.construction_unit or "",
            CONSTRUCTION_UNIT,
            liaison.name,
            liaison.position or "",
            liaison.phone,
            liaison.since,
            project.code,
            project.name,
        )
        for liaison, project in rows
    ]


def _cells(number: int, line: LiaisonLine) -> list[object]:
    since = line.since.isoformat() if line.since else ""
    return [number, line.unit, line.kind, line.name, line.position, line.phone, since]


def _project_cells(number: int, line: LiaisonLine) -> list[object]:
    since = line.since.isoformat() if line.since else ""
    project = f"{line.project}（{line.project_code}）"
    return [number, project, line.unit, line.name, line.position, line.phone, since]


def as_xlsx(listing: LiaisonList) -> bytes:
    """The list as a workbook of one sheet, header first; a construction unit's row names its
    project in the last column."""
    every = [*listing.lines, *listing.project_lines]
    rows = [
        [*_cells(n, line), f"{line.project}（{line.project_code}）" if line.project_code else ""]
        for n, line in enumerate(every, start=1)
    ]
    return workbook("联络员名单", HEADERS, rows)


def as_docx(listing: LiaisonList, issuer: str) -> bytes:
    """The list in the official layout: centred title, the issuer and date, then the table."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(listing.title)
    run.bold, run.font.size = True, Pt(22)  # 二号
    dated = doc.add_paragraph(f"{issuer}　{_chinese_date(listing.dated)}")
    dated.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _table(doc, UNIT_HEADERS, [_cells(n, line) for n, line in enumerate(listing.lines, 1)])
    if listing.project_lines:
        doc.add_paragraph().add_run("项目建设单位联络员").bold = True
        lines = enumerate(listing.project_lines, 1)
        _table(doc, PROJECT_HEADERS, [_project_cells(n, line) for n, line in lines])
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def _table(doc: DocumentObject, headers: tuple[str, ...], rows: list[list[object]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        cell.paragraphs[0].runs[0].bold = True
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = str(value)


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
