"""Every export holds what its page shows the same user (issue 13 part 8), and no text in it is
ever run as a formula: rankings, the 专报, the project ledger and the supervision ledger."""

from __future__ import annotations

import html
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from keyproj.db.models import Project
from keyproj.services.supervision.filing import Finding, file_finding
from tests.builders.cases import PROFILE
from tests.builders.clock import bj
from tests.builders.unit_book import unit_book_county
from tests.builders.web import login


@pytest.fixture
def figures(county):
    """September 2026: 城关镇's road and school, 石桥镇's bridge, each with a plan."""
    return unit_book_county(county)


def _names(session) -> set[str]:
    return set(session.scalars(select(Project.name)))


def _shown(text: str, names: set[str]) -> set[str]:
    """The project names a page or file names."""
    return {n for n in names if n in text}


def _xlsx_text(data: bytes) -> str:
    book = load_workbook(BytesIO(data))
    return "\n".join(
        str(v) for s in book.worksheets for r in s.iter_rows(values_only=True) for v in r if v
    )


def test_a_towns_ranking_export_names_the_projects_its_page_names(client, figures, session):
    login(client, "chengguan")
    page = html.unescape(client.get("/rankings?period=2026-09").get_data(as_text=True))
    export = client.get("/rankings/export.xlsx?period=2026-09")
    names = _names(session)

    assert _shown(page, names) == {figures.road.name, figures.school.name}
    assert _shown(_xlsx_text(export.data), names) == _shown(page, names)
    assert "石桥镇" in _xlsx_text(export.data)  # the other town's rank, without its projects


def test_a_towns_special_report_docx_names_the_projects_its_page_names(client, figures, session):
    login(client, "chengguan")
    page = html.unescape(
        client.get("/colours/special-report?period=2026-09").get_data(as_text=True)
    )
    docx = client.get("/colours/special-report.docx?period=2026-09")
    text = "\n".join(p.text for p in Document(BytesIO(docx.data)).paragraphs)
    names = _names(session)

    assert figures.bridge.name not in page
    assert _shown(text, names) == _shown(page, names) == {figures.road.name}  # yellow; the
    # school has no report (未报送) and the 专报 lists the red and yellow projects only


def test_a_leaders_ledger_export_holds_the_projects_of_their_projects_page(
    client, figures, session
):
    figures.link_leader("leader01", figures.bridge)
    login(client, "leader01")
    page = html.unescape(client.get("/projects").get_data(as_text=True))
    export = client.get("/ledger/export.xlsx?year=2026")
    names = _names(session)

    assert _shown(page, names) == {figures.bridge.name}
    assert _shown(_xlsx_text(export.data), names) == {figures.bridge.name}


def test_typed_text_in_the_supervision_export_stays_text(client, figures, clock):
    figures.with_people("dcs")
    finding = Finding(figures.road.id, "=1+1 现场停工", "T01")
    file_finding(
        figures.session, PROFILE, figures.people["dcs"], finding, clock.at(bj(2026, 3, 2, 9))
    )
    figures.session.commit()
    login(client, "dcs")
    sheet = load_workbook(BytesIO(client.get("/supervision/export.xlsx").data)).active
    assert sheet is not None
    cell = sheet["E2"]
    assert cell.value == "=1+1 现场停工"
    assert cell.data_type == "s"
    assert cell.quotePrefix
