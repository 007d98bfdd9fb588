"""Tour and inspection pages (DC4, GS2, GS5): the office's plan form, the scorers' sheets with
Chinese errors, the ranked results in each reader's scope, the guide, and the inspection
record form, the bulletin and its DOCX."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from docx import Document
from flask.testing import FlaskClient
from sqlalchemy import select

from keyproj.db.models import InspectionRecord, Project, Tour
from keyproj.policy import load_profile
from keyproj.services.inspections.groups import save_group, set_up
from keyproj.services.inspections.records import Inspection, record
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.tours import CODES, NOW, TOUR_1, tour_county, two_tours
from tests.builders.web import login

ROW = re.compile(
    r'<tr data-project="([^"]+)"><td class="rank">([^<]*)</td><td>([^<]*)</td><td>(\d+)</td><td class="mean">([^<]*)</td>'
)
UNIT = re.compile(
    r'<tr data-unit="([^"]+)"><td class="rank">([^<]*)</td><td>[^<]*</td><td>[^<]*</td><td class="mean">([^<]*)</td>'
)


@pytest.fixture
def towns(county: County) -> County:
    tour_county(county)
    return county.committed()


def _as(client: FlaskClient, username: str) -> None:
    """Log out whoever is in, then in as ``username``."""
    client.post("/logout")
    login(client, username)


def _plan(client: FlaskClient) -> int:
    login(client, "zdb")
    form = {
        "title": "3月重点项目观摩",
        "tour_on": "2026-03-20",
        "meeting_point": "县政府广场",
        "project_codes": "\n".join(CODES[k] for k in "ACD"),
        "scorer_usernames": "leader01\nleader02",
        "vehicle1_name": "1号车",
        "vehicle1_seats": "30",
        "vehicle1_driver": "王师傅",
    }
    done = client.post("/tours/new", data=form)
    assert done.status_code == 303, done.get_data(as_text=True)
    tour_id = int(done.headers["Location"].rsplit("/", 1)[1])
    assert client.post(f"/tours/{tour_id}/open").status_code == 303
    return tour_id


def _score(client: FlaskClient, tour_id: int, project_id: int, marks: tuple[str, ...]) -> int:
    data = dict(
        zip(("marks.image", "marks.investment", "marks.site", "marks.problems"), marks, strict=True)
    )
    return client.post(
        f"/tours/{tour_id}/projects/{project_id}/score", data=data | {"comment": "好"}
    ).status_code


def test_gs2_the_office_plans_leaders_score_and_the_page_ranks_with_ties(gs_client, towns, session):
    tour_id = _plan(gs_client)
    tour = session.get_one(Tour, tour_id)
    ids = {s.project.name[-1]: s.project_id for s in tour.stops}
    for scorer in ("leader01", "leader02"):
        _as(gs_client, scorer)
        for key, by in TOUR_1.items():
            assert _score(gs_client, tour_id, ids[key], by[scorer]) == 303
    bad = gs_client.post(
        f"/tours/{tour_id}/projects/{ids['A']}/score",
        data={
            "marks.image": "35",
            "marks.investment": "20",
            "marks.site": "1",
            "marks.problems": "1",
        },
    )
    assert bad.status_code == 422
    assert "形象进度：应在0至30分之间" in bad.get_data(as_text=True)
    _as(gs_client, "zdb")
    assert gs_client.post(f"/tours/{tour_id}/close").status_code == 303
    html = gs_client.get(f"/tours/{tour_id}").get_data(as_text=True)
    assert [(m[2], m[1], m[4]) for m in ROW.findall(html)] == [
        ("项目A", "第1名", "84.00"),
        ("项目C", "第1名", "84.00"),
        ("项目D", "第3名", "70.00"),
    ]
    assert [(u, r, m) for u, r, m in UNIT.findall(html)] == [
        ("城关镇", "第1名", "84.00"),
        ("石桥镇", "第1名", "84.00"),
        ("十里镇", "第3名", "70.00"),
    ]
    # 石桥镇's liaison sees its own project's result and its own unit's row only.
    _as(gs_client, "other")
    mine = gs_client.get(f"/tours/{tour_id}").get_data(as_text=True)
    assert [m[2] for m in ROW.findall(mine)] == ["项目C"]
    assert [u for u, _, _ in UNIT.findall(mine)] == ["石桥镇"]
    # The year's tour scores, as they count in the evaluation (GS2).
    year = gs_client.get("/tours?year=2026&half=1").get_data(as_text=True)
    assert "2026年上半年观摩得分（计入半年评比）" in year


def test_dc4_the_guide_prints_the_route_and_downloads_as_docx(gs_client, towns):
    tour_id = _plan(gs_client)
    page = gs_client.get(f"/tours/{tour_id}/guide").get_data(as_text=True)
    assert "一、观摩时间：2026年3月20日" in page
    assert "1号车，30座，驾驶员：王师傅" in page
    got = gs_client.get(f"/tours/{tour_id}/guide.docx")
    text = "\n".join(p.text for p in Document(BytesIO(got.data)).paragraphs)
    assert "3月重点项目观摩活动指南" in text
    assert f"1. 项目A（{CODES['A']}），责任单位：城关镇" in text


def test_a_bad_plan_is_shown_again_with_each_fields_reason(gs_client, towns, session):
    _as(gs_client, "zdb")
    bad = gs_client.post("/tours/new", data={"title": "", "tour_on": "明天", "project_codes": "X1"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "活动名称：不能为空" in html
    assert "观摩项目及路线：未知项目编号：X1" in html
    assert session.scalars(select(Tour)).all() == []
    _as(gs_client, "town")
    assert gs_client.get("/tours/new").status_code == 403


def test_gs5_groups_records_and_the_weeks_bulletin_through_the_pages(gs_client, towns, session):
    _as(gs_client, "zdb")
    assert gs_client.post("/inspections/setup").status_code == 303
    html = gs_client.get("/inspections").get_data(as_text=True)
    assert "第6组（县百城提质办）" in html
    first = re.search(r'<tr data-group="1"><td><a href="/inspections/groups/(\d+)"', html)
    assert first is not None
    group_id = first.group(1)
    saved = gs_client.post(
        f"/inspections/groups/{group_id}",
        data={"members": "张组长\n李干事", "project_codes": CODES["A"]},
    )
    assert saved.status_code == 303
    project_id = session.scalar(select(Project.id).where(Project.code == CODES["A"]))
    done = gs_client.post(
        "/inspections/records",
        data={
            "group_id": group_id,
            "project_id": str(project_id),
            "inspected_on": "2026-03-10",
            "milestone_verified": "yes",
            "severity": "serious",
            "findings": "塔吊未按方案拆除",
        },
    )
    assert done.status_code == 303
    assert done.headers["Location"].endswith("week=2026-W11")
    row = session.scalars(select(InspectionRecord)).one()
    assert (row.milestone_verified, row.image_checked, row.severity) == (True, False, "serious")
    week = gs_client.get("/inspections?week=2026-W11").get_data(as_text=True)
    assert "塔吊未按方案拆除" in week
    bulletin = gs_client.get("/inspections/bulletin?week=2026-W11").get_data(as_text=True)
    assert "共实地督导检查项目1个次，核实节点计划1个次，发现问题1个" in bulletin
    got = gs_client.get("/inspections/bulletin.docx?week=2026-W11")
    text = "\n".join(p.text for p in Document(BytesIO(got.data)).paragraphs)
    assert "关于2026年第11周重点项目联合督导检查情况的通报" in text
    _as(gs_client, "town")
    assert gs_client.get("/inspections/bulletin?week=2026-W11").status_code == 403


def test_gs5_a_refused_inspection_record_keeps_what_was_typed(gs_client, towns, session, clock):
    clock.at(bj(2026, 3, 11, 9))
    _as(gs_client, "zdb")
    gs_client.post("/inspections/setup")
    html = gs_client.get("/inspections").get_data(as_text=True)
    group_id = re.search(r'<tr data-group="1"><td><a href="/inspections/groups/(\d+)"', html)
    assert group_id is not None
    gs_client.post(
        f"/inspections/groups/{group_id.group(1)}",
        data={"members": "张组长", "project_codes": CODES["A"]},
    )
    project_id = session.scalar(select(Project.id).where(Project.code == CODES["A"]))
    refused = gs_client.post(
        "/inspections/records",
        data={
            "group_id": group_id.group(1),
            "project_id": str(project_id),
            "inspected_on": "2026-03-31",  # after today
            "milestone_verified": "yes",
            "severity": "serious",
            "findings": "塔吊未按方案拆除",
        },
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "检查日期：不能晚于今天" in page
    assert 'name="inspected_on" placeholder="如 2026-03-10" value="2026-03-31"' in page
    assert 'name="milestone_verified" value="yes" checked' in page
    assert '<option value="serious" selected>' in page
    assert ">塔吊未按方案拆除</textarea>" in page
    assert session.scalars(select(InspectionRecord)).all() == []


def test_gs5_unresolved_findings_are_listed_beside_the_ranking_and_gs2_tours_beside_the_year(
    gs_client, county: County, session
):
    gs = load_profile("guangshan")
    two_tours(county, gs)
    office = county.people["zdb"]
    group = set_up(session, gs, office)[0]
    save_group(session, office, group.id, [], [CODES["A"], CODES["C"]])
    a = session.scalar(select(Project.id).where(Project.code == CODES["A"]))
    c = session.scalar(select(Project.id).where(Project.code == CODES["C"]))
    county.with_people("dcs")
    for project_id in (a, a, c):
        found = Inspection(group.id, project_id, "2026-03-10", True, True, "安全网缺失", "minor")
        record(session, county.people["dcs"], found, NOW)
    county.committed()
    _as(gs_client, "zdb")
    html = gs_client.get("/rankings?period=2026-03").get_data(as_text=True)
    counts = re.findall(r'<tr data-unit="([^"]+)"><td>[^<]*</td><td class="count">(\d+)</td>', html)
    assert counts == [("城关镇", "2"), ("石桥镇", "1")]
    done = gs_client.post("/awards/evaluations", data={"year": "2026"})
    assert done.status_code == 303
    page = gs_client.get(done.headers["Location"]).get_data(as_text=True)
    assert [(u, r, m) for u, r, m in UNIT.findall(page)] == [
        ("城关镇", "第1名", "85.13"),
        ("石桥镇", "第1名", "85.13"),
        ("十里镇", "第3名", "73.50"),
    ]
    _as(gs_client, "other")  # 石桥镇 sees its own count only
    mine = gs_client.get("/rankings?period=2026-03").get_data(as_text=True)
    assert re.findall(r'<td class="count">(\d+)</td>', mine) == ["1"]


def test_gs5_without_inspection_groups_there_is_no_bulletin_link_and_the_page_says_so(
    client, towns
):
    login(client, "zdb")  # Lianping's regulation has no joint inspection groups
    page = client.get("/inspections").get_data(as_text=True)
    assert "本地制度未设重点项目联合检查组" in page
    assert "/inspections/bulletin" not in page
    bulletin = client.get("/inspections/bulletin?week=2026-W11").get_data(as_text=True)
    assert "本地制度未设重点项目联合检查组" in bulletin
    assert "各检查组均已按周完成" not in bulletin
    assert client.get("/inspections/bulletin.docx?week=2026-W11").status_code == 404


def test_gs2_a_sheet_is_refused_before_the_tour_day_and_kept(gs_client, towns, session, clock):
    clock.at(bj(2026, 3, 19, 17))  # the day before the tour of 20 March
    tour_id = _plan(gs_client)
    tour = session.get_one(Tour, tour_id)
    project_id = tour.stops[0].project_id
    _as(gs_client, "leader01")
    early = gs_client.post(
        f"/tours/{tour_id}/projects/{project_id}/score",
        data={"marks.image": "26", "marks.investment": "25", "marks.site": "17",
              "marks.problems": "16", "comment": "进度较快"},
    )  # fmt: skip
    assert early.status_code == 422
    html = early.get_data(as_text=True)
    assert "观摩日期：观摩活动定于2026年3月20日，当天起才能打分" in html
    assert "进度较快" in html
    clock.at(bj(2026, 3, 20, 16))
    _as(gs_client, "leader01")  # a new day, a new sign-in
    assert _score(gs_client, tour_id, project_id, ("26", "25", "17", "16")) == 303
