"""The bulletin pages (LP19): the page's numbers are the service's, the key office issues, a unit
sees only its own projects named, and the archived DOCX carries the 文号."""

from __future__ import annotations

import html
from io import BytesIO

from docx import Document
from sqlalchemy import select

from keyproj.db.models import Bulletin, Report
from keyproj.policy import load_profile
from keyproj.services.bulletins import issue as bulletins
from keyproj.services.bulletins.figures import compute
from keyproj.services.bulletins.text import sections
from tests.builders.bulletins import september
from tests.builders.web import login


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def test_LP19_the_preview_shows_the_services_figures(client, county, session):
    september(county).committed()
    login(client, "zdb")
    page = _page(client, "/bulletins?period=2026-09")

    figures = compute(session, load_profile("lianping"), bulletins.COUNTY, "2026-09")
    for heading, lines in sections(figures):
        assert heading in page
        for line in lines:
            assert line in page
    assert "完成率80.8%" in page  # 9690 ÷ 12000
    assert "本期尚未印发" in page
    # Every figure opens to what produced it: the evaluation, the ranking, each listed report.
    assert 'href="/colours?period=2026-09"' in page
    assert 'href="/rankings?period=2026-09"' in page
    school = session.scalar(
        select(Report.id).where(
            Report.project_id == county.projects["school"].id, Report.period == "2026-09"
        )
    )
    assert f'href="/reports/{school}"' in page


def test_LP19_the_key_office_issues_and_the_archive_opens_with_its_docx(client, county, session):
    september(county).committed()
    login(client, "zdb")
    issued = client.post("/bulletins", data={"period": "2026-09"})
    assert issued.status_code == 303
    found = session.scalars(select(Bulletin)).one()
    page = _page(client, f"/bulletins/{found.id}")
    assert "连重点办通报〔2026〕1号" in page
    assert "石桥镇跨河大桥工程" in page
    docx = client.get(f"/bulletins/{found.id}.docx")
    text = [p.text for p in Document(BytesIO(docx.data)).paragraphs]
    assert text[1] == "连重点办通报〔2026〕1号"
    again = client.post("/bulletins", data={"period": "2026-09"})  # once a period
    assert again.status_code == 303
    assert session.scalar(select(Bulletin.number).where(Bulletin.id != found.id)) is None


def test_LP19_a_unit_reads_the_bulletin_but_sees_only_its_own_projects_named(client, county):
    september(county).committed()
    login(client, "town")  # 城关镇
    assert client.post("/bulletins", data={"period": "2026-09"}).status_code == 403
    page = _page(client, "/bulletins?period=2026-09")
    assert "城关镇第二小学建设项目" in page  # its own yellow project
    assert "石桥镇跨河大桥工程" not in page  # 石桥镇's red one stays out of its view
    assert "绿色1个，蓝色1个，黄色1个，红色1个" in page  # the county's counts, as sent to it
