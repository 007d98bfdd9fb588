"""The score page (AL11, AL12): its numbers are the service's, each department opens to its
projects' components, the key office records bonus points, and the export respects scope."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from keyproj.db.models import ScoreBonus
from keyproj.policy import load_profile
from keyproj.services.scoring.compute import score_quarter
from tests.builders.scoring import scored_departments
from tests.builders.web import login


@pytest.fixture
def al(county):
    """Three departments scored for 2026-Q3 under semimonthly reports."""
    return scored_departments(county, "semimonthly").committed()


def _scores(html: str) -> dict[str, str]:
    return dict(
        re.findall(r'<tr data-unit="([^"]*)">.*?<td class="score">([^<]*)</td>', html, re.S)
    )


def test_al12_the_page_shows_the_services_scores_and_components(al_client, al, session):
    login(al_client, "zdb")
    html = al_client.get("/scores?period=2026-Q3").get_data(as_text=True)
    service = score_quarter(session, load_profile("alxa_left"), "2026-Q3").departments
    shown = _scores(html)
    assert shown == {
        d.unit: str(d.score) if d.score is not None else "不计分（无列入年度计划的重点项目）"
        for d in service
    }
    # By hand (tests/services/scoring): (80.00 + 68.33) ÷ 2 = 74.17, plus 2.5 bonus.
    assert shown["县交通运输局"] == "76.67"
    assert "牵头完成跨部门协调" in html
    assert '<tr data-component="reporting"><td>信息上报</td><td class="points">83.33</td>' in html
    assert "2026-09-2未报送（应于2026-09-28前）" in html
    assert "年终得分" in html
    assert 'href="/clauses/AL12"' in html  # the 依据 link to 第十二条


def test_a_bad_quarter_is_refused_with_its_reason(al_client, al):
    login(al_client, "zdb")
    response = al_client.get("/scores?period=2026-09")
    assert response.status_code == 400
    assert "2026-Q1" in response.get_data(as_text=True)


def test_the_key_office_records_bonus_points_and_a_liaison_may_not(al_client, al, session):
    water = al.session.scalars(select(ScoreBonus)).first()
    assert water is not None
    unit_id = water.unit_id
    login(al_client, "dept")
    refused = al_client.post(
        "/scores/bonuses",
        data={"period": "2026-Q3", "unit_id": unit_id, "points": "5", "reason": "自评"},
    )
    assert refused.status_code == 403
    al_client.post("/logout")
    login(al_client, "zdb")
    done = al_client.post(
        "/scores/bonuses",
        data={"period": "2026-Q3", "unit_id": unit_id, "points": "1.5", "reason": "获评省级示范"},
    )
    assert done.status_code == 303
    html = al_client.get("/scores?period=2026-Q3").get_data(as_text=True)
    # 74.17 + 2.5 + 1.5 = 78.17
    assert _scores(html)["县交通运输局"] == "78.17"
    session.expire_all()
    assert [b.points for b in session.scalars(select(ScoreBonus))] == [
        Decimal("2.50"),
        Decimal("1.50"),
    ]


def test_the_export_holds_the_scores_and_a_liaison_sees_only_its_own_projects(al_client, al):
    login(al_client, "dept")  # 县交通运输局's liaison
    response = al_client.get("/scores/export.xlsx?period=2026-Q3")
    sheet = load_workbook(BytesIO(response.data)).active
    assert sheet is not None
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0]]
    names = [r[0] for r in rows]
    assert names[:3] == ["县交通运输局", "  " + names[1].strip(), "  " + names[2].strip()]
    assert "甲公路" in names[1]
    assert "乙物流园" in names[2]
    assert [r[3] for r in rows if r[0] == "县交通运输局"] == [76.67]
    assert [r[3] for r in rows if r[0] == "县水利局"] == [78.33]
    assert not any("丙水库" in str(n) for n in names)  # another department's project
