"""X3 in a real browser: an administrator edits the deployed diagram in the modeler, sees a
lint error appear on the canvas and clear, has it checked by the server and deploys it as the
next version, which the page then lists and opens.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright against the app served on a
free port over a SQLite database.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from keyproj.db.session import make_engine
from tests.builders.browser import chromium_page, expect, require_chromium, script_errors, sign_in
from tests.builders.county import County
from tests.builders.web import make_app, served

pytestmark = pytest.mark.slow
EDIT = "/diagrams/warning_case/edit"


@pytest.fixture
def site(sqlite_template: Path, tmp_path: Path) -> Iterator[str]:
    """The app on a free port over a copy of the seeded database, with an administrator."""
    require_chromium()
    path = tmp_path / "keyproj.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine, expire_on_commit=False) as session:
        County(session).with_people("admin").committed()
    engine.dispose()
    app = make_app(f"sqlite:///{path}", tmp_path, csrf=True)
    try:
        with served(app) as url:
            yield url
    finally:
        app.extensions["keyproj"].engine.dispose()


@pytest.fixture
def page(site: str, browser: Any) -> Iterator[Any]:
    """A page of the module's Chromium, signed in as the administrator."""
    with chromium_page(browser) as opened:
        sign_in(opened, site, "admin")
        yield opened


# The properties panel's two containers carry inline styles ("height: 100%", "flex: none;
# height: auto") that the content policy refuses; diagram-editor.css gives them the same.
RESTORED_BY_STYLESHEET = (
    "sha256-nR5hyLltSjfvi2rqC26RbcredWrJvTaPA1yqPX96jpY=",
    "sha256-LIWyuNLBDBQuKJLr4mOx2cFEzHX9lM0BrbfcAAzCvSU=",
)


def console_errors(page: Any) -> list[str]:
    """Console errors from now on (a library's complaint, a style or script the content policy
    refused), but for the two inline styles the stylesheet restores."""
    found: list[str] = []

    def seen(message: Any) -> None:
        if message.type == "error" and not any(h in message.text for h in RESTORED_BY_STYLESHEET):
            found.append(message.text)

    page.on("console", seen)
    return found


def test_x3_rename_a_task_see_a_lint_error_appear_and_clear_deploy_and_see_the_version(page, site):
    problems, console = script_errors(page), console_errors(page)
    page.goto(f"{site}{EDIT}")
    expect(page.locator("#modeler-canvas")).to_have_attribute("data-state", "ready")
    expect(page.locator("#modeler-opened")).to_have_text("第 1 版")
    lint = page.locator(".bjsl-button")
    expect(lint).to_contain_text("未发现问题")  # the shipped diagram passes our rules

    task = page.locator('.djs-element[data-element-id="evaluate"]')
    task.click()
    page.get_by_label("名称", exact=True).fill("评估成效并决定去向")
    expect(task).to_contain_text("评估成效并决定去向")

    form = page.get_by_label("表单（bpmn/forms/）")
    expect(form).to_have_value("evaluate")
    expect(page.get_by_label("办理期限（期限变量）")).to_have_value("evaluate_due")
    form.select_option("")  # the task loses its form: an error on the canvas at once
    expect(lint).to_contain_text("1 个错误")
    marked = page.locator('.djs-overlays[data-container-id="evaluate"] .bjsl-overlay')
    expect(marked.locator(".bjsl-icon-error")).to_have_count(1)
    expect(marked).to_contain_text("任务没有选择表单（form）")
    page.get_by_role("button", name="检查").click()
    expect(page.locator("#modeler-status")).to_contain_text("检查发现 1 个问题")
    expect(page.locator("#modeler-problems li")).to_contain_text("缺少表单属性 form")
    expect(page.locator('.djs-element.keyproj-problem[data-element-id="evaluate"]')).to_have_count(
        1
    )

    form.select_option("evaluate")
    expect(lint).to_contain_text("未发现问题")
    expect(marked).to_have_count(0)
    page.get_by_role("button", name="检查").click()
    expect(page.locator("#modeler-status")).to_have_text("检查通过：可以部署")
    expect(page.locator(".keyproj-problem")).to_have_count(0)

    page.get_by_label("版本说明").fill("评估任务改名")
    page.get_by_role("button", name="部署为新版本").click()
    expect(page.locator("#modeler-status")).to_have_text("已部署为第 2 版")
    expect(page.locator("#modeler-opened")).to_have_text("第 2 版")
    expect(page.locator('#modeler-versions tr[data-version="2"]')).to_contain_text("评估任务改名")

    page.reload()  # the new version is what the editor opens from now on, and it is listed
    expect(page.locator("#modeler-canvas")).to_have_attribute("data-state", "ready")
    expect(page.locator("#modeler-opened")).to_have_text("第 2 版")
    expect(page.locator('.djs-element[data-element-id="evaluate"]')).to_contain_text(
        "评估成效并决定去向"
    )
    expect(page.locator("#modeler-versions tbody tr")).to_have_count(2)
    assert problems == []
    assert console == []


def lint_on(page: Any, element_id: str) -> Any:
    """The lint marker the modeler shows on an element (with its messages)."""
    return page.locator(f'.djs-overlays[data-container-id="{element_id}"] .bjsl-overlay')


def test_x3_an_unknown_lane_a_timer_without_deadline_and_a_missing_name_show_and_clear(page, site):
    problems = script_errors(page)
    page.goto(f"{site}{EDIT}")
    expect(page.locator("#modeler-canvas")).to_have_attribute("data-state", "ready")
    lint = page.locator(".bjsl-button")
    expect(lint).to_contain_text("未发现问题")

    # A timer waits for a deadline variable: without one it is an error.
    page.locator('.djs-element[data-element-id="evaluate_overdue"]').click()
    deadline = page.get_by_label("定时器期限（期限变量）")
    expect(deadline).to_have_value("evaluate_due")
    deadline.select_option("")
    expect(lint_on(page, "evaluate_overdue")).to_contain_text("定时器没有选择期限变量")
    deadline.select_option("evaluate_due")
    expect(lint_on(page, "evaluate_overdue")).to_have_count(0)

    # A lane is a role: a name that is no known role is an error until a role is chosen.
    page.locator('.djs-element[data-element-id="lane_supervision"]').click(
        position={"x": 15, "y": 40}
    )
    page.get_by_label("名称", exact=True).fill("某某办")
    expect(lint_on(page, "lane_supervision")).to_contain_text("泳道“某某办”不是已知角色")
    page.get_by_label("泳道角色").select_option("督查室")
    expect(lint_on(page, "lane_supervision")).to_have_count(0)

    # Every task needs its name.
    page.locator('.djs-element[data-element-id="evaluate"]').click()
    page.get_by_label("名称", exact=True).fill("")
    expect(lint_on(page, "evaluate")).to_contain_text("缺少名称")
    page.get_by_label("名称", exact=True).fill("评估协调成效")
    expect(lint_on(page, "evaluate")).to_have_count(0)
    expect(lint).to_contain_text("未发现问题")
    assert problems == []


@pytest.mark.parametrize(
    "key", ["warning_case", "guangshan_case", "handan_case", "alxa_left_case", "dancheng_case"]
)
def test_x3_every_shipped_diagram_opens_in_the_modeler_without_a_lint_error(page, site, key):
    problems, console = script_errors(page), console_errors(page)
    page.goto(f"{site}/diagrams/{key}/edit")
    expect(page.locator("#modeler-canvas")).to_have_attribute("data-state", "ready")
    expect(page.locator(".bjsl-button")).to_contain_text("未发现问题")
    page.get_by_role("button", name="检查").click()  # the page's own text passes the server too
    expect(page.locator("#modeler-status")).to_have_text("检查通过：可以部署")
    assert problems == []
    assert console == []
