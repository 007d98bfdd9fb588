"""Builders of the registries and the LP8 distribution: leaders with accounts, the bureau."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.db.models import Leader, Project, Unit, User
from keyproj.services.org.directory import save_leader
from tests.builders import factories

DRB_CODE = "FGJ"


def leader_with_account(
    session: Session, name: str = "王强", username: str = "wangqiang", *projects: Project
) -> tuple[Leader, User]:
    """A county leader with a ``leader`` account of the seeded leadership unit (XLD), linked to ``projects``."""
    user = factories.user(session, username, "XLD", "leader")
    leader = save_leader(session, name, "副县长", username=username)
    for project in projects:
        project.leader_id = leader.id
    session.flush()
    return leader, user


def drb_reviewer(session: Session, username: str = "fgj") -> User:
    """A reviewer of the development-and-reform bureau (LP8), the bureau made when missing."""
    if not _unit_exists(session, DRB_CODE):
        factories.unit(session, DRB_CODE, "县发展和改革局", "drb")
    return factories.user(session, username, DRB_CODE, "drb_reviewer")


def _unit_exists(session: Session, code: str) -> bool:
    return session.scalar(select(Unit.id).where(Unit.code == code)) is not None


def sheet(headers: list[str], *rows: list[object]) -> bytes:
    """An .xlsx as a user fills in a registry template: the header, then ``rows``."""
    book = Workbook()
    page = book.active
    assert page is not None
    page.append(headers)
    for row in rows:
        page.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_rows(data: bytes) -> list[list[object]]:
    """The cells of an exported workbook's first sheet, row by row."""
    book = load_workbook(BytesIO(data), read_only=True)
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a DOCX, one per line."""
    doc = Document(BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += ["|".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(parts)
