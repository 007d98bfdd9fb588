"""LP16 in a real browser: 县府办 records an on-site office meeting with its follow-up item; the
item appears, with its deadline, in the owner unit's inbox.

Drives Debian's Chromium (/usr/bin/chromium, installed by ``scripts/setup test``) through
Playwright against the app served on a free port over a SQLite database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from keyproj.clock import beijing_date, now_utc
from keyproj.db.models import Case
from tests.builders.browser import (
    ServedCase,
    chromium_page,
    expect,
    script_errors,
    served_case,
    sign_in,
    sign_out,
)
from tests.builders.county import County
from tests.builders.forms import form

pytestmark = pytest.mark.slow


@pytest.fixture
def county_app(sqlite_template: Path, tmp_path: Path) -> Iterator[ServedCase]:
    """The app on a free port, with a case routed to the county government (LP16) whose leader
    in charge 县府办 has named: it waits at the county government's coordination."""

    def open_case(county: County) -> Case:
        county.with_people("xfb")
        case = county.open_case(county.road, now_utc())
        county.notify(case, now_utc(), routing="county_government")
        county.complete("xfb", case, "county_gov_assign", form("county_gov_assign"), now_utc())
        return case

    with served_case(sqlite_template, tmp_path, open_case) as app:
        yield app


@pytest.fixture
def page(county_app: ServedCase, browser: Any) -> Iterator[Any]:
    """A page of the module's Chromium (Debian's browser, never one downloaded by Playwright)."""
    with chromium_page(browser) as opened:
        yield opened


def test_lp16_onsite_meeting_item_reaches_the_owner_inbox_with_its_deadline(page, county_app):
    problems = script_errors(page)
    due = (beijing_date(now_utc()) + timedelta(days=10)).isoformat()

    sign_in(page, county_app.url, "xfb")
    page.goto(f"{county_app.url}/inbox")
    page.locator("tbody tr").first.get_by_role("link", name="县政府协调处置").click()
    expect(page.locator("#county-gov-leader")).to_have_text("李副县长")
    page.get_by_label("协调情况").fill("王副县长召集石桥镇、交通运输局现场协调临时用地问题")
    page.get_by_label("协调结果").select_option(label="召开现场办公会议")
    page.get_by_label("现场办公会议纪要").fill("石桥镇负责在期限内完成临时用地协调。")
    page.get_by_label("纪要事项第1项责任单位").select_option(label="石桥镇")
    page.get_by_label("纪要事项第1项落实事项").fill("完成临时用地协调")
    page.get_by_label("纪要事项第1项落实期限").fill(due)
    page.get_by_role("button", name="提交").click()

    expect(page).to_have_url(re.compile(rf"/cases/{county_app.case_id}$"))
    expect(page.locator(".notice--success")).to_contain_text("落实会议纪要事项")
    expect(page.locator("#county-gov-minutes")).to_have_text("石桥镇负责在期限内完成临时用地协调。")
    item = page.locator("#follow-up-items tbody tr")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("石桥镇")
    expect(item).to_contain_text(f"{due} 23:59")
    expect(item).to_contain_text("落实中")

    sign_out(page)
    sign_in(page, county_app.url, "other")  # a liaison of 石桥镇, not a responsible unit before
    page.goto(f"{county_app.url}/inbox")
    row = page.locator("tbody tr").filter(has_text="落实会议纪要事项")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("城关镇环城路改建工程")
    expect(row).to_contain_text(f"{due} 23:59")
    row.get_by_role("link", name="落实会议纪要事项").click()
    expect(page.locator("#follow-up-items")).to_contain_text("完成临时用地协调")
    assert problems == []
