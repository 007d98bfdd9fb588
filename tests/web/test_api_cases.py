"""Cases and tasks through the JSON API (X1, X2, LP13, LP17): inbox, claim, complete, deadlines, scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select
from time_machine import Traveller

from keyproj.clock import BEIJING, now_utc
from keyproj.db.models import Case, CaseEvent
from keyproj.policy import load_profile
from keyproj.services.access import viewer_for
from keyproj.services.cases import commands as cases
from keyproj.services.org.directory import save_leader
from tests.builders import factories
from tests.builders.forms import form
from tests.builders.web import api_error, bearer

START = datetime(2026, 3, 2, 9, 0, tzinfo=BEIJING)  # a Monday
NOTICE = form("issue_notice", drop=("phase_unit_codes",))
RESPOND = form("respond")


@dataclass
class Api:
    """The case on the road project, and each person's token header."""

    case: Case
    zdb: dict[str, str]
    town: dict[str, str]
    other: dict[str, str]
    clock: Traveller


@pytest.fixture
def api(county, session):
    """A case opened on 城关镇's road project at START, with tokens for the office and both towns."""
    with time_machine.travel(START, tick=False) as clock:
        warning = factories.warning(session, county.road, "2026-02")
        case = cases.start_case(session, warning, load_profile("lianping"), now_utc())
        session.commit()
        yield Api(
            case,
            bearer(session, county.office),
            bearer(session, county.chengguan),
            bearer(session, county.shiqiao),
            clock,
        )


def inbox(client, headers) -> list[dict]:
    page = client.get("/api/v1/tasks", headers=headers)
    assert page.status_code == 200
    return page.get_json()["tasks"]


def send_notice(client, api) -> None:
    [task] = inbox(client, api.zdb)
    assert client.post(f"/api/v1/tasks/{task['id']}/claim", headers=api.zdb).status_code == 200
    page = client.post(f"/api/v1/tasks/{task['id']}/complete", json=NOTICE, headers=api.zdb)
    assert page.status_code == 200, page.get_data(as_text=True)


def test_claim_and_complete_advance_the_case(client, api):
    [notice] = inbox(client, api.zdb)
    assert (notice["name"], notice["lane"], notice["form"]) == (
        "issue_notice",
        "重点办",
        "issue_notice",
    )
    assert inbox(client, api.town) == []
    claimed = client.post(f"/api/v1/tasks/{notice['id']}/claim", headers=api.zdb).get_json()
    assert claimed["status"] == "claimed"
    assert claimed["claimed_at"] == "2026-03-02T09:00:00+08:00"
    api.clock.shift(timedelta(hours=1))
    done = client.post(f"/api/v1/tasks/{notice['id']}/complete", json=NOTICE, headers=api.zdb)
    assert done.get_json() == {
        "accepted": True,
        "message": "“发出预警催办通知”已提交",
        "case_status": "open",
        "now_waiting_for": ["受理并开展协调"],
    }
    [respond] = inbox(client, api.town)
    assert respond["name"] == "respond"
    assert respond["due_at"] == "2026-03-05T23:59:59+08:00"
    assert inbox(client, api.zdb) == []
    done = client.post(f"/api/v1/tasks/{respond['id']}/complete", json=RESPOND, headers=api.town)
    assert done.status_code == 200
    assert done.get_json()["now_waiting_for"] == ["报告协调成效"]
    detail = client.get(f"/api/v1/cases/{api.case.id}", headers=api.town).get_json()
    assert [t["name"] for t in detail["open_tasks"]] == ["report_outcome"]
    completed = [e for e in detail["events"] if e["kind"] == "completed"]
    assert [(e["task_name"], e["actor_name"], e["unit_name"]) for e in completed] == [
        ("issue_notice", "用户zdb", "县重点项目建设办公室"),
        ("respond", "用户chengguan", "城关镇"),
    ]
    assert completed[1]["data"]["input"]["respond"]["person_in_charge"] == "王镇长"
    assert [e["seq"] for e in detail["events"]] == sorted(e["seq"] for e in detail["events"])


def test_another_units_case_and_task_are_404(client, api):
    send_notice(client, api)
    [respond] = inbox(client, api.town)
    assert inbox(client, api.other) == []
    listed = client.get("/api/v1/cases", headers=api.other).get_json()
    assert (listed["count"], listed["total"], listed["cases"]) == (0, 0, [])
    api_error(client.get(f"/api/v1/cases/{api.case.id}", headers=api.other), 404, "not_found")
    claim = client.post(f"/api/v1/tasks/{respond['id']}/claim", headers=api.other)
    assert "不存在或无权查看" in api_error(claim, 404, "not_found")["message"]
    done = client.post(f"/api/v1/tasks/{respond['id']}/complete", json=RESPOND, headers=api.other)
    api_error(done, 404, "not_found")
    api_error(client.post("/api/v1/tasks/999999/claim", headers=api.town), 404, "not_found")
    # Nothing happened to the task: the right unit still finds it ready.
    assert inbox(client, api.town)[0]["status"] == "ready"
    listed = client.get("/api/v1/cases", headers=api.town).get_json()["cases"]
    assert [c["id"] for c in listed] == [api.case.id]
    assert listed[0]["warning"]["project_name"] == "城关镇环城路改建工程"


def test_a_task_of_another_lane_is_403_and_a_taken_one_409(client, api, county, session):
    send_notice(client, api)
    [respond] = inbox(client, api.town)
    refused = client.post(f"/api/v1/tasks/{respond['id']}/claim", headers=api.zdb)
    assert "责任单位" in api_error(refused, 403, "forbidden")["message"]
    colleague = bearer(session, factories.user(session, "chengguan2", "T01", "unit_liaison"))
    assert client.post(f"/api/v1/tasks/{respond['id']}/claim", headers=api.town).status_code == 200
    taken = client.post(f"/api/v1/tasks/{respond['id']}/claim", headers=colleague)
    assert "已由用户chengguan于2026-03-02 09:00认领" in api_error(taken, 409, "conflict")["message"]


def test_form_errors_name_the_field(client, api):
    send_notice(client, api)
    [respond] = inbox(client, api.town)
    body = {**RESPOND, "phone": "call me", "planned_completion": "next week", "colour": "red"}
    del body["measures"]
    page = client.post(f"/api/v1/tasks/{respond['id']}/complete", json=body, headers=api.town)
    fields = api_error(page, 422, "validation_failed")["fields"]
    assert fields == {
        "measures": "必填",
        "phone": "格式不正确",
        "planned_completion": "应为2000年至2100年间的日期，格式 YYYY-MM-DD（半角数字）",
        "colour": "不是该表单的栏目",
    }
    assert inbox(client, api.town)[0]["status"] == "ready"


def test_a_late_submission_is_409_with_the_services_message_and_is_kept(client, api, session):
    send_notice(client, api)
    [respond] = inbox(client, api.town)
    api.clock.move_to(datetime(2026, 3, 6, 0, 0, 5, tzinfo=BEIJING))
    late = {**RESPOND, "measures": "迟到的措施说明"}
    page = client.post(f"/api/v1/tasks/{respond['id']}/complete", json=late, headers=api.town)
    error = api_error(page, 409, "deadline_passed")
    assert "办理期限已于2026-03-05 23:59:59截止" in error["message"]
    assert "县府办提请分管领导协调" in error["message"]
    refused = session.scalars(
        select(CaseEvent).where(
            CaseEvent.case_id == api.case.id, CaseEvent.kind == "submission_refused"
        )
    ).one()
    assert refused.data["submitted"]["measures"] == "迟到的措施说明"
    assert inbox(client, api.town) == []


def test_a_completed_task_cannot_be_submitted_twice(client, api):
    [notice] = inbox(client, api.zdb)
    send_notice(client, api)
    again = client.post(f"/api/v1/tasks/{notice['id']}/complete", json=NOTICE, headers=api.zdb)
    assert "已由用户zdb于2026-03-02 09:00完成" in api_error(again, 409, "conflict")["message"]


def test_cases_filter_by_status(client, api):
    open_cases = client.get("/api/v1/cases?status=open", headers=api.zdb).get_json()
    assert [c["status"] for c in open_cases["cases"]] == ["open"]
    closed = client.get("/api/v1/cases?status=closed", headers=api.zdb).get_json()
    assert closed["count"] == 0
    bad = client.get("/api/v1/cases?status=weird", headers=api.zdb)
    assert "status" in api_error(bad, 422, "validation_failed")["fields"]


def test_cases_filter_by_project(client, api, county):
    mine = client.get(f"/api/v1/cases?project_id={county.road.id}", headers=api.zdb).get_json()
    assert [c["id"] for c in mine["cases"]] == [api.case.id]
    other = client.get(f"/api/v1/cases?project_id={county.school.id}", headers=api.zdb)
    assert other.get_json()["total"] == 0


def test_a_long_case_log_comes_a_page_at_a_time(client, api, session, county):
    """The detail carries the log's first events and its size; /events pages through it all."""
    office = viewer_for(session, county.office)
    for n in range(104):
        cases.add_update(session, office, api.case.id, "comment", f"第{n}条", now_utc())
    session.commit()
    detail = client.get(f"/api/v1/cases/{api.case.id}", headers=api.zdb).get_json()
    total = detail["event_count"]
    assert total > 104
    assert len(detail["events"]) == 100
    seqs = []
    for page in (1, 2):
        body = client.get(
            f"/api/v1/cases/{api.case.id}/events?per_page=100&page={page}", headers=api.zdb
        ).get_json()
        assert (body["total"], body["pages"]) == (total, 2)
        seqs += [e["seq"] for e in body["events"]]
    assert seqs == sorted(seqs)
    assert len(set(seqs)) == total
    assert body["events"][-1]["data"]["text"] == "第103条"
    hidden = client.get(f"/api/v1/cases/{api.case.id}/events", headers=api.other)
    api_error(hidden, 404, "not_found")


def test_the_projects_leader_follows_its_cases_but_other_leaders_do_not(
    client, api, county, session
):
    linked = factories.user(session, "leader01", "XLD", "leader")
    other = factories.user(session, "leader02", "XLD", "leader")
    county.road.leader = save_leader(session, "李副县长", username="leader01")
    save_leader(session, "王副县长", username="leader02")
    session.commit()
    mine, theirs = bearer(session, linked), bearer(session, other)
    assert [c["id"] for c in client.get("/api/v1/cases", headers=mine).get_json()["cases"]] == [
        api.case.id
    ]
    assert client.get(f"/api/v1/cases/{api.case.id}", headers=mine).status_code == 200
    assert client.get("/api/v1/cases", headers=theirs).get_json()["count"] == 0
    api_error(client.get(f"/api/v1/cases/{api.case.id}", headers=theirs), 404, "not_found")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"person_in_charge": "张" * 50 + "  "}, "person_in_charge"),  # 52 as sent: maxLength 50
        ({"planned_completion": ""}, "planned_completion"),
        ({"planned_completion": None}, "planned_completion"),
        ({"planned_completion": "２０２６-04-30"}, "planned_completion"),
        ({"planned_completion": "0001-01-01"}, "planned_completion"),
        ({"person_in_charge": "\u200b"}, "person_in_charge"),
        ({"measures": "协调措施\x0b已落实"}, "measures"),
        ({"measures": "协调措施\x00已落实"}, "measures"),
    ],
)
def test_a_form_is_held_to_its_schema_as_sent(client, api, change, field):
    send_notice(client, api)
    [respond] = inbox(client, api.town)
    body = {**RESPOND, **change}
    page = client.post(f"/api/v1/tasks/{respond['id']}/complete", json=body, headers=api.town)
    assert field in api_error(page, 422, "validation_failed")["fields"]
    assert inbox(client, api.town)[0]["status"] == "ready"
