"""The project list's colour and stage filters, and the project page's plan-against-actual chart and cases."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from html import unescape

from keyproj.clock import now_utc, today_beijing
from keyproj.services.cases.commands import start_case
from tests.builders import factories
from tests.builders.web import login


def test_list_shows_the_worst_open_warning_and_filters_by_colour(client, county, session):
    factories.warning(session, county.road, "2026-01", colour="yellow", rule_id="LP11-2")
    factories.warning(session, county.road, "2026-02", colour="red")
    factories.warning(session, county.school, "2026-02", colour="yellow")
    factories.warning(session, county.bridge, "2026-02", colour="red", status="closed")
    session.commit()
    login(client, "zdb")

    html = client.get("/projects").get_data(as_text=True)
    row = html[html.index(county.road.name) :]
    row = row[: row.index("</tr>")]
    assert 'tag--red">红色' in row  # red outranks yellow
    red = client.get("/projects?colour=red").get_data(as_text=True)
    assert "共 1 个项目" in red
    assert county.road.name in red
    yellow = client.get("/projects?colour=yellow").get_data(as_text=True)
    assert "共 1 个项目" in yellow
    assert county.school.name in yellow
    none = client.get("/projects?colour=none").get_data(as_text=True)
    assert "共 1 个项目" in none
    assert county.bridge.name in none  # its warning is closed


def test_list_filters_by_stage(client, county, session):
    county.bridge.stage = "under_construction"
    session.commit()
    login(client, "zdb")
    html = client.get("/projects?stage=under_construction").get_data(as_text=True)
    assert "共 1 个项目" in html
    assert county.bridge.name in html
    assert "主体施工" in html
    nonsense = client.get("/projects?stage=nonsense")
    assert nonsense.status_code == 400
    assert "项目阶段：取值“nonsense”无效" in nonsense.get_data(as_text=True)


def test_project_page_sets_plan_against_actual_in_chart_and_table(client, county, session):
    year = today_beijing().year
    road = county.road
    factories.approved_plan(session, road, year, [(1, "1000", "10"), (2, "1500", "25.5")])
    factories.report(
        session, road, f"{year}-01", annual_completed=Decimal("800"), progress_pct=Decimal("8")
    )
    factories.report(
        session, road, f"{year}-02", annual_completed=Decimal("2100"), progress_pct=Decimal("24")
    )
    factories.report(session, road, f"{year - 1}-12", annual_completed=Decimal("9999"))
    session.commit()
    login(client, "chengguan")

    html = client.get(f"/projects/{road.id}").get_data(as_text=True)
    assert "计划与实际对比" in html
    table = html[
        html.index('id="progress-table"') : html.index(
            "</table>", html.index('id="progress-table"')
        )
    ]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", table, re.S)
    cells = {label: re.findall(r'<td class="num">([^<]*)</td>', body) for label, body in rows}
    assert cells == {
        f"{year}年1月": ["1,000", "800", "10", "8"],
        f"{year}年2月": ["2,500", "2,100", "25.5", "24"],
    }
    chart = re.search(r"data-chart='([^']*)'", html)
    assert chart is not None
    data = json.loads(unescape(chart.group(1)))
    assert data["labels"] == [f"{year}年1月", f"{year}年2月"]
    assert data["planned_investment"] == [1000, 2500]
    assert data["actual_investment"] == [800, 2100]
    assert data["planned_pct"] == [10, 25.5]
    assert data["actual_pct"] == [8, 24]
    assert "/static/js/charts.js" in html
    assert "/static/vendor/echarts.min.js" in html


def test_chart_waits_for_data(client, county):
    login(client, "zdb")
    html = client.get(f"/projects/{county.bridge.id}").get_data(as_text=True)
    assert "尚无年度计划和已报送的进度报告" in html
    assert "data-chart=" not in html


def test_project_page_lists_cases_with_a_link(client, county, session, profile):
    warning = factories.warning(session, county.road, "2026-02")
    case = start_case(session, warning, profile, now_utc())
    session.commit()
    login(client, "chengguan")
    html = client.get(f"/projects/{county.road.id}").get_data(as_text=True)
    cases = html[html.index('id="cases"') :]
    assert f'href="/cases/{case.id}"' in cases
    assert "办理中" in cases
    assert "红色" in cases


def test_unit_user_gets_404_for_another_units_project_pages(client, county):
    login(client, "chengguan")
    for url in (
        f"/projects/{county.bridge.id}",
        f"/projects/{county.bridge.id}/reports/new",
        f"/projects/{county.bridge.id}/issues",
    ):
        assert client.get(url).status_code == 404, url


def test_charts_script_is_served(client):
    page = client.get("/static/js/charts.js")
    assert page.status_code == 200
    assert "echarts.init" in page.get_data(as_text=True)
