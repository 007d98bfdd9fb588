"""Decided items on the pages and the API: the office records one, the owner sees it in the
list and the inbox and no other unit does; past its deadline (AL13 一是, Alxa) the unit's
record shows the accountability; the warnings' lists never show an item's warning."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from keyproj.db.models import DecidedItem, HumanTask
from keyproj.services.cases.timers import sweep
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.web import bearer, client_under, login

ITEM = {
    "origin_kind": "meeting",
    "origin_title": "2026年9月重点项目联席会议",
    "matter": "完成环城路管线迁改",
    "owner_unit_code": "T01",
    "due_on": "2026-10-09",
    "acceptance": "管线产权单位出具迁改完成确认书",
    "project_code": "",
}


@pytest.fixture
def alxa_client(engine: Engine, tmp_path: Path) -> Iterator[FlaskClient]:
    """A client of the app on the alxa_left profile (CSRF off)."""
    with client_under(engine, tmp_path, "alxa_left") as client:
        yield client


@pytest.fixture
def county(county: County) -> County:
    """Alxa's banner: 城关镇 and 石桥镇 liaisons, the key office, an auditor; committed."""
    return county.under("alxa_left").with_people("auditor").committed()


def recorded(county: County, client: FlaskClient, clock) -> DecidedItem:
    """The key office records the item on its page on Monday 28 September 2026."""
    clock.at(bj(2026, 9, 28, 10))
    login(client, "zdb")
    sent = client.post("/decisions/new", data=ITEM | {"project_code": county.road.code})
    assert sent.status_code == 303, sent.get_data(as_text=True)
    county.session.expire_all()
    item = county.session.scalars(select(DecidedItem)).one()
    assert sent.headers["Location"].endswith(f"/cases/{item.case_id}")
    client.post("/logout")
    return item


def test_a_refused_row_names_its_cell_and_records_nothing(alxa_client, county, clock):
    clock.at(bj(2026, 9, 28, 10))
    login(alxa_client, "zdb")
    refused = alxa_client.post("/decisions/new", data=ITEM | {"owner_unit_code": "X99"})
    assert refused.status_code == 422
    assert "议定事项第1项·责任单位：未知单位“X99”" in refused.get_data(as_text=True)
    assert county.session.scalars(select(DecidedItem)).all() == []


def test_a_unit_may_not_record_items(alxa_client, county, clock):
    login(alxa_client, "chengguan")
    assert alxa_client.get("/decisions/new").status_code == 403
    assert alxa_client.post("/decisions/new", data=ITEM).status_code == 403


def test_the_owner_sees_its_item_and_another_unit_does_not(alxa_client, county, clock):
    item = recorded(county, alxa_client, clock)
    login(alxa_client, "chengguan")
    listed = alxa_client.get("/decisions").get_data(as_text=True)
    assert "完成环城路管线迁改" in listed
    assert "落实中" in listed
    inbox = alxa_client.get("/inbox").get_data(as_text=True)
    assert "落实议定事项并报告" in inbox
    case_page = alxa_client.get(f"/cases/{item.case_id}").get_data(as_text=True)
    assert "管线产权单位出具迁改完成确认书" in case_page  # the item's panel: what counts as done
    assert "议定事项 · 完成环城路管线迁改" in case_page  # the item names the page
    assert "预警催办通知" not in case_page  # no LP13 notice for an item
    alxa_client.post("/logout")
    login(alxa_client, "shiqiao")
    assert "完成环城路管线迁改" not in alxa_client.get("/decisions").get_data(as_text=True)
    assert alxa_client.get(f"/cases/{item.case_id}").status_code == 404
    other = bearer(county.session, county.users["shiqiao"])
    assert alxa_client.get(f"/api/v1/decisions/{item.id}", headers=other).status_code == 404
    assert alxa_client.get("/api/v1/decisions", headers=other).get_json()["total"] == 0
    mine = bearer(county.session, county.users["chengguan"])
    [shown] = alxa_client.get("/api/v1/decisions", headers=mine).get_json()["items"]
    assert (shown["id"], shown["state"], shown["due_on"]) == (item.id, "in_progress", "2026-10-09")


def test_the_owners_task_page_shows_what_counts_as_done(alxa_client, county, clock):
    item = recorded(county, alxa_client, clock)
    task = county.session.scalars(select(HumanTask).where(HumanTask.case_id == item.case_id)).one()
    assert task.name == "carry_out_item"
    login(alxa_client, "chengguan")
    page = alxa_client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "管线产权单位出具迁改完成确认书" in page  # the acceptance, beside the form
    assert "2026-10-09" in page
    assert "2026年9月重点项目联席会议第1项" in page


def test_al13_past_the_deadline_the_units_record_shows_the_accountability(
    alxa_client, county, clock
):
    item = recorded(county, alxa_client, clock)
    county.session.commit()
    moment = clock.at(bj(2026, 10, 10, 0, 0, 1))
    sweep(sessionmaker(county.session.get_bind(), expire_on_commit=False), moment)
    login(alxa_client, "zdb")
    listed = alxa_client.get("/decisions?state=overdue").get_data(as_text=True)
    assert "完成环城路管线迁改" in listed
    assert "已逾期" in listed
    assert "逾期议定事项督办" in alxa_client.get("/inbox").get_data(as_text=True)
    for page in (f"/supervision/units/{item.owner_unit_id}", f"/units/{item.owner_unit_id}/record"):
        shown = alxa_client.get(page).get_data(as_text=True)
        assert "联席会议、专题会议形成的议定事项不能按时完成" in shown, page
        assert "旗委诫勉谈话、通报批评" in shown, page
    alxa_client.post("/logout")
    login(alxa_client, "auditor")
    history = alxa_client.get(f"/cases/{item.case_id}/history")
    assert history.status_code == 200
    assert "议定事项逾期" in history.get_data(as_text=True)


def test_an_items_warning_is_on_no_warnings_list(alxa_client, county, clock):
    item = recorded(county, alxa_client, clock)
    office = bearer(county.session, county.users["zdb"])
    warnings = alxa_client.get("/api/v1/warnings", headers=office).get_json()
    assert item.warning_id not in [w["id"] for w in warnings["warnings"]]
    login(alxa_client, "zdb")
    project = alxa_client.get(f"/projects/{county.road.id}").get_data(as_text=True)
    assert "议定事项：" not in project  # the warning's summary is not among the project's
    assert alxa_client.get("/triage").get_data(as_text=True).count("环城路") == 0


@pytest.mark.parametrize("owner", ["²", "٣"])
def test_an_owner_filter_of_other_digits_is_no_filter_not_a_500(alxa_client, county, clock, owner):
    recorded(county, alxa_client, clock)
    login(alxa_client, "zdb")
    page = alxa_client.get(f"/decisions?owner={owner}")
    assert page.status_code == 200
    assert "完成环城路管线迁改" in page.get_data(as_text=True)
