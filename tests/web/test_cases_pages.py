"""Task and case pages: the form with errors beside fields, conflicts, late refusals, timeline, notice, scope."""

from __future__ import annotations

import re

import pytest

from keyproj.clock import now_utc
from keyproj.services.cases.commands import add_update
from tests.builders.clock import bj
from tests.builders.forms import form
from tests.builders.web import casework_county, login

RESPOND = form("respond")


@pytest.fixture
def cc(session, clock):
    """One case of 城关镇's road project whose notice went out on Monday 2 March 2026 at 10:00."""
    county = casework_county(session)
    case = county.open_case(county.road, clock.at(bj(2026, 3, 2, 9)))
    county.notify(case, clock.at(bj(2026, 3, 2, 10)), phase_unit_codes=["D01"])
    clock.at(bj(2026, 3, 3, 9))
    return county


def field_block(html: str, name: str) -> str:
    """The markup of one form field (its wrapper div)."""
    match = re.search(
        rf'<div class="field task-field[^"]*" data-field="{name}">(.*?)\n</div>', html, re.S
    )
    assert match, f"no field {name}"
    return match.group(1)


def respond_id(cc) -> int:
    """城关镇's own respond task (the lead's part; the phase unit has its own)."""
    return cc.task("respond", cc.cases[0], cc.people["town"].unit_id).id


def test_task_page_shows_facts_evidence_steps_form_and_diagram(client, cc):
    login(client, "town")
    page = client.get(f"/tasks/{respond_id(cc)}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for text in (
        "受理并开展协调",
        cc.road.name,
        cc.road.code,
        "预警依据",
        "序时计划投资",
        "1,200万元",
        "50.0%",
    ):
        assert text in html
    assert "办理完成：发出预警催办通知" in html
    assert "用户zdb（县重点项目建设办公室）" in html
    assert "2026-03-05 23:59" in html
    assert "剩余2个工作日" in html
    assert 'id="claim-button"' in html
    for name in ("measures", "person_in_charge", "phone", "planned_completion"):
        assert f'name="{name}"' in html
    assert '<textarea id="f-measures"' in html
    assert 'type="date" id="f-planned_completion"' in html
    assert f'data-src="/cases/{cc.cases[0].id}/diagram.bpmn"' in html
    assert 'data-active="respond"' in html
    assert "/static/js/case-diagram.js" in html
    assert "<script>" not in html
    assert "style=" not in html


def test_form_errors_are_shown_beside_the_field_and_the_input_is_kept(client, cc):
    login(client, "town")
    typed = {
        "measures": "<b>约谈</b>",
        "person_in_charge": "王镇长",
        "phone": "abc",
        "planned_completion": "",
    }
    page = client.post(f"/tasks/{respond_id(cc)}/complete", data=typed)
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "提交未成功" in html
    assert "联系电话：格式不正确" in field_block(html, "phone")
    assert 'value="abc"' in field_block(html, "phone")
    assert "计划完成日期：必填" in field_block(html, "planned_completion")
    assert "&lt;b&gt;约谈&lt;/b&gt;</textarea>" in field_block(html, "measures")  # kept, escaped
    assert "协调措施：" not in field_block(html, "measures")  # 5 characters: long enough
    assert 'value="王镇长"' in field_block(html, "person_in_charge")
    assert "受理并开展协调" in client.get("/inbox").get_data(as_text=True)  # nothing was saved


def test_claim_conflict_names_who_and_when_and_keeps_the_typed_data(client, cc, clock):
    task_id = respond_id(cc)
    cc.claim("town2", task_id, clock.at(bj(2026, 3, 3, 9, 30)))
    clock.at(bj(2026, 3, 3, 9, 40))
    login(client, "town")
    html = client.post(f"/tasks/{task_id}/claim", follow_redirects=True).get_data(as_text=True)
    assert "该任务已由用户town2于2026-03-03 09:30认领" in html
    page = client.post(
        f"/tasks/{task_id}/complete", data={**RESPOND, "measures": "我写好的措施说明"}
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 409
    assert "该任务已由用户town2于2026-03-03 09:30认领" in html
    assert "我写好的措施说明</textarea>" in html
    assert 'value="13800000000"' in html


def test_completed_task_conflict_names_who_completed_it(client, cc, clock):
    task_id = respond_id(cc)
    cc.complete("town2", cc.cases[0], "respond", RESPOND, clock.at(bj(2026, 3, 3, 9, 30)))
    login(client, "town")
    page = client.post(f"/tasks/{task_id}/complete", data=RESPOND)
    assert page.status_code == 409
    assert "该任务已由用户town2于2026-03-03 09:30完成" in page.get_data(as_text=True)


def test_late_submission_shows_the_services_message_and_keeps_the_input(client, cc, clock):
    task_id = respond_id(cc)
    clock.at(bj(2026, 3, 6, 0, 0, 5))  # the response deadline ended Thu 5 March 24:00
    login(client, "town")
    page = client.post(f"/tasks/{task_id}/complete", data={**RESPOND, "measures": "迟到的措施说明"})
    html = page.get_data(as_text=True)
    assert page.status_code == 409
    assert "提交未被接受" in html
    assert "2026-03-05 23:59:59" in html
    assert "县府办提请分管领导协调" in html
    assert "迟到的措施说明</textarea>" in html
    client.post("/logout")
    login(client, "zdb")
    timeline = client.get(f"/cases/{cc.cases[0].id}").get_data(as_text=True)
    assert "逾期提交未被接受：受理并开展协调" in timeline
    assert "迟到的措施说明" in timeline
    assert "责任单位逾期未响应，提请县政府协调" in timeline


def test_submission_advances_the_case_and_lands_on_the_case_page(client, cc):
    login(client, "town")
    client.post(f"/tasks/{respond_id(cc)}/claim")
    page = client.post(f"/tasks/{respond_id(cc)}/complete", data=RESPOND, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "“受理并开展协调”已提交，案件当前环节：报告协调成效" in html
    assert "办理完成：受理并开展协调" in html
    assert "用户town（城关镇）" in html
    assert "13800000000" in html
    assert "2026-03-03 09:00" in html


def test_case_page_shows_the_timeline_and_the_notice_as_a_document(client, cc):
    login(client, "zdb")
    html = client.get(f"/cases/{cc.cases[0].id}").get_data(as_text=True)
    notice = html.split('<article class="official-doc"')[1].split("</article>")[0]
    assert "预警催办通知" in notice
    assert "连重点办预警〔2026〕1号" in notice
    assert "城关镇：" in notice
    assert "县重点项目建设办公室" in notice
    assert "该项目投资完成率低于序时进度" in notice
    assert "2026年3月2日" in notice
    assert "3个工作日内反馈受理情况，10个工作日内报告协调成效" in notice
    assert "抄送：县交通运输局" in notice
    timeline = html.split('id="timeline"')[1]
    kinds = re.findall(r'data-kind="(\w+)"', timeline)
    # LP13: the lead town's and the phase department's own tasks, each naming its unit.
    assert kinds == ["case_started", "task_ready", "completed", "task_ready", "task_ready"]
    assert "2026-03-02 10:00" in timeline
    assert "用户zdb（县重点项目建设办公室）" in timeline
    assert "预警等级" in timeline
    assert "进度预警" in timeline
    assert "县交通运输局" in timeline
    assert "受理并开展协调" in html
    assert "剩余2个工作日" in html


def test_progress_updates_and_comments(client, cc):
    case_id = cc.cases[0].id
    login(client, "town")
    page = client.post(f"/cases/{case_id}/updates", data={"kind": "progress_update", "text": "  "})
    assert page.status_code == 422
    assert "内容：不能为空" in page.get_data(as_text=True)
    done = client.post(
        f"/cases/{case_id}/updates",
        data={"kind": "progress_update", "text": "征地补偿已完成一半"},
        follow_redirects=True,
    )
    html = done.get_data(as_text=True)
    assert "动态进展已记录" in html
    assert "报送动态进展" in html
    assert "征地补偿已完成一半" in html


def test_unit_of_another_town_gets_404_for_case_task_and_diagram(client, cc):
    case_id, task_id = cc.cases[0].id, respond_id(cc)
    login(client, "other")
    for url in (f"/cases/{case_id}", f"/tasks/{task_id}", f"/cases/{case_id}/diagram.bpmn"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/tasks/{task_id}/claim").status_code == 404
    assert client.post(f"/tasks/{task_id}/complete", data=RESPOND).status_code == 404
    assert client.post(f"/cases/{case_id}/updates", data={"text": "x"}).status_code == 404
    assert client.get("/tasks/999999").status_code == 404
    assert cc.cases[0].id not in _listed(client.get("/cases").get_data(as_text=True))


def test_diagram_endpoint_serves_the_pinned_bpmn(client, cc):
    login(client, "town")
    page = client.get(f"/cases/{cc.cases[0].id}/diagram.bpmn")
    assert page.status_code == 200
    assert page.mimetype == "application/xml"
    assert b'<bpmn:userTask id="respond"' in page.data


def _listed(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/cases/(\d+)"', html)]


def test_case_list_is_scoped_and_filtered(client, cc, clock):
    road_case = cc.cases[0]
    bridge_case = cc.open_case(
        cc.bridge, clock.at(bj(2026, 3, 3, 9)), level="issue", colour="yellow"
    )
    login(client, "town")
    assert _listed(client.get("/cases").get_data(as_text=True)) == [road_case.id]
    client.post("/logout")
    login(client, "zdb")
    html = client.get("/cases").get_data(as_text=True)
    assert _listed(html) == [bridge_case.id, road_case.id]
    assert "共 2 件" in html
    assert "连重点办预警〔2026〕1号" in html
    assert "发出预警催办通知" in html
    assert _listed(client.get("/cases?level=issue").get_data(as_text=True)) == [bridge_case.id]
    assert _listed(client.get("/cases?status=closed").get_data(as_text=True)) == []
    unit = cc.road.lead_unit_id
    assert _listed(client.get(f"/cases?unit={unit}").get_data(as_text=True)) == [road_case.id]
    assert _listed(client.get("/cases?project=大桥").get_data(as_text=True)) == [bridge_case.id]


def test_notice_form_offers_units_and_proposes_the_lead_unit(client, cc, clock):
    case = cc.open_case(cc.bridge, clock.at(bj(2026, 3, 3, 9)), level="urging")
    login(client, "zdb")
    html = client.get(f"/tasks/{cc.task('issue_notice', case).id}").get_data(as_text=True)
    assert '<option value="urging" selected>重点事项催办</option>' in html
    assert '<option value="T02" selected>石桥镇</option>' in html
    assert 'type="checkbox" name="phase_unit_codes" value="D01"' in html
    page = client.post(
        f"/tasks/{cc.task('issue_notice', case).id}/complete",
        data={
            "level": "urging",
            "routing": "town",
            "lead_unit_code": "T02",
            "phase_unit_codes": ["T02"],
            "notice_text": "短",
        },
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "通知正文：至少10个字" in field_block(html, "notice_text")
    assert 'value="T02" checked' in field_block(html, "phase_unit_codes")


def test_a_long_timeline_comes_a_page_at_a_time_and_keeps_the_notice(client, cc, session):
    case_id = cc.cases[0].id
    for n in range(100):
        add_update(session, cc.people["zdb"], case_id, "comment", f"第{n:03d}条意见", now_utc())
    session.commit()
    login(client, "zdb")
    first = client.get(f"/cases/{case_id}").get_data(as_text=True)
    timeline = first.split('id="timeline"')[1]
    assert len(re.findall(r"data-kind=", timeline)) == 100
    assert "共 105 条记录，第 1 / 2 页" in timeline
    assert "第094条意见" in timeline
    assert "第095条意见" not in timeline
    last = client.get(f"/cases/{case_id}?page=2").get_data(as_text=True)
    assert re.findall(r'data-kind="(\w+)"', last.split('id="timeline"')[1]) == ["comment"] * 5
    assert "连重点办预警〔2026〕1号" in last  # the notice is the case's, whatever the page
    done = client.post(f"/cases/{case_id}/updates", data={"kind": "comment", "text": "最新意见"})
    assert done.headers["Location"].endswith(f"/cases/{case_id}?page=2#timeline")
