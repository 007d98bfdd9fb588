"""Instructions (批示) through the JSON API (issue 15 part 5): a leader's token gives one, any
token whose user may see the case reads them, everyone else is refused."""

from __future__ import annotations

import pytest

from tests.builders.web import api_error, bearer, instructed_county, json_of

TEXT = "请城关镇本周内拿出征地协调方案"


@pytest.fixture
def cc(session, clock):
    """城关镇's road case noticed on Monday 2 March 2026, its project linked to leader01."""
    return instructed_county(session, clock)


def url(cc) -> str:
    return f"/api/v1/cases/{cc.cases[0].id}/instructions"


def test_the_leader_gives_an_instruction_and_the_unit_reads_it(client, cc, session):
    leader = bearer(session, cc.users["leader01"])
    given = client.post(url(cc), json={"text": TEXT, "due_on": "2026-03-06"}, headers=leader)
    assert given.status_code == 201
    body = json_of(given)
    assert body == {
        "id": body["id"],
        "case_id": cc.cases[0].id,
        "leader": "李挂钩",
        "text": TEXT,
        "due_on": "2026-03-06",
        "given_at": "2026-03-03T09:00:00+08:00",
        "answered": False,
        "answered_at": None,
        "answered_by": None,
        "answered_unit": None,
        "answer_task": None,
    }
    listed = json_of(client.get(url(cc), headers=bearer(session, cc.users["town"])))
    assert listed == {"instructions": [body]}
    events = json_of(client.get(f"/api/v1/cases/{cc.cases[0].id}/events", headers=leader))
    assert events["events"][-1]["kind"] == "instruction"


@pytest.mark.parametrize(
    ("who", "status", "code"), [("town", 403, "forbidden"), ("other", 404, "not_found")]
)
def test_others_may_not_instruct(client, cc, session, who, status, code):
    answer = client.post(url(cc), json={"text": TEXT}, headers=bearer(session, cc.users[who]))
    api_error(answer, status, code)
    leader = bearer(session, cc.users["leader01"])
    assert json_of(client.get(url(cc), headers=leader)) == {"instructions": []}


def test_a_unit_outside_the_case_cannot_read_its_instructions(client, cc, session):
    api_error(client.get(url(cc), headers=bearer(session, cc.users["other"])), 404, "not_found")


def test_bad_bodies_are_refused_by_field(client, cc, session):
    leader = bearer(session, cc.users["leader01"])
    error = api_error(
        client.post(url(cc), json={"text": 5, "due_on": 20260306, "x": 1}, headers=leader),
        422,
        "validation_failed",
    )
    assert set(error["fields"]) == {"text", "due_on", "x"}
    error = api_error(
        client.post(url(cc), json={"text": " ", "due_on": "2026-03-02"}, headers=leader),
        422,
        "validation_failed",
    )
    assert error["fields"] == {"text": "不能为空（只有空白或不可见字符）", "due_on": "不能早于今天"}


def test_the_document_describes_the_instruction_endpoints(client):
    doc = json_of(client.get("/api/v1/openapi.json"))
    path = doc["paths"]["/api/v1/cases/{case_id}/instructions"]
    assert set(path) == {"get", "post"}
    body = path["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/InstructionInput"}
    assert doc["components"]["schemas"]["InstructionInput"]["required"] == ["text"]
