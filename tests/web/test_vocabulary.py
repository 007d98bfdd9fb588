"""One vocabulary: a case, a warning and a task read the same wherever they are shown."""

from __future__ import annotations

import re

import pytest

from tests.builders.clock import bj
from tests.builders.forms import form
from tests.builders.web import api_error, bearer, casework_county, login
from tests.builders.web import inbox_county as build_inbox_county

RESPOND = form("respond")

OUTCOME = {"result": "resolved", "evidence": "已完成征地，施工恢复正常"}
ACCEPTED = {"decision": "accepted", "opinion": "协调有效，同意办结"}
TASK_ROW = re.compile(r'<tr class="[^"]*" data-task="(\d+)">')


def section(html: str, heading_id: str) -> str:
    """The markup of the page section headed by ``heading_id``."""
    match = re.search(
        rf'<section class="panel" aria-labelledby="{heading_id}">(.*?)</section>', html, re.S
    )
    assert match, f"no section {heading_id}"
    return match.group(1)


def case_row(html: str, case_id: int) -> str:
    """The row of the case list that links to ``case_id``."""
    match = re.search(rf'<tr>\s*<td><a href="/cases/{case_id}">.*?</tr>', html, re.S)
    assert match, f"no row of case {case_id}"
    return match.group(0)


@pytest.fixture
def cc(session, clock):
    """One case of 城关镇's road project, its notice issued on Monday 2 March 2026."""
    county = casework_county(session)
    case = county.open_case(county.road, clock.at(bj(2026, 3, 2, 9)))
    county.notify(case, clock.at(bj(2026, 3, 2, 10)))
    clock.at(bj(2026, 3, 3, 9))
    return county


def statuses_shown(client, cc) -> dict[str, str]:
    """How the case's status reads on the case list, the case page and the project page."""
    case = cc.cases[0]
    listing = case_row(client.get("/cases").get_data(as_text=True), case.id)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    project = client.get(f"/projects/{cc.road.id}").get_data(as_text=True)
    status = re.search(r'<p class="case-status">(.*?)</p>', page, re.S)
    assert status, "no case status"
    return {
        "list": re.sub(r"<[^>]+>", " ", listing),
        "case": status.group(1),
        "project": case_row(section(project, "cases"), case.id),
        "warnings": section(project, "warnings"),
    }


def test_an_open_case_reads_the_same_on_the_list_the_case_and_the_project_page(client, cc):
    login(client, "zdb")
    shown = statuses_shown(client, cc)
    for where in ("list", "case", "project"):
        assert "办理中" in shown[where], where
        assert "处置中" not in shown[where], where
        assert "已办结" not in shown[where], where
    assert "处置中" in shown["warnings"]  # the warning, not the case, is being dealt with


def test_a_closed_case_and_its_warning_read_the_same_everywhere(client, cc, clock):
    case = cc.cases[0]
    cc.complete("town", case, "respond", RESPOND, clock.at(bj(2026, 3, 3, 10)))
    cc.complete("town", case, "report_outcome", OUTCOME, clock.at(bj(2026, 3, 4, 10)))
    cc.complete("zdb", case, "evaluate", ACCEPTED, clock.at(bj(2026, 3, 5, 10)))
    login(client, "zdb")
    shown = statuses_shown(client, cc)
    for where in ("list", "case", "project"):
        assert "已办结" in shown[where], where
        assert "办理中" not in shown[where], where
    assert "已办结（预警已处置）" in shown["list"]
    assert "已处置" in shown["warnings"]
    assert "handled" not in shown["warnings"]


@pytest.fixture
def inbox_county(session, clock):
    """Two respond tasks of 城关镇 (one overdue, an issue warning) and one of 石桥镇."""
    return build_inbox_county(session, clock)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "status=overdue",
        "status=ready",
        "level=progress",
        "project=环城路",
        "due_from=2026-03-04",
    ],
)
def test_the_api_task_list_is_the_inbox_page(client, session, inbox_county, query):
    login(client, "town")
    page = client.get(f"/inbox?{query}").get_data(as_text=True)
    headers = bearer(session, inbox_county.users["town"])
    body = client.get(f"/api/v1/tasks?{query}", headers=headers).get_json()
    assert [t["id"] for t in body["tasks"]] == [int(i) for i in TASK_ROW.findall(page)]
    total = re.search(r"共 (\d+) 项待办", page)
    assert total, "no task count"
    assert body["total"] == int(total.group(1))


def test_the_api_task_list_names_the_project_warning_and_deadline(client, session, inbox_county):
    old, fresh, _ = inbox_county.cases
    headers = bearer(session, inbox_county.users["town"])
    tasks = client.get("/api/v1/tasks", headers=headers).get_json()["tasks"]
    assert [t["case_id"] for t in tasks] == [old.id, fresh.id]  # overdue first
    first = tasks[0]
    assert (first["status"], first["status_label"], first["lane"]) == (
        "ready",
        "待认领",
        "责任单位",
    )
    assert (first["warning_level"], first["warning_level_label"]) == ("issue", "问题预警")
    assert first["project_name"] == "城关镇环城路改建工程"
    assert first["overdue"] is True
    assert first["deadline_text"] == "已逾期5个工作日"


def test_the_api_and_the_inbox_page_refuse_an_unknown_filter(client, session, inbox_county):
    login(client, "town")
    page = client.get("/inbox?level=orange")
    assert page.status_code == 400
    assert TASK_ROW.findall(page.get_data(as_text=True)) == []
    headers = bearer(session, inbox_county.users["town"])
    error = api_error(
        client.get("/api/v1/tasks?level=orange&due_to=soon", headers=headers),
        422,
        "validation_failed",
    )
    assert set(error["fields"]) == {"level", "due_to"}
    warnings = client.get("/api/v1/warnings?status=resolved", headers=headers)
    assert "status" in api_error(warnings, 422, "validation_failed")["fields"]
