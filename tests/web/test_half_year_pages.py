"""The half-year evaluation pages (GS2 半年评比): the office's preview and button, the stored
record with its speakers, tours and ranking, its publication, the Excel export, each reader's
scope, and Chinese words only (figures hand-computed in tests/builders/half_year.py)."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from keyproj.db.models import HalfYearEvaluation, User
from tests.builders.county import County
from tests.builders.half_year import composite_county
from tests.builders.pages import visible_text
from tests.builders.web import login
from tests.builders.words import problems, raw_words

ROW = re.compile(
    r'<tr data-unit="([^"]+)"><td class="rank">([^<]*)</td><td>[^<]*</td><td class="rate">[^<]*</td>'
    r'<td class="investment">([^<]*)</td><td class="tour">([^<]*)</td><td class="score">([^<]*)</td>'
)
SPEAKERS = re.compile(r'<dd class="(top|bottom)" data-group="(\w+)">([^<]*)</dd>')


@pytest.fixture
def gs(county: County) -> County:
    """The composite county, committed for the app's session."""
    composite_county(county)
    return county.committed()


def _run(client: FlaskClient) -> int:
    login(client, "zdb")
    done = client.post("/half-year/evaluations", data={"year": "2026", "half": "1"})
    assert done.status_code == 303
    return int(done.headers["Location"].rsplit("/", 1)[1])


def test_gs2_the_office_sees_the_half_years_composite_and_its_button(gs_client, gs):
    login(gs_client, "zdb")
    html = gs_client.get("/half-year?year=2026&half=1").get_data(as_text=True)
    assert "2026年上半年重点项目评比" in html
    assert "生成2026年上半年评比" in html
    assert "综合得分 = 投资得分 × 70% ＋ 观摩得分 × 30%" in html
    assert "最高100分" in html  # the scale rule: a rate above 100% earns no more
    rows = ROW.findall(html)
    assert rows[:5] == [
        ("城关镇", "第1名", "90.00", "85.00", "88.50"),
        ("石桥镇", "第2名", "100.00", "55.00", "86.50"),
        ("马畈镇", "第3名", "85.00", "—", "85.00"),
        ("十里镇", "第4名", "80.00", "95.00", "84.50"),
        ("晏河乡", "不排名", "—", "—", "—"),
    ]
    assert "无重点项目，不参与排名" in html
    assert "期间未被观摩，观摩得分按投资得分计" in html


def test_gs2_a_stored_evaluation_names_the_speakers_and_is_published_once(gs_client, gs, session):
    evaluation_id = _run(gs_client)
    url = f"/half-year/evaluations/{evaluation_id}"
    html = gs_client.get(url).get_data(as_text=True)
    assert SPEAKERS.findall(html) == [
        ("top", "towns", "城关镇、石桥镇"),
        ("bottom", "towns", "马畈镇、十里镇"),
        ("top", "departments", "县交通运输局、县水利局"),
        ("bottom", "departments", "县教育局、县卫健委"),
    ]
    assert "3月重点项目观摩" in html
    assert "5月重点项目观摩" in html
    assert "9月重点项目观摩" not in html  # the second half's tour
    assert "所依据的投资完成率排名" in html
    assert "待重点办核对后确认发布" in html
    assert gs_client.post(f"{url}/publish").status_code == 303
    html = gs_client.get(url).get_data(as_text=True)
    assert "已确认发布" in html
    assert ">确认发布</button>" not in html
    row = session.get(HalfYearEvaluation, evaluation_id)
    session.refresh(row)
    assert row.confirmed_at is not None
    again = gs_client.post("/half-year/evaluations", data={"year": "2026", "half": "1"})
    assert again.status_code == 303
    page = gs_client.get(again.headers["Location"]).get_data(as_text=True)
    assert "2026年上半年评比已确认发布" in page
    assert session.scalar(select(HalfYearEvaluation.id).order_by(HalfYearEvaluation.id.desc())) == (
        evaluation_id
    )  # nothing new stored


def test_gs2_a_town_reads_every_units_scores_and_only_its_own_projects(gs_client, gs):
    evaluation_id = _run(gs_client)
    gs_client.post("/logout")
    login(gs_client, "other")  # 石桥镇
    url = f"/half-year/evaluations/{evaluation_id}"
    html = gs_client.get(url).get_data(as_text=True)
    assert len(ROW.findall(html)) == 9  # four towns and the unranked one, four departments
    assert "T02重点项目" in html
    assert "T01重点项目" not in html
    assert ">确认发布</button>" not in html
    assert gs_client.post(f"{url}/publish").status_code == 403
    preview = gs_client.get("/half-year?year=2026&half=1").get_data(as_text=True)
    assert "T02重点项目" in preview
    assert "T01重点项目" not in preview
    refused = gs_client.post("/half-year/evaluations", data={"year": "2026", "half": "1"})
    assert refused.status_code == 403
    assert "生成2026年上半年评比" not in gs_client.get("/half-year?year=2026&half=1").get_data(
        as_text=True
    )


def test_gs2_the_export_holds_the_composite_and_the_speakers(gs_client, gs):
    evaluation_id = _run(gs_client)
    answer = gs_client.get(f"/half-year/evaluations/{evaluation_id}.xlsx")
    assert answer.status_code == 200
    book = load_workbook(BytesIO(answer.data))
    assert book.sheetnames == ["乡镇", "县直部门", "观摩活动"]
    rows = [r for r in book["乡镇"].iter_rows(min_row=3, max_row=7, values_only=True)]
    assert [(r[0], r[1], r[5], r[6]) for r in rows] == [
        (1, "城关镇", "88.50", "经验介绍"),
        (2, "石桥镇", "86.50", "经验介绍"),
        (3, "马畈镇", "85.00", "表态发言"),
        (4, "十里镇", "84.50", "表态发言"),
        ("不排名", "晏河乡", "—", None),
    ]


def test_a_bad_half_is_refused_naming_the_field(gs_client, gs):
    login(gs_client, "zdb")
    answer = gs_client.get("/half-year?year=2026&half=3")
    assert answer.status_code == 400
    assert "请选择上半年（1）或下半年（2）" in answer.get_data(as_text=True)
    bad_year = gs_client.get("/half-year?year=二〇二六&half=1")
    assert bad_year.status_code == 400
    assert "年度应为四位数字" in bad_year.get_data(as_text=True)


def test_the_pages_show_no_internal_words(gs_client, gs, session):
    evaluation_id = _run(gs_client)
    allowed = set(session.scalars(select(User.username)))
    for url in ("/half-year?year=2026&half=1", f"/half-year/evaluations/{evaluation_id}"):
        html = gs_client.get(url).get_data(as_text=True)
        assert problems(visible_text(html), allowed, raw_words()) == [], url


def test_lianping_has_no_half_year_evaluation(client, county: County):
    login(client, "zdb")
    html = client.get("/half-year").get_data(as_text=True)
    assert "本地制度未设半年评比" in html
    assert "评比</button>" not in html  # no 生成…评比 button
    refused = client.post("/half-year/evaluations", data={"year": "2026", "half": "1"})
    assert "本地制度未设半年评比" in client.get(refused.headers["Location"]).get_data(as_text=True)


def test_gs2_the_year_end_evaluation_page_shows_the_years_composite(gs_client, gs):
    login(gs_client, "zdb")
    assert "半年评比（综合得分）" in gs_client.get("/rankings").get_data(as_text=True)
    done = gs_client.post("/awards/evaluations", data={"year": "2026"})
    html = gs_client.get(done.headers["Location"]).get_data(as_text=True)
    assert "乡镇年度综合得分排名（投资完成率与全年观摩得分）" in html
    # 城关镇 (90 × 0.7 + 90 × 0.3) first, 石桥镇 (100 × 0.7 + 60 × 0.3) second.
    assert ROW.findall(html)[:2] == [
        ("城关镇", "第1名", "90.00", "90.00", "90.00"),
        ("石桥镇", "第2名", "100.00", "60.00", "88.00"),
    ]
