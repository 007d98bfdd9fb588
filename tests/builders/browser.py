"""For the browser tests: Debian's Chromium driven by Playwright, signing in, and an app whose
scan requests run the scan at once, as a county's worker would."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.clock import beijing_date, now_utc, today_beijing
from keyproj.db.models import CalendarYear, Case
from keyproj.db.session import make_engine
from keyproj.runtime import Runtime
from keyproj.services.scan.jobs import scan_and_start
from tests.builders import factories
from tests.builders.county import County
from tests.builders.web import casework_county, make_app, served

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
playwright_sync: Any = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: run scripts/setup test"
)
expect: Any = playwright_sync.expect


def require_chromium() -> None:
    """Skip the test, saying how to install it, where Debian's Chromium is missing."""
    if not CHROMIUM.exists():
        reason = (
            f"{CHROMIUM} is missing: `scripts/setup test` installs Debian's chromium "
            "(apt-get install chromium, as root); the browser tests are skipped"
        )
        print(reason)
        pytest.skip(reason)


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium (never a browser Playwright downloads), started for a module's tests:
    starting it takes longer than many a test, and each test still gets a context of its own."""
    require_chromium()
    with playwright_sync.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def chromium_page(browser: Any) -> Iterator[Any]:
    """A page of ``browser`` in a new context (no cookies or storage of earlier tests), in
    Chinese and Beijing time."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def script_errors(page: Any) -> list[str]:
    """The uncaught script errors of ``page`` from now on; a test expects none."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def sign_in(
    page: Any,
    url: str,
    username: str,
    password: str = factories.PASSWORD,
    name: str | None = None,
) -> None:
    """Sign in on the login page and wait for the header to name the user."""
    page.goto(f"{url}/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.locator(".site-user__name")).to_have_text(name or f"用户{username}")


def sign_out(page: Any) -> None:
    """Press the header's sign-out button and wait for the login page."""
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("button", name="登录")).to_be_visible()


def scanning_app(database_url: str, instance: Path) -> Flask:
    """The app with CSRF checks on, whose scan requests run the scan job in the request.

    A county's worker runs ``scan_and_start`` when asked; the browser tests have no worker,
    so the request runs it.
    """
    runtimes: list[Runtime] = []

    def request_scan() -> bool:
        runtime = runtimes[0]
        scan_and_start(runtime.sessions, runtime.profile, today_beijing(), now_utc)
        return True

    app = make_app(database_url, instance, csrf=True, request_scan=request_scan)
    runtimes.append(app.extensions["keyproj"])
    return app


@dataclass
class ServedCase:
    """The app's address and the case a browser test drives."""

    url: str
    case_id: int


@contextmanager
def served_case(
    template: Path, tmp_path: Path, open_case: Callable[[County], Case]
) -> Iterator[ServedCase]:
    """The app on a free port over a copy of the migrated SQLite ``template``, with the case
    that ``open_case`` takes as far as the test needs it, at the real date."""
    require_chromium()
    path = tmp_path / "keyproj.db"
    shutil.copy(template, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine, expire_on_commit=False) as session:
        cover_the_coming_weeks(session)
        case_id = open_case(casework_county(session)).id
    engine.dispose()
    app = make_app(f"sqlite:///{path}", tmp_path, csrf=True)
    try:
        with served(app) as url:
            yield ServedCase(url, case_id)
    finally:
        app.extensions["keyproj"].engine.dispose()


def cover_the_coming_weeks(session: Session) -> None:
    """A case runs at the real date; a late-December run needs next year's calendar.

    Where the seeded calendar lacks next year, the test database gets it as a plain
    Monday-to-Friday year, so the deadlines can be computed.
    """
    year = beijing_date(now_utc()).year + 1
    if session.scalar(select(CalendarYear.year).where(CalendarYear.year == year)) is None:
        session.add(CalendarYear(year=year, source="test", loaded_at=now_utc()))
        session.commit()
