"""Leaders' instructions (批示) and following on the pages (issue 15 part 5): the linked leader
instructs on the case page; the unit sees it on its task and inbox and answers it there."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from keyproj.db.models import CaseInstruction
from tests.builders.forms import form
from tests.builders.web import instructed_county, login

TEXT = "请城关镇本周内拿出征地协调方案"


@pytest.fixture
def cc(session, clock):
    """城关镇's road case noticed on Monday 2 March 2026, its project linked to leader01."""
    return instructed_county(session, clock)


def case_url(cc) -> str:
    return f"/cases/{cc.cases[0].id}"


def instruct(client, cc, **data: str):
    return client.post(f"{case_url(cc)}/instructions", data={"text": TEXT, **data})


def test_the_leader_instructs_and_the_unit_answers_with_its_response(app, client, cc):
    login(client, "leader01")
    page = client.get(case_url(cc)).get_data(as_text=True)
    assert 'id="instruct-button"' in page
    assert "暂无县领导批示" in page
    answer = instruct(client, cc, due_on="2026-03-06")
    assert answer.status_code == 302
    page = client.get(case_url(cc)).get_data(as_text=True)
    assert "李挂钩</strong>于 2026-03-03 09:00 批示，要求 2026-03-06 前办理" in page
    assert TEXT in page
    assert "县领导批示（要求2026年3月6日前办理）" in page  # on the timeline
    assert "待答复" in page
    assert 'id="unfollow-button"' in page  # instructing made the leader follow the case

    unit = app.test_client()
    login(unit, "town")
    inbox = unit.get("/inbox").get_data(as_text=True)
    assert "县领导批示待答复" in inbox
    respond = cc.task("respond", cc.cases[0])
    task_page = unit.get(f"/tasks/{respond.id}").get_data(as_text=True)
    assert "答复县领导批示" in task_page
    assert TEXT in task_page
    [instruction_id] = cc.session.scalars(select(CaseInstruction.id))
    done = unit.post(
        f"/tasks/{respond.id}/complete", data={**form("respond"), "answers": str(instruction_id)}
    )
    assert done.status_code == 302
    page = unit.get(case_url(cc)).get_data(as_text=True)
    assert "已答复</span> 用户town（城关镇）于 2026-03-03 09:00 在“受理并开展协调”中答复" in page
    assert "在“受理并开展协调”中答复县领导批示" in page  # on the timeline
    assert "县领导批示待答复" not in unit.get("/inbox").get_data(as_text=True)


def test_a_unit_without_answers_gets_no_answer_recorded(app, client, cc):
    login(client, "leader01")
    instruct(client, cc)
    unit = app.test_client()
    login(unit, "town")
    respond = cc.task("respond", cc.cases[0])
    assert unit.post(f"/tasks/{respond.id}/complete", data=form("respond")).status_code == 302
    page = unit.get(case_url(cc)).get_data(as_text=True)
    assert "待答复" in page
    # The outcome report offers the instruction again.
    outcome = cc.task("report_outcome", cc.cases[0])
    assert "答复县领导批示" in unit.get(f"/tasks/{outcome.id}").get_data(as_text=True)


def test_a_wrong_answer_keeps_the_form_and_names_the_field(app, client, cc):
    login(client, "leader01")
    instruct(client, cc)
    unit = app.test_client()
    login(unit, "town")
    respond = cc.task("respond", cc.cases[0])
    refused = unit.post(
        f"/tasks/{respond.id}/complete", data={**form("respond"), "answers": "999999"}
    )
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "答复批示：所选批示不属于本案件或已答复" in html
    assert form("respond")["measures"] in html  # what was typed is kept


@pytest.mark.parametrize(("who", "status"), [("town", 403), ("zdb", 403), ("other", 404)])
def test_only_the_linked_leader_may_instruct(client, cc, who, status):
    login(client, who)
    assert instruct(client, cc).status_code == status
    if status == 403:
        page = client.get(case_url(cc)).get_data(as_text=True)
        assert 'id="instruct-button"' not in page
        assert "暂无县领导批示" in page


def test_a_blank_instruction_is_refused_beside_its_field(client, cc):
    login(client, "leader01")
    refused = instruct(client, cc, text=" ", due_on="2026-03-01")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "批示内容：不能为空" in html
    assert "办理期限：不能早于今天" in html
    assert 'value="2026-03-01"' in html


def test_the_key_office_follows_and_unfollows_a_case(client, cc):
    login(client, "zdb")
    page = client.get(case_url(cc)).get_data(as_text=True)
    assert 'id="follow-button"' in page
    assert 'id="instruct-button"' not in page
    client.post(f"{case_url(cc)}/follow")
    assert 'id="unfollow-button"' in client.get(case_url(cc)).get_data(as_text=True)
    client.post(f"{case_url(cc)}/unfollow")
    assert 'id="follow-button"' in client.get(case_url(cc)).get_data(as_text=True)


def test_a_unit_may_not_follow(client, cc):
    login(client, "town")
    assert 'id="follow-button"' not in client.get(case_url(cc)).get_data(as_text=True)
    assert client.post(f"{case_url(cc)}/follow").status_code == 302
    assert 'id="unfollow-button"' not in client.get(case_url(cc)).get_data(as_text=True)
