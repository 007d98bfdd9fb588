"""Paging of every list page: the total, the page's place, pager links that keep the filters, 400s."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from keyproj.clock import now_utc
from keyproj.services.notifications.inbox import Message, notify
from keyproj.services.org.auth import sign_in
from tests.builders import factories
from tests.builders.web import inbox_county, login

PAGE_LINK = re.compile(r'href="([^"]*page=\d+[^"]*)"[^>]*rel="(prev|next)"')


def pager_links(html: str) -> dict[str, str]:
    """The pager's links by direction, as the page writes them (``&amp;`` unescaped)."""
    return {rel: href.replace("&amp;", "&") for href, rel in PAGE_LINK.findall(html)}


@pytest.fixture
def seven(county, session):
    """Seven projects (four more of 城关镇's), the key office signed in."""
    for n in range(4):
        factories.project(session, "T01", name=f"城关镇第{n}号安置房项目")
    session.commit()
    return county


def test_the_project_list_pages_with_the_total_and_keeps_the_filters(client, seven):
    login(client, "zdb")
    html = client.get("/projects?q=城关镇&per_page=2&page=2").get_data(as_text=True)
    assert "共 6 个项目，第 2 / 3 页" in html  # the keyword matches six of the seven
    assert html.count('class="code"') == 2
    links = pager_links(html)
    assert links["prev"].startswith("/projects?page=1")
    assert "q=%E5%9F%8E%E5%85%B3%E9%95%87" in links["next"]
    assert "per_page=2" in links["next"]
    assert "page=3" in links["next"]


def test_the_colour_filter_is_counted_before_the_page_is_cut(client, seven, session):
    factories.warning(session, seven.road, "2026-01", colour="yellow")
    factories.warning(session, seven.road, "2026-02", colour="red")
    factories.warning(session, seven.bridge, "2026-02", colour="red")
    factories.warning(session, seven.school, "2026-02", colour="red", status="closed")
    session.commit()
    login(client, "zdb")
    red = client.get("/projects?colour=red&per_page=1").get_data(as_text=True)
    assert "共 2 个项目，第 1 / 2 页" in red
    yellow = client.get("/projects?colour=yellow").get_data(as_text=True)
    assert "共 0 个项目" in yellow  # the road's worst open warning is red
    none = client.get("/projects?colour=none&per_page=3").get_data(as_text=True)
    assert "共 5 个项目，第 1 / 2 页" in none  # a closed warning is no warning


def test_the_issue_ledgers_page(client, county, session):
    for n in range(3):
        factories.issue(session, county.road, f"问题{n}", opened_on=date(2026, 1, 1 + n))
    factories.issue(session, county.bridge, "桥梁问题", opened_on=date(2026, 1, 9))
    session.commit()
    login(client, "zdb")
    ledger = client.get("/issues?per_page=3&page=2").get_data(as_text=True)
    assert "共 4 个问题，第 2 / 2 页" in ledger
    assert "桥梁问题" in ledger  # the newest comes last
    road = client.get(f"/projects/{county.road.id}/issues?per_page=2&status=open")
    html = road.get_data(as_text=True)
    assert "共 3 个问题，第 1 / 2 页" in html
    assert pager_links(html)["next"].startswith(f"/projects/{county.road.id}/issues?page=2")


def test_the_account_list_pages_and_counts_every_locked_account(client, county, session):
    county.with_people("admin")
    for _ in range(5):
        sign_in(session, "shiqiao", "Wrong#2026", now_utc())
    session.commit()
    login(client, "admin")
    html = client.get("/admin/users?per_page=2").get_data(as_text=True)
    assert "共 4 个账号，其中 <strong>1</strong> 个已锁定；第 1 / 2 页" in html
    assert "shiqiao" not in html  # admin and chengguan come first
    second = client.get("/admin/users?per_page=2&page=2").get_data(as_text=True)
    assert "shiqiao" in second
    assert "/admin/users/" in second
    assert "unlock?page=2&amp;per_page=2" in second


def test_the_notification_list_shows_the_total_and_pages(client, county, session):
    messages = [
        (county.chengguan.id, f"test:{n}", Message("task_ready", f"通知{n}", "内容"))
        for n in range(23)
    ]
    notify(session, messages, now_utc())
    session.commit()
    login(client, "chengguan")
    html = client.get("/notifications").get_data(as_text=True)
    assert "共 23 条，未读 23 条；第 1 / 2 页" in html
    assert pager_links(html) == {"next": "/notifications?page=2"}
    last = client.get("/notifications?page=2").get_data(as_text=True)
    assert last.count("notification__title") == 3


def test_a_case_list_past_the_end_keeps_its_total(client, session, clock):
    inbox_county(session, clock)
    login(client, "zdb")
    html = client.get("/cases?per_page=1&page=9").get_data(as_text=True)
    assert "共 3 件，第 9 / 3 页" in html
    assert pager_links(html)["prev"].startswith("/cases?page=3")


def test_an_inbox_past_the_end_keeps_its_total(client, session, clock):
    inbox_county(session, clock)
    login(client, "town")
    html = client.get("/inbox?per_page=1&page=5").get_data(as_text=True)
    assert "共 2 项待办，第 5 / 2 页" in html


def test_the_project_page_shows_the_newest_reports_and_links_to_them_all(client, county, session):
    start = date(2025, 1, 1)
    for n in range(14):
        month = start + timedelta(days=31 * n)
        factories.report(session, county.road, f"{month.year}-{month.month:02d}")
    session.commit()
    login(client, "zdb")
    detail = client.get(f"/projects/{county.road.id}").get_data(as_text=True)
    assert "2026年2月" in detail
    assert "2025年2月" not in detail
    assert "查看全部 14 份进度报告" in detail
    listing = client.get(f"/projects/{county.road.id}/reports?per_page=10&page=2")
    html = listing.get_data(as_text=True)
    assert "共 14 份，第 2 / 2 页" in html
    assert "2025年1月" in html
    assert "2026年2月" not in html


def test_the_report_list_is_scoped_like_the_project(client, county):
    login(client, "shiqiao")
    assert client.get(f"/projects/{county.road.id}/reports").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/projects", "/cases", "/inbox", "/issues", "/notifications", "/admin/users", "REPORTS"],
)
@pytest.mark.parametrize("query", ["page=0", "page=x", "per_page=500", "page=%EF%BC%93"])
def test_bad_paging_on_a_list_page_is_a_400_naming_it(client, county, path, query):
    county.with_people("admin").committed()
    login(client, "admin")
    path = f"/projects/{county.road.id}/reports" if path == "REPORTS" else path
    page = client.get(f"{path}?{query}")
    assert page.status_code == 400, path
    html = page.get_data(as_text=True)
    assert "输入有误" in html
    assert ("页码" if query.startswith("page") else "每页条数") in html
