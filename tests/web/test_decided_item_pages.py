"""A decided item (议定事项) shows as the item it is, not as the warning that carries its case:
in the owner's inbox and case list, on its case page (with the meeting it came from) and in
its messages; reported done, it waits as 待验收 for the office's acceptance on the list, the
case page, the meeting page and the API (AL13 一是, DC3 三(三), GS6)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select

from keyproj.codes import NotificationKind
from keyproj.db.models import DecidedItem, Meeting
from keyproj.services.cases import commands as cases
from keyproj.services.cases.repository import open_task_rows
from keyproj.services.notifications.events import dispatch_case_events
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.forms import form
from tests.builders.meetings import alxa_held
from tests.builders.notifications import notified
from tests.builders.pages import table_rows, visible_text
from tests.builders.web import bearer, client_under, login

MATTER = "协调移交施工用地"  # the meeting's item owned by 县交通运输局 (account ``dept``)


@pytest.fixture
def client(engine: Engine, tmp_path: Path) -> Iterator[FlaskClient]:
    """A client of the app on Alxa's profile (CSRF off)."""
    with client_under(engine, tmp_path, "alxa_left") as client:
        yield client


@pytest.fixture
def held(county: County) -> tuple[Meeting, DecidedItem]:
    """Alxa's joint dispatch meeting of 7 April 2026 and its item on the roads project."""
    meeting = alxa_held(county)
    item = county.session.scalars(select(DecidedItem).where(DecidedItem.matter == MATTER)).one()
    return meeting, item


def page(client: FlaskClient, who: str, url: str) -> str:
    client.post("/logout")
    login(client, who)
    shown = client.get(url)
    assert shown.status_code == 200, url
    return shown.get_data(as_text=True)


def report_done(county: County, item: DecidedItem) -> None:
    """The owner 县交通运输局 reports the item done on 20 April 2026."""
    [task] = [t for t in open_task_rows(county.session, item.case_id) if t.name == "carry_out_item"]
    moment = county.at(bj(2026, 4, 20, 10))
    result = cases.complete_task(
        county.session,
        county.people["dept"],
        task.id,
        form("carry_out_item"),
        county.profile,
        moment,
    )
    assert result.accepted
    county.session.commit()


def test_the_owners_inbox_names_the_item_and_its_meeting_not_a_warning(client, county, held):
    html = page(client, "dept", "/inbox")
    [row] = [r for r in table_rows(html, "inbox-table")[1:] if MATTER in " ".join(r)]
    shown = " ".join(row)
    assert "议定事项" in shown
    assert "2026年04月07日" in shown  # the meeting it came from, by its title
    for word in ("重点事项催办", "黄色", "负责部分"):
        assert word not in shown, word


def test_the_case_list_names_the_item_not_a_warning(client, county, held):
    html = page(client, "dept", "/cases")
    [row] = [r for r in table_rows(html, "case-table")[1:] if MATTER in " ".join(r)]
    assert "议定事项" in " ".join(row)
    assert "重点事项催办" not in " ".join(row)
    assert "黄色" not in " ".join(row)


def test_an_items_case_page_shows_the_item_and_its_meeting_without_warning_facts(
    client, county, held
):
    meeting, item = held
    html = page(client, "zdb", f"/cases/{item.case_id}")
    text = visible_text(html)
    assert f"议定事项 · {MATTER}" in text
    assert f'href="/meetings/{meeting.id}"' in html  # the meeting it was decided at
    for fact in ("县交通运输局", "用地移交确认书", "2026-04-30"):  # owner, acceptance, deadline
        assert fact in text, fact
    assert "D01政府投资项目2026-03" in text  # its project
    for word in ("全县预警", "预警类别", "期次", "黄色", "预警依据", "预警立案", "负责部分"):
        assert word not in text, word
    assert "议定事项交办，启动落实流程" in text


def test_the_owners_new_task_message_names_the_item(client, county, held):
    dispatch_case_events(county.session, county.at(bj(2026, 4, 7, 12)))
    county.session.commit()
    [message] = [
        m
        for m in notified(county.session, NotificationKind.TASK_READY).get("dept", [])
        if MATTER in m.body
    ]
    assert f"议定事项“{MATTER}”有新的待办任务" in message.body
    assert "预警案件" not in message.body


def test_a_reported_item_waits_for_acceptance_everywhere_it_is_shown(client, county, held):
    meeting, item = held
    report_done(county, item)
    listed = table_rows(page(client, "zdb", "/decisions?state=reported"), "data-table")[1:]
    assert [MATTER in " ".join(r) and "待验收" in " ".join(r) for r in listed] == [True]
    assert "待验收" in visible_text(page(client, "dept", f"/cases/{item.case_id}"))
    meeting_rows = table_rows(page(client, "zdb", f"/meetings/{meeting.id}"), "decided-items")
    [row] = [r for r in meeting_rows if MATTER in " ".join(r)]
    assert "待验收" in row
    office = bearer(county.session, county.users["zdb"])
    found = client.get("/api/v1/decisions?state=reported", headers=office).get_json()
    assert [(i["matter"], i["state"], i["state_label"]) for i in found["items"]] == [
        (MATTER, "reported", "待验收")
    ]
    schema = client.get("/api/v1/openapi.json").get_json()
    assert (
        "reported" in schema["components"]["schemas"]["DecidedItem"]["properties"]["state"]["enum"]
    )


def test_the_home_pages_lists_name_the_item_not_a_county_wide_warning(client, county, held):
    county.with_people("auditor").committed()
    listed = table_rows(page(client, "zdb", "/waiting"), "data-table")[1:]
    [row] = [r for r in listed if MATTER in " ".join(r)]
    assert row[0] == f"议定事项：{MATTER}"
    assert "未发通知" not in row  # an item has no LP13 notice to wait for
    recent = table_rows(page(client, "auditor", "/"), 'id="home-audit-recent"')[1:]
    assert [f"议定事项：{MATTER}" in " ".join(r) for r in recent].count(True) == 1


def test_an_overdue_item_sent_for_its_follow_up_issues_no_county_letter(client, county, held):
    _, item = held
    county.session.commit()
    county.sweep(bj(2026, 4, 28, 9, 1))  # the reminder
    county.sweep(bj(2026, 5, 1, 0, 0, 1))  # past 30 April: overdue, sent for 督办
    login(client, "zdb")
    shown = visible_text(page(client, "zdb", f"/cases/{item.case_id}"))
    assert "议定事项逾期未完成，提请督办" in shown
    assert "提请县政府协调" not in shown
    letter = client.get(f"/cases/{item.case_id}/document.docx?kind=escalation")
    assert letter.status_code == 404


def test_the_apis_inbox_task_names_the_item_it_carries_out(client, county, held):
    owner = bearer(county.session, county.users["dept"])
    tasks = client.get("/api/v1/tasks", headers=owner).get_json()["tasks"]
    [task] = [t for t in tasks if t["decided_item"] == MATTER]
    assert task["name"] == "carry_out_item"
    assert task["decided_item_origin"].startswith("2026年04月07日")
