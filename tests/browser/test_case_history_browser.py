"""X4 in a real browser: an auditor moves the history's step slider and sees the highlighted
step (in the step list and on the diagram) change; a tampered log shows its first broken event.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright against the app served on a
free port over a SQLite database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from keyproj.clock import now_utc
from keyproj.db.models import Case, CaseEvent
from tests.builders.browser import (
    chromium_page,
    expect,
    script_errors,
    served_case,
    sign_in,
)
from tests.builders.county import County
from tests.builders.forms import form

pytestmark = pytest.mark.slow


def answered_case(county: County) -> Case:
    """城关镇's road case, noticed an hour ago and answered by the town since."""
    county.with_people("auditor").committed()
    start = now_utc() - timedelta(hours=2)
    case = county.open_case(county.road, start)
    county.notify(case, start + timedelta(minutes=30))
    county.complete("town", case, "respond", form("respond"), start + timedelta(hours=1))
    return case


def tampered_case(county: County) -> Case:
    """The same case, whose fourth event someone edited in the database afterwards."""
    case = answered_case(county)
    session = county.session
    target = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()[3]
    forged = {**target.data, "forged": True}
    session.execute(update(CaseEvent).where(CaseEvent.id == target.id).values(data=forged))
    session.commit()
    return case


def serve(sqlite_template: Path, tmp_path: Path, open_case: Callable[[County], Case]):
    return served_case(sqlite_template, tmp_path, open_case)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page of the module's Chromium."""
    with chromium_page(browser) as opened:
        yield opened


def marked(page: Any, element: str, marker: str) -> Any:
    """The diagram element ``element`` carrying bpmn-js's ``marker`` class."""
    return page.locator(f'#case-diagram .djs-element[data-element-id="{element}"].{marker}')


def test_x4_moving_the_slider_moves_the_highlighted_step(page, sqlite_template, tmp_path):
    with serve(sqlite_template, tmp_path, answered_case) as app:
        problems = script_errors(page)
        sign_in(page, app.url, "auditor")
        page.goto(f"{app.url}/cases/{app.case_id}")
        page.get_by_role("link", name="办理记录回放与校验").click()
        expect(page.locator("#verification")).to_contain_text("哈希链校验通过")
        expect(page.locator("#case-diagram")).to_have_attribute("data-state", "ready")
        last = page.locator("#step-range").get_attribute("max")
        current = page.locator(".history-step.is-current")
        expect(current).to_have_attribute("data-step", last)
        expect(marked(page, "issue_notice", "is-done")).to_have_count(1)
        taken = page.locator("#case-diagram .djs-connection.is-done")
        expect(taken.first).to_be_attached()
        before = taken.count()

        # Sliding (before letting go) re-marks the list and the diagram at once.
        page.locator("#step-range").evaluate(
            "(el) => { el.value = '1'; el.dispatchEvent(new Event('input')); }"
        )
        expect(current).to_have_attribute("data-step", "1")
        expect(page.locator("#step-label")).to_have_text(f"第1步 / 共{last}步")
        expect(marked(page, "issue_notice", "is-active")).to_have_count(1)
        expect(marked(page, "issue_notice", "is-done")).to_have_count(0)
        # Marked in the same handler as the nodes: only the flows up to the notice remain.
        assert 0 < taken.count() < before

        # Letting go loads the step's facts.
        page.locator("#step-range").fill("2")
        expect(page).to_have_url(re.compile(r"\?step=2$"))
        expect(page.locator(".history-step.is-current")).to_have_attribute("data-step", "2")
        expect(page.locator("#step-title")).to_contain_text("第2步")
        expect(page.locator("#case-diagram")).to_have_attribute("data-state", "ready")
        page.get_by_role("link", name="下一步").click()
        expect(page).to_have_url(re.compile(r"\?step=3$"))
        expect(page.locator(".history-step.is-current")).to_have_attribute("data-step", "3")
        assert problems == []


def test_x4_a_tampered_case_shows_its_first_broken_event(page, sqlite_template, tmp_path):
    with serve(sqlite_template, tmp_path, tampered_case) as app:
        sign_in(page, app.url, "auditor")
        page.goto(f"{app.url}/cases/{app.case_id}/history")
        expect(page.locator("#verification")).to_contain_text("事件被修改")
        expect(page.locator("#chain-problem")).to_contain_text("第4条事件内容被修改")
        page.locator("#broken-step").get_by_role("link").click()
        expect(page).to_have_url(re.compile(r"\?step=4$"))
        expect(page.locator(".history-step.is-current")).to_contain_text("不可信")
        expect(page.locator("#step-facts")).to_contain_text("记录不可信")
