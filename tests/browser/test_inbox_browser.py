"""The inbox in a real browser: a liaison claims and answers a task, the key office sees the case move on.

Drives Debian's Chromium (/usr/bin/chromium, installed by ``scripts/setup test``) through
Playwright against the app served on a free port over a SQLite database.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from keyproj.clock import beijing_date, now_utc
from keyproj.db.models import CalendarYear
from keyproj.db.session import make_engine
from tests.builders import factories
from tests.builders.web import casework_county, make_app

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
playwright_sync = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: run scripts/setup test"
)
expect = playwright_sync.expect


def _skip_reason() -> str | None:
    if not CHROMIUM.exists():
        return (
            f"{CHROMIUM} is missing: `scripts/setup test` installs Debian's chromium "
            "(apt-get install chromium, as root); the browser tests are skipped"
        )
    return None


@dataclass
class Served:
    """The app's address and the case the test drives."""

    url: str
    case_id: int


@pytest.fixture
def served(sqlite_template: Path, tmp_path: Path) -> Iterator[Served]:
    """The app on a free port, with a county whose one case waits at the respond step."""
    reason = _skip_reason()
    if reason:
        print(reason)
        pytest.skip(reason)
    path = tmp_path / "keyproj.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine, expire_on_commit=False) as session:
        _cover_the_coming_weeks(session)
        county = casework_county(session)
        case = county.open_case(county.road, now_utc())
        county.notify(case, now_utc())
        case_id = case.id
    engine.dispose()
    app = make_app(f"sqlite:///{path}", tmp_path, csrf=True)
    app.config["TESTING"] = False
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_port}", case_id)
    finally:
        server.shutdown()
        thread.join()
        app.extensions["keyproj"].engine.dispose()


def _cover_the_coming_weeks(session: Session) -> None:
    """The case runs at the real date; a late-December run needs next year's calendar.

    Where the seeded calendar lacks next year, the test database gets it as a plain
    Monday-to-Friday year, so the deadlines can be computed.
    """
    year = beijing_date(now_utc()).year + 1
    if session.scalar(select(CalendarYear.year).where(CalendarYear.year == year)) is None:
        session.add(CalendarYear(year=year, source="test", loaded_at=now_utc()))
        session.commit()


@pytest.fixture
def page(served: Served) -> Iterator[object]:
    """A Chromium page (Debian's browser, never one downloaded by Playwright)."""
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
        context.set_default_timeout(15_000)
        yield context.new_page()
        context.close()
        browser.close()


def sign_in(page, url: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(factories.PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".site-user__name")).to_have_text(f"用户{username}")


def test_liaison_claims_and_answers_then_the_key_office_sees_the_case_advance(page, served):
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))

    sign_in(page, served.url, "town")
    page.goto(f"{served.url}/inbox")
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
    expect(page).to_have_url(re.compile(rf"/cases/{served.case_id}$"))
    expect(page.locator(".notice--success")).to_contain_text("案件当前环节：报告协调成效")

    page.get_by_role("button", name="退出登录").click()
    sign_in(page, served.url, "zdb")
    page.goto(f"{served.url}/cases/{served.case_id}")
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
