"""X3 in a real browser: an administrator deploys a new version of the core diagram from a file,
sees it listed, sees the changed elements marked on the diagram, previews the running case's
migration (its response deadline recounted from the notice) and moves it.

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
)
from tests.builders.county import County
from tests.builders.diagrams import response_in

pytestmark = pytest.mark.slow


@pytest.fixture
def versions_app(sqlite_template: Path, tmp_path: Path) -> Iterator[ServedCase]:
    """The app on a free port with an administrator and a case whose notice is out."""

    def open_case(county: County) -> Case:
        county.with_people("admin")
        case = county.open_case(county.road, now_utc())
        county.notify(case, now_utc())
        return case

    with served_case(sqlite_template, tmp_path, open_case) as app:
        yield app


@pytest.fixture
def page(versions_app: ServedCase, browser: Any) -> Iterator[Any]:
    """A page of the module's Chromium."""
    with chromium_page(browser) as opened:
        yield opened


def test_x3_deploy_a_file_see_it_listed_diff_it_and_migrate_the_running_case(
    page, versions_app, tmp_path
):
    problems = script_errors(page)
    upload = tmp_path / "warning_case.bpmn"
    upload.write_text(response_in(5), encoding="utf-8")
    sign_in(page, versions_app.url, "admin")
    page.goto(f"{versions_app.url}/diagrams")
    section = page.locator("#key-warning_case")
    expect(section.locator("tbody tr")).to_have_count(1)
    section.get_by_label("上传新版本（.bpmn）").set_input_files(str(upload))
    section.get_by_label("说明").fill("响应期限改为5个工作日")
    section.get_by_role("button", name="校验并部署").click()
    expect(page.locator(".notice--success")).to_contain_text("已部署")
    expect(section.locator("tbody tr")).to_have_count(2)
    expect(section.locator("tbody tr").first).to_contain_text("第 2 版")
    expect(section.locator("tbody tr").first).to_contain_text("响应期限改为5个工作日")
    expect(page.locator("#changes")).to_contain_text("部署新版本")

    section.get_by_role("link", name="与上一版比较").click()
    expect(page.locator("#diff")).to_contain_text("计算本单位响应与成效期限")
    expect(page.locator("#case-diagram")).to_have_attribute("data-state", "ready")
    marked = page.locator('#case-diagram [data-element-id="part_deadlines"].is-active')
    expect(marked).to_have_count(1)

    page.goto(f"{versions_app.url}/diagrams")
    page.get_by_role("link", name="迁移至第 2 版（预览）").click()
    row = page.locator(f'tr[data-case="{versions_app.case_id}"]')
    expect(row).to_contain_text("可以迁移")
    expect(row).to_contain_text("自通知下达之日起算")
    page.get_by_role("button", name="迁移所选案件").click()
    expect(page.locator(".notice--success")).to_contain_text("已将 1 件案件迁移至第 2 版")
    page.goto(f"{versions_app.url}/cases/{versions_app.case_id}")
    expect(page.get_by_text(re.compile("流程由第1版迁移至第2版"))).to_be_visible()
    assert problems == []
