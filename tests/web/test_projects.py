"""The project list (scope, filters, count) and the project detail page."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from keyproj.clock import today_beijing
from keyproj.services.org.directory import add_liaison, save_leader
from keyproj.services.projects.project import TeamMemberData, set_team
from tests.builders import factories
from tests.builders.web import login


def test_the_home_page_links_to_the_project_list(client, county):
    login(client, "zdb")
    page = client.get("/")
    assert page.status_code == 200
    assert 'href="/projects"' in page.get_data(as_text=True)


def test_key_office_sees_every_project_and_the_count(client, county):
    login(client, "zdb")
    html = client.get("/projects").get_data(as_text=True)
    assert "共 3 个项目" in html
    for project in (county.road, county.school, county.bridge):
        assert project.code in html
        assert project.name in html
    for header in ("项目代码", "项目名称", "级别", "建设性质", "总投资（万元）", "牵头责任单位"):
        assert header in html
    assert "县重点" in html
    assert "新开工" in html
    assert "12,000" in html


def test_unit_user_sees_only_own_projects(client, county):
    login(client, "shiqiao")
    html = client.get("/projects").get_data(as_text=True)
    assert "共 1 个项目" in html
    assert county.bridge.name in html
    assert county.road.name not in html


def test_list_filters_by_unit_level_and_keyword(client, county):
    login(client, "zdb")
    by_unit = client.get(f"/projects?unit={county.bridge.lead_unit_id}").get_data(as_text=True)
    assert "共 1 个项目" in by_unit
    assert county.bridge.name in by_unit
    by_level = client.get("/projects?level=city").get_data(as_text=True)
    assert "共 1 个项目" in by_level
    assert county.school.name in by_level
    by_word = client.get("/projects?q=环城路").get_data(as_text=True)
    assert "共 1 个项目" in by_word
    assert county.road.name in by_word
    by_code = client.get(f"/projects?q={county.bridge.code}").get_data(as_text=True)
    assert "共 1 个项目" in by_code


def test_nonsense_filters_are_refused_with_their_names_not_ignored(client, county):
    login(client, "zdb")
    page = client.get("/projects?unit=abc&level=national")
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "共 3 个项目" not in html
    assert "单位：“abc”不是整数" in html
    assert "级别：取值“national”无效" in html
    assert 'href="/projects"' in html  # the list again, without the filters


def test_unit_user_gets_404_for_another_units_project(client, county):
    login(client, "chengguan")
    page = client.get(f"/projects/{county.bridge.id}")
    assert page.status_code == 404
    assert "不存在或无权查看" in page.get_data(as_text=True)


def test_missing_project_is_404(client, county):
    login(client, "zdb")
    assert client.get("/projects/999999").status_code == 404


def test_names_are_escaped(client, county, session):
    factories.project(session, "T01", name="<script>alert(1)</script>")
    session.commit()
    login(client, "zdb")
    html = client.get("/projects").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_detail_shows_plan_reports_issues_and_warnings(client, county, session):
    year = today_beijing().year
    road = county.road
    factories.approved_plan(session, road, year, [(1, "1000", "10"), (2, "1500", "25.5")])
    factories.report(session, road, f"{year}-01", cumulative_completed=Decimal("900"))
    factories.report(session, road, f"{year}-02", progress_pct=Decimal("24.5"))
    factories.issue(session, road, "征地补偿未谈妥", category="land")
    factories.issue(
        session,
        road,
        "资金缺口已落实",
        category="funding",
        status="resolved",
        resolved_on=date(2026, 2, 1),
    )
    factories.warning(session, road, f"{year}-02")
    session.commit()
    login(client, "chengguan")

    html = client.get(f"/projects/{road.id}").get_data(as_text=True)
    assert road.name in html
    assert road.code in html
    assert "城关镇" in html
    assert f"{year}年度计划" in html
    assert "2,500" in html
    assert "25.5" in html
    reports = html[html.index('<h2 id="reports">') :]
    assert reports.index(f"{year}年2月") < reports.index(f"{year}年1月")  # newest first
    assert "已报送" in reports
    assert "900" in reports
    assert "24.5" in reports
    assert "征地拆迁" in html
    assert "征地补偿未谈妥" in html
    assert "资金筹措" in html
    assert "资金缺口已落实" in html
    assert "未解决问题（1）" in html
    assert "已解决问题（1）" in html
    assert "进度预警" in html
    assert "红色" in html
    assert "建设进度滞后于序时进度" in html  # the rule's name, not its id


def test_detail_shows_team_and_liaisons(client, county, session):
    road = county.road
    save_leader(session, "王副县长", title="副县长")
    set_team(
        session,
        road,
        [
            TeamMemberData("helper", "赵帮办", phone="13800000003", unit_code="T01"),
            TeamMemberData("chief", "王副县长", leader_name="王副县长"),
        ],
    )
    add_liaison(session, "李联络", "13800000001", unit_code="T01", position="党政办主任")
    add_liaison(session, "周建设", "13800000002", project_id=road.id)
    session.commit()
    login(client, "zdb")

    html = client.get(f"/projects/{road.id}").get_data(as_text=True)
    team = html[html.index("项目工作专班") :]
    assert re.search(r"项目长（分包县领导）</td>\s*<td>王副县长", team)
    assert team.index("项目长（分包县领导）") < team.index("帮办人员")
    assert "赵帮办" in team
    assert "13800000003" in team
    assert "牵头单位联络员" in team
    assert "李联络" in team
    assert "党政办主任" in team
    assert "项目联络员" in team
    assert "周建设" in team


def test_detail_without_plan_says_so(client, county):
    login(client, "zdb")
    html = client.get(f"/projects/{county.bridge.id}").get_data(as_text=True)
    assert "尚无已批准的年度计划" in html
    assert "尚无进度报告" in html
    assert "暂无预警" in html


def test_static_css_is_public(client):
    page = client.get("/static/app.css")
    assert page.status_code == 200
    assert "text/css" in page.headers["Content-Type"]


def test_detail_lists_the_newest_warnings_and_issues_and_links_to_all(client, county, session):
    road = county.road
    for month in range(1, 24):
        raised = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=month)
        factories.warning(
            session,
            road,
            f"2025-{month:02d}" if month <= 12 else f"2026-{month - 12:02d}",
            raised_at=raised,
        )
    for n in range(22):
        factories.issue(
            session, road, f"问题{n:02d}", opened_on=date(2026, 1, 1) + timedelta(days=n)
        )
    session.commit()
    login(client, "chengguan")

    html = client.get(f"/projects/{road.id}").get_data(as_text=True)
    warnings = html[html.index('<h2 id="warnings">') : html.index('<h2 id="cases">')]
    assert warnings.count("<tr>") == 21  # the head and the newest 20
    assert "2026年11月" in warnings
    assert "2025年3月" not in warnings
    assert f'href="/projects/{road.id}/warnings">查看全部 23 条预警' in warnings
    assert "未解决问题（22）" in html
    assert "问题21" in html
    assert "问题01" not in html
    assert f"/projects/{road.id}/issues?status=open" in html

    second = client.get(f"/projects/{road.id}/warnings?per_page=20&page=2").get_data(as_text=True)
    assert "共 23 条，第 2 / 2 页" in second
    assert second.count("<tr>") == 4
    assert "2025年1月" in second
    assert "2026年11月" not in second
    assert client.get(f"/projects/{road.id}/warnings?page=0").status_code == 400


def test_a_projects_warnings_and_cases_pages_are_scoped(client, county, session):
    factories.warning(session, county.road, "2026-01")
    session.commit()
    login(client, "chengguan")
    empty = client.get(f"/projects/{county.road.id}/cases").get_data(as_text=True)
    assert "共 0 件" in empty
    assert "暂无。" in empty
    client.post("/logout")
    login(client, "shiqiao")
    assert client.get(f"/projects/{county.road.id}/warnings").status_code == 404
    assert client.get(f"/projects/{county.road.id}/cases").status_code == 404
