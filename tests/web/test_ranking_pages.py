"""The ranking pages (HD5, GS2): the page's numbers are the service's, the Excel export and the
letters respect the viewer's scope, and a unit acknowledges its 提醒函 with its measures."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from keyproj.db.models import ReminderLetter
from keyproj.policy import load_profile
from keyproj.services.rankings.compute import rank
from tests.builders import factories
from tests.builders.pages import table_rows
from tests.builders.rankings import handan_departments
from tests.builders.unit_book import unit_book_county
from tests.builders.web import login
from web.filters import amount


@pytest.fixture
def hd(county):
    """Handan's five departments ranked for 2026-Q1; a liaison of 市水利局 (last, 40.00%)."""
    handan_departments(county).with_people("dept")
    factories.user(county.session, "water", "D02", "unit_liaison")
    return county.committed()


def _cells(html: str, group: str) -> list[tuple[str, str, str]]:
    section = html.split(f'data-group="{group}"', 1)[1].split("<h2>", 1)[0]
    return re.findall(
        r'<tr data-unit="([^"]*)">\s*<td class="rank">([^<]*)</td>.*?<td class="rate">([^<]*)</td>',
        section,
        re.S,
    )


def test_hd5_the_page_shows_the_services_numbers(hd_client, hd, session):
    login(hd_client, "zdb")
    html = hd_client.get("/rankings?period=2026-Q1").get_data(as_text=True)
    service = rank(session, load_profile("handan"), "2026-Q1").groups[1].rows
    expected = [(r.unit, f"第{r.rank}名", r.rate_text) for r in service]
    assert _cells(html, "departments") == expected
    # By hand: 110%, 80%, 50% and 50% tied third, 40% fifth.
    assert [rate for *_, rate in expected] == ["110.00%", "80.00%", "50.00%", "50.00%", "40.00%"]
    assert "其后名次顺延" in html


def test_a_bad_period_is_refused_with_its_reason(hd_client, hd):
    login(hd_client, "zdb")
    response = hd_client.get("/rankings?period=2026-13")
    assert response.status_code == 400
    assert "2026-Q1" in response.get_data(as_text=True)


def test_the_export_holds_the_figures_and_a_unit_sees_only_its_own_projects(hd_client, hd):
    login(hd_client, "water")
    response = hd_client.get("/rankings/export.xlsx?period=2026-Q1")
    sheet = load_workbook(BytesIO(response.data))["县直部门"]
    rows = [[c for c in r] for r in sheet.iter_rows(min_row=3, values_only=True) if r[1]]
    ranked = [r for r in rows if not str(r[1]).startswith("  ")]
    assert [(r[0], r[1], r[4]) for r in ranked] == [
        (1, "市城管局", "110.00%"),
        (2, "县交通运输局", "80.00%"),
        (3, "市教育局", "50.00%"),
        (3, "市卫健委", "50.00%"),
        (5, "市水利局", "40.00%"),
    ]
    projects = [r for r in rows if str(r[1]).startswith("  ")]
    assert len(projects) == 2  # 市水利局's two projects, none of the others'
    assert all("D02" in r[1] for r in projects)


def test_hd5_the_office_saves_the_run_letters_go_out_and_the_unit_acknowledges(
    hd_client, hd, session
):
    login(hd_client, "zdb")
    saved = hd_client.post("/rankings/runs", data={"period": "2026-Q1"})
    assert saved.status_code == 303
    letters = session.scalars(select(ReminderLetter).order_by(ReminderLetter.id)).all()
    assert [x.number for x in letters] == [f"邯发改提醒〔2026〕{n}号" for n in (1, 2, 3)]
    water = letters[2]
    hd_client.post("/logout")
    login(hd_client, "dept")  # 县交通运输局 got no letter: it may not open 市水利局's
    assert hd_client.get(f"/rankings/letters/{water.id}").status_code == 404
    hd_client.post("/logout")
    login(hd_client, "water")
    page = hd_client.get(f"/rankings/letters/{water.id}").get_data(as_text=True)
    assert "邯发改提醒〔2026〕3号" in page
    assert "40.00%" in page
    assert "签收并报送整改措施期限：" in page
    docx = hd_client.get(f"/rankings/letters/{water.id}.docx")
    text = "\n".join(p.text for p in Document(BytesIO(docx.data)).paragraphs)
    assert "邯发改提醒〔2026〕3号" in text
    done = hd_client.post(
        f"/rankings/letters/{water.id}/acknowledge", data={"measures": "倒排工期，每周调度"}
    )
    assert done.status_code == 303
    page = hd_client.get(f"/rankings/letters/{water.id}").get_data(as_text=True)
    assert "整改措施：倒排工期，每周调度" in page


def test_gs2_the_page_lists_top_and_bottom_towns_and_cites_the_clause(gs_client, county, session):
    county.plan(county.road, 2026, [("2026-03", "200", "0")])
    county.plan(county.bridge, 2026, [("2026-03", "100", "0")])
    county.report(county.road, "weekly", "2026-W13", annual="100")  # 100 ÷ 200 = 50.00%
    county.report(county.bridge, "weekly", "2026-W13", annual="100")  # 100 ÷ 100 = 100.00%
    county.committed()
    login(gs_client, "zdb")
    html = gs_client.get("/rankings?period=2026-03").get_data(as_text=True)
    assert _cells(html, "towns") == [("石桥镇", "第1名", "100.00%"), ("城关镇", "第2名", "50.00%")]
    # Two towns, top two and bottom two (GS2): both are listed as each.
    chengguan = html.split('data-unit="城关镇"', 1)[1].split("</tr>", 1)[0]
    assert "前列" in chengguan
    assert "后列" in chengguan
    assert "GS2" in html
    assert "无重点项目，不参与排名" in html.split('data-group="departments"', 1)[1]


def test_lp19_the_towns_page_shows_the_services_figures(client, county, session):
    unit_book_county(county)
    login(client, "zdb")
    page = client.get("/rankings?period=2026-09").get_data(as_text=True)
    rows = table_rows(page, 'data-group="towns"')[1:]
    towns = rank(session, load_profile("lianping"), "2026-09").groups[0]

    ranked = [r[:5] for r in rows if r[0].startswith("第") or r[0] == "不排名"]
    assert ranked == [
        [f"第{r.rank}名" if r.rank else "不排名", r.unit, amount(r.planned), amount(r.completed),
         r.rate_text]
        for r in towns.rows
    ]  # fmt: skip
    # By hand: 石桥镇 3000 of 3000 planned to September.
    assert ranked[0][1:] == ["石桥镇", "3,000", "3,000", "100.00%"]
