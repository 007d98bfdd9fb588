"""Issue 14's acceptance in a real browser, under Alxa's profile (AL3, AL13 一是): the key office
asks for agenda items, 城关镇 submits one, the project's leader approves it, the office compiles
the agenda and holds the monthly joint dispatch meeting with a decided item for 城关镇; 城关镇
finds the item in its inbox, lets it run past its deadline, and the escalation to the key office
and the accountability entry on 城关镇's record appear.

Drives Debian's Chromium (/usr/bin/chromium, installed by ``scripts/setup test``) through
Playwright against the app served on a free port, on SQLite and PostgreSQL. The clock is moved
with time-machine; the timer sweep runs as the worker runs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from flask import Flask
from sqlalchemy import Engine

from keyproj.clock import now_utc
from keyproj.services.cases.timers import sweep
from tests.builders.browser import chromium_page, expect, require_chromium, script_errors, sign_in
from tests.builders.clock import FrozenClock, bj
from tests.builders.county import County
from tests.builders.database import url_of
from tests.builders.web import make_app, served

pytestmark = pytest.mark.slow

# Monday 26 October 2026: the ask day of the joint dispatch meeting of Thursday 5 November
# (Alxa: the 5th of each month, asked 10 days ahead, items due 3 days ahead on 2 November).
ASK_DAY = bj(2026, 10, 26, 10)
MEETING_DAY = bj(2026, 11, 5, 9, 30)
DUE = "2026-11-20"  # a Friday: the decided item's deadline, the end of that day
PAST_DUE = bj(2026, 11, 23, 9)  # the next Monday morning
MEETING = "项目调度联席会议"
ROAD = "城关镇环城路改建工程"
MATTER = "完成环城路东段管线迁改"
ACCEPTANCE = "管线产权单位出具迁改完成确认书"
AL13_ITEM_LATE = "联席会议、专题会议形成的议定事项不能按时完成"  # AL13 一是


@dataclass
class Site:
    """The served app, its address, the browser and the clock the test moves."""

    app: Flask
    url: str
    browser: Any
    clock: FrozenClock
    county: County

    @contextmanager
    def signed_in(self, username: str) -> Iterator[Any]:
        """A new browser context signed in as ``username``; no script errors on its pages."""
        with chromium_page(self.browser) as page:
            problems = script_errors(page)
            sign_in(page, self.url, username)
            yield page
            assert problems == []

    def sweep_timers(self) -> None:
        """The worker's timer sweep (keyproj.sweep_timers), at the clock's moment."""
        sweep(self.app.extensions["keyproj"].sessions, now_utc())


@pytest.fixture
def site(engine: Engine, county: County, browser: Any, tmp_path: Path) -> Iterator[Site]:
    """Alxa's banner on its ask day: 城关镇's road (September's report: 1500万元 this year)
    with leader01 in charge, 石桥镇's bridge, the key office; the app served under alxa_left."""
    require_chromium()
    county.clock.at(ASK_DAY)
    county.under("alxa_left").with_people("zdb", "town").with_projects("road", "bridge")
    county.report(county.road, "monthly", "2026-09", annual="1500")
    county.link_leader("leader01", county.road)
    county.committed()
    app = make_app(url_of(engine), tmp_path, csrf=True, profile="alxa_left")
    try:
        with served(app) as url:
            yield Site(app, url, browser, county.clock, county)
    finally:
        app.extensions["keyproj"].engine.dispose()


def open_meeting_page(page: Any, url: str) -> None:
    """From the meetings page, the meeting of 5 November."""
    page.goto(f"{url}/meetings?year=2026")
    page.locator("tbody tr").filter(has_text="2026-11-05").get_by_role("link", name="查看").click()
    expect(page.locator("h1")).to_have_text(f"{MEETING}（2026-11-05）")


def test_al3_al13_agenda_meeting_decided_item_overdue_escalation_and_accountability(site):
    ask_for_items(site)
    submit_item(site)
    approve_item(site)
    compile_agenda(site)
    hold_meeting(site)
    owner_sees_the_item(site)
    site.clock.at(PAST_DUE)
    site.sweep_timers()
    overdue_escalated_and_accounted(site)


def ask_for_items(site: Site) -> None:
    """The key office opens the meeting of 5 November and asks the units for items."""
    with site.signed_in("zdb") as page:
        page.goto(f"{site.url}/meetings?year=2026")
        row = page.locator("tbody tr").filter(has_text="2026-11-05")
        expect(row).to_contain_text("未开启")
        row.get_by_role("button", name="开启").click()
        expect(page.locator("h1")).to_have_text(f"{MEETING}（2026-11-05）")
        page.get_by_role("button", name="通知报送议题").click()
        expect(page.locator(".notice--success")).to_contain_text("已通知各责任单位报送议题")
        facts = page.locator("dl")
        expect(facts).to_contain_text("征集议题")
        expect(facts).to_contain_text("2026-11-02")  # due 3 days before the meeting
        expect(facts).to_contain_text("城关镇、石桥镇")


def submit_item(site: Site) -> None:
    """城关镇's liaison submits the road's progress, issues and requests."""
    with site.signed_in("town") as page:
        open_meeting_page(page, site.url)
        page.get_by_label("项目", exact=True).select_option(label=ROAD)
        page.get_by_label("项目进展情况").fill("东段路基完成80%，西段管线迁改未开工")
        page.get_by_label("存在问题").fill("西段通信管线产权单位未确定迁改方案")
        page.get_by_label("需要解决事项").fill("请协调通信管线迁改")
        page.get_by_role("button", name="报送", exact=True).click()
        expect(page.locator(".notice--success")).to_contain_text("议题已报送，待分包领导审核")
        row = page.locator("tbody tr").filter(has_text=ROAD)
        expect(row).to_contain_text("待分包领导审核")


def approve_item(site: Site) -> None:
    """The road's leader in charge (分包领导) approves the item with a note."""
    with site.signed_in("leader01") as page:
        open_meeting_page(page, site.url)
        row = page.locator("tbody tr").filter(has_text=ROAD)
        row.get_by_label("意见").fill("同意上会")
        row.get_by_role("button", name="同意").click()
        expect(page.locator(".notice--success")).to_contain_text("已同意")
        row = page.locator("tbody tr").filter(has_text=ROAD)
        expect(row).to_contain_text("分包领导已同意：同意上会")


def compile_agenda(site: Site) -> None:
    """The key office compiles the agenda with the road's figures and downloads it."""
    with site.signed_in("zdb") as page:
        open_meeting_page(page, site.url)
        page.get_by_role("button", name="汇总议题").click()
        expect(page.locator(".notice--success")).to_contain_text("议题已汇总")
        agenda = page.locator("ol.agenda li")
        expect(agenda.first).to_contain_text("会议时间：2026年11月05日 09:00")
        item = agenda.filter(has_text=ROAD)
        expect(item).to_contain_text(f"{ROAD}（城关镇）：截至2026年9月，年度完成投资1500.00万元")
        expect(item).to_contain_text("累计完成投资1500.00万元")
        expect(item).to_contain_text("需解决事项：请协调通信管线迁改")
        with page.expect_download() as download:
            page.get_by_role("link", name="下载议题（Word）").click()
        document = Document(download.value.path())
        text = "\n".join(p.text for p in document.paragraphs)
        assert f"{MEETING}议题" in text
        assert f"{ROAD}（城关镇）：截至2026年9月，年度完成投资1500.00万元" in text


def hold_meeting(site: Site) -> None:
    """On 5 November the key office records attendance (石桥镇 on leave), minutes and the
    decided item for 城关镇 with its deadline and acceptance."""
    site.clock.at(MEETING_DAY)
    with site.signed_in("zdb") as page:
        open_meeting_page(page, site.url)
        expect(page.get_by_label("第1行单位代码")).to_have_value("T01")
        page.get_by_label("第1行姓名").fill("王镇长")
        page.get_by_label("第1行出席情况").select_option(label="出席")
        expect(page.get_by_label("第2行单位代码")).to_have_value("T02")
        page.get_by_label("第2行姓名").fill("赵镇长")
        page.get_by_label("第2行出席情况").select_option(label="请假")
        page.get_by_label("第2行请假事由").fill("赴盟里参加项目审批培训")
        page.get_by_label("会议纪要").fill("会议研究了环城路管线迁改问题，明确由城关镇牵头落实。")
        page.get_by_label("议定事项第1项·事项").fill(MATTER)
        page.get_by_label("议定事项第1项·责任单位").fill("T01")
        page.get_by_label("议定事项第1项·完成时限").fill(DUE)
        page.get_by_label("议定事项第1项·验收标准").fill(ACCEPTANCE)
        page.get_by_label("议定事项第1项·项目").fill(site.county.road.code)
        page.get_by_role("button", name="记录会议").click()
        expect(page.locator(".notice--success")).to_contain_text("会议已记录")
        leave = page.locator("tbody tr").filter(has_text="赵镇长")
        expect(leave).to_contain_text("请假")
        expect(leave).to_contain_text("赴盟里参加项目审批培训")
        expect(page.locator(".minutes")).to_contain_text("明确由城关镇牵头落实")
        item = page.locator("table.decided-items tbody tr")
        expect(item).to_have_count(1)
        for shown in (MATTER, "城关镇", DUE, ACCEPTANCE, "落实中"):
            expect(item).to_contain_text(shown)


def owner_sees_the_item(site: Site) -> None:
    """城关镇's liaison finds the item's task in the inbox, with its deadline."""
    with site.signed_in("town") as page:
        page.goto(f"{site.url}/inbox")
        row = page.locator("tbody tr").filter(has_text="落实议定事项并报告")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(f"{DUE} 23:59")
        expect(row).not_to_have_class("is-overdue")
        row.get_by_role("link", name="落实议定事项并报告").click()
        expect(page.locator("body")).to_contain_text(MATTER)
        expect(page.locator("body")).to_contain_text(ACCEPTANCE)


def overdue_escalated_and_accounted(site: Site) -> None:
    """Past the deadline: the owner's task is overdue, the key office has the 督办 task, and
    城关镇's record shows AL13's accountability for an item not done in time."""
    unit_id = site.county.road.lead_unit_id
    with site.signed_in("town") as page:
        page.goto(f"{site.url}/inbox")
        row = page.locator("tbody tr").filter(has_text="落实议定事项并报告")
        expect(row).to_have_class("is-overdue")
        # Due at the end of Friday: on Monday morning, one working day late.
        expect(row.locator(".deadline--overdue")).to_have_text("已逾期1个工作日")
        page.goto(f"{site.url}/units/{unit_id}/record")
        expect(page.locator("body")).to_contain_text(AL13_ITEM_LATE)
    with site.signed_in("zdb") as page:
        page.goto(f"{site.url}/inbox")
        escalation = page.locator("tbody tr").filter(has_text="逾期议定事项督办")
        expect(escalation).to_have_count(1)
        page.goto(f"{site.url}/supervision/units/{unit_id}")
        expect(page.locator("body")).to_contain_text(AL13_ITEM_LATE)
        expect(page.locator("body")).to_contain_text("旗委诫勉谈话、通报批评")
