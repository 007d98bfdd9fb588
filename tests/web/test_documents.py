"""A case's official documents downloaded from its page as DOCX, by those who may see the case."""

from __future__ import annotations

from io import BytesIO

import docx
import pytest

from tests.builders.clock import bj
from tests.builders.web import casework_county, login


@pytest.fixture
def noticed(session):
    """The bridge case of 石桥镇 with its notice issued."""
    county = casework_county(session)
    case = county.open_case(county.bridge, bj(2026, 3, 2, 9))
    county.notify(case, bj(2026, 3, 2, 10), lead="T02")
    return case


def test_lp13_the_case_page_links_the_printable_notice(client, noticed):
    login(client, "other")
    page = client.get(f"/cases/{noticed.id}").get_data(as_text=True)
    link = f"/cases/{noticed.id}/document.docx?kind=notice"
    assert link in page
    answer = client.get(link)
    assert answer.status_code == 200
    assert answer.mimetype.endswith("wordprocessingml.document")
    assert "filename*=UTF-8''" in answer.headers["Content-Disposition"]
    texts = [p.text for p in docx.Document(BytesIO(answer.data)).paragraphs if p.text]
    assert texts[:4] == [
        "连平县重点项目工作领导小组办公室",
        "连重点办预警〔2026〕1号",
        "预警催办通知",
        "石桥镇：",
    ]
    assert "提请县政府协调的报告" not in page  # not escalated: no such document yet


def test_a_unit_that_may_not_see_the_case_cannot_download_it(client, noticed):
    login(client, "town")
    assert client.get(f"/cases/{noticed.id}/document.docx").status_code == 404


def test_a_document_not_issued_or_unknown_is_refused(client, noticed):
    login(client, "zdb")
    assert client.get(f"/cases/{noticed.id}/document.docx?kind=escalation").status_code == 404
    unknown = client.get(f"/cases/{noticed.id}/document.docx?kind=letter")
    assert unknown.status_code == 400
    assert "文书" in unknown.get_data(as_text=True)
