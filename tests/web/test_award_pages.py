"""The year-end evaluation pages (GS8, HD7): proposed and confirmed by the key office, the
page's items are the service's, the unit record joins rewards, sanctions and accountability,
and each reader sees their own scope."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from docx import Document
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from keyproj.db.models import AwardRecord, Unit, User, YearEndEvaluation
from keyproj.services.awards.evaluations import items_in_scope
from keyproj.services.awards.pledges import service_ranking
from tests.builders.awards import guangshan_year, service_units
from tests.builders.pages import visible_text
from tests.builders.web import login
from tests.builders.words import problems, raw_words

ITEM = re.compile(
    r'<tr data-item="(\d+)"><td>\d+</td><td><a href="[^"]*">([^<]*)</a></td><td>[^<]*</td><td class="kind">([^<]*)</td>'
    r'<td class="amount">([^<]*)</td>'
)


@pytest.fixture
def gs(county):
    """Guangshan's year with its service units; committed for the app's session."""
    return service_units(guangshan_year(county)).committed()


def _unit_id(session, name: str) -> int:
    found = session.scalar(select(Unit.id).where(Unit.name == name))
    assert found is not None
    return found


def _propose(client: FlaskClient) -> int:
    login(client, "zdb")
    done = client.post("/awards/evaluations", data={"year": "2026"})
    assert done.status_code == 303
    return int(done.headers["Location"].rsplit("/", 1)[1])


def test_gs8_the_evaluation_page_shows_the_services_items(gs_client, gs, session):
    evaluation_id = _propose(gs_client)
    html = gs_client.get(f"/awards/evaluations/{evaluation_id}").get_data(as_text=True)
    row = session.get(YearEndEvaluation, evaluation_id)
    assert row is not None
    expected = [
        (str(p.n), p.item.unit, p.item.kind_label, p.item.amount or "—")
        for p in items_in_scope(row, gs.people["zdb"])
    ]
    assert ITEM.findall(html) == expected
    # By hand: the two towns tied first take 100万 each, the second-last 50万, the last 100万.
    assert [(u, a) for _, u, k, a in expected if k in ("奖励资金", "罚款")] == [
        ("城关镇", "100"),
        ("石桥镇", "100"),
        ("泼陂河镇", "50"),
        ("仙居乡", "100"),
    ]
    assert 'data-unit="晏河乡"><td>不排名</td>' in html


def test_gs8_confirming_strikes_an_item_and_fills_the_units_record(gs_client, gs, session):
    evaluation_id = _propose(gs_client)
    done = gs_client.post(
        f"/awards/evaluations/{evaluation_id}/confirm",
        data={"strike": "3", "reason_3": "并列第一，奖金另行研究"},
    )
    assert done.status_code == 303
    again = gs_client.post(f"/awards/evaluations/{evaluation_id}/confirm", data={})
    assert again.status_code == 303
    kinds = session.scalars(
        select(AwardRecord.kind).where(AwardRecord.evaluation_id == evaluation_id)
    ).all()
    assert len(kinds) == 16  # 17 items, one struck, written once
    html = gs_client.get(f"/awards/evaluations/{evaluation_id}").get_data(as_text=True)
    assert "未确认：并列第一，奖金另行研究" in html
    record = gs_client.get(f"/units/{_unit_id(session, '城关镇')}/record").get_data(as_text=True)
    assert re.findall(r'<td class="kind">([^<]*)</td><td class="amount">([^<]*)</td>', record) == [
        ("奖励资金", "100"),
        ("记三等功", "—"),
    ]
    assert "督查问责记录" in record
    docx = gs_client.get(f"/awards/evaluations/{evaluation_id}.docx")
    text = "\n".join(p.text for p in Document(BytesIO(docx.data)).paragraphs)
    assert "城关镇：奖励资金100万元" in text
    assert "石桥镇：奖励资金" not in text


def test_a_town_sees_its_own_items_and_record_only(gs_client, gs, session):
    evaluation_id = _propose(gs_client)
    gs_client.post(f"/awards/evaluations/{evaluation_id}/confirm", data={})
    gs_client.post("/logout")
    login(gs_client, "other")  # 石桥镇
    html = gs_client.get(f"/awards/evaluations/{evaluation_id}").get_data(as_text=True)
    assert [u for _, u, _, _ in ITEM.findall(html)] == ["石桥镇", "石桥镇"]
    assert "确认考评" not in html
    assert gs_client.get(f"/units/{_unit_id(session, '城关镇')}/record").status_code == 404
    assert gs_client.get(f"/units/{_unit_id(session, '石桥镇')}/record").status_code == 200
    book = load_workbook(BytesIO(gs_client.get(f"/awards/evaluations/{evaluation_id}.xlsx").data))
    assert [r[1] for r in book["奖惩事项"].iter_rows(min_row=3, values_only=True)] == [
        "石桥镇",
        "石桥镇",
    ]
    refused = gs_client.post("/awards/evaluations", data={"year": "2026"})
    assert refused.status_code == 403


def test_gs8_a_town_scores_a_service_unit_and_the_mean_follows(gs_client, gs, session):
    login(gs_client, "other")  # 石桥镇 gave 县自然资源局 75
    d05 = next(r for r in service_ranking(session, 2026) if r.unit == "县自然资源局")
    done = gs_client.post(
        f"/awards/pledges/{d05.pledge_id}/score", data={"score": "95", "comment": "改进明显"}
    )
    assert done.status_code == 303
    html = gs_client.get("/awards/pledges?year=2026").get_data(as_text=True)
    means = dict(
        re.findall(r'<tr data-unit="([^"]*)">.*?<td class="mean">([^<]*)</td>', html, re.S)
    )
    assert means == {"县教育局": "85.00", "县卫健委": "84.33", "县自然资源局": "77.50"}


def test_gs8_the_pages_speak_the_users_words(gs_client, gs, session):
    evaluation_id = _propose(gs_client)
    gs_client.post(f"/awards/evaluations/{evaluation_id}/confirm", data={})
    urls = [
        f"/awards/evaluations/{evaluation_id}",
        "/awards?year=2026",
        "/awards/pledges?year=2026",
        f"/units/{_unit_id(session, '城关镇')}/record",
    ]
    allowed = set(session.scalars(select(User.username)))
    for url in urls:
        html = gs_client.get(url).get_data(as_text=True)
        assert problems(visible_text(html), allowed, raw_words()) == [], url


def test_hd7_a_bad_entry_is_refused_naming_the_field(gs_client, gs, session):
    login(gs_client, "zdb")
    data = {
        "unit_id": str(_unit_id(session, "仙居乡")),
        "kind": "accountability",
        "reason": "不作为造成建设进程滞缓",
        "clause": "第七条",
        "year": "2026",
    }
    refused = gs_client.post("/awards/records", data=data)
    assert refused.status_code == 422
    assert "依据条款：格式不正确，应为条款编号" in refused.get_data(as_text=True)
    done = gs_client.post("/awards/records", data={**data, "clause": "GS8"})
    assert done.status_code == 303
    html = gs_client.get("/awards?year=2026&kind=accountability").get_data(as_text=True)
    assert "不作为造成建设进程滞缓" in html
