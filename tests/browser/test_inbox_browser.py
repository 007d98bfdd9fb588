"""The inbox in a real browser: a liaison claims and answers a task, the key office sees the case move on.

Drives Debian's Chromium (/usr/bin/chromium, installed by ``scripts/setup test``) through
Playwright against the app served on a free port over a SQLite database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from keyproj.clock import now_utc
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

pytestmark = pytest.mark.slow


@pytest.fixture
def county_app(sqlite_template: Path, tmp_path: Path) -> Iterator[ServedCase]:
    """The app on a free port, with a county whose one case waits at the respond step."""

    def open_case(county: County) -> Case:
        case = county.open_case(county.road, now_utc())
        county.notify(case, now_utc())
        return case

    with served_case(sqlite_template, tmp_path, open_case) as app:
        yield app


@pytest.fixture
def page(county_app: ServedCase, browser: Any) -> Iterator[Any]:
    """A page of the module's Chromium (Debian's browser, never one downloaded by Playwright)."""
    with chromium_page(browser) as opened:
        yield opened


def test_liaison_claims_and_answers_then_the_key_office_sees_the_case_advance(page, county_app):
    problems = script_errors(page)

    sign_in(page, county_app.url, "town")
    page.goto(f"{county_app.url}/inbox")
    expect(page.locator(".count")).to_have_text("共 1 项待办")
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("城关镇环城路改建工程")
    expect(row).to_contain_text("进度预警")
    expect(row).to_contain_text("剩余")
    row.get_by_role("link", name="受理并开展协调").click()

    page.get_by_role("button", name="认领").click()
    expect(page.locator(".notice--success")).to_contain_text("已认领“受理并开展协调”")
    expect(page.locator(".task-status")).to_contain_text("本人认领")
    expect(page.locator("#case-diagram")).to_have_attribute("data-state", "ready")
    expect(page.locator('#case-diagram [data-element-id="respond"].is-active')).to_have_count(1)

    page.get_by_label("协调措施").fill("约谈施工单位，增加作业面和人员")
    page.get_by_label("责任人").fill("王镇长")
    page.get_by_label("联系电话").fill("电话待定")
    page.get_by_label("计划完成日期").fill("2026-12-31")
    page.get_by_role("button", name="提交").click()

    phone = page.locator('[data-field="phone"]')
    expect(phone.locator(".field-error")).to_have_text("联系电话：格式不正确")
    expect(page.locator("#form-message")).to_contain_text("提交未成功")
    expect(page.get_by_label("联系电话")).to_have_value("电话待定")
    expect(page.get_by_label("协调措施")).to_have_value("约谈施工单位，增加作业面和人员")
    expect(page.get_by_label("责任人")).to_have_value("王镇长")
    expect(page.get_by_label("计划完成日期")).to_have_value("2026-12-31")

    page.get_by_label("联系电话").fill("13800000000")
    page.get_by_role("button", name="提交").click()
    expect(page).to_have_url(re.compile(rf"/cases/{county_app.case_id}$"))
    expect(page.locator(".notice--success")).to_contain_text("案件当前环节：报告协调成效")

    sign_out(page)
    sign_in(page, county_app.url, "zdb")
    page.goto(f"{county_app.url}/cases/{county_app.case_id}")
    timeline = page.locator("ol.timeline")
    entry = timeline.locator('li[data-kind="completed"]').last
    expect(entry).to_contain_text("办理完成：受理并开展协调")
    expect(entry).to_contain_text("用户town（城关镇）")
    expect(entry).to_contain_text("13800000000")
    expect(page.locator(".current-tasks")).to_contain_text("报告协调成效")
    expect(page.locator(".official-doc")).to_contain_text("连重点办预警〔")
    expect(page.locator("#case-diagram")).to_have_attribute("data-state", "ready")
    active = page.locator('#case-diagram [data-element-id="report_outcome"].is-active')
    expect(active).to_have_count(1)
    assert problems == []
