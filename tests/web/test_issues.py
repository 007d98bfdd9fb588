"""Issue ledger pages (LP7): the scoped county ledger, a project's ledger, create and resolve."""

from __future__ import annotations

import re

from sqlalchemy import select

from keyproj.clock import today_beijing
from keyproj.db.models import ProjectIssue
from tests.builders import factories
from tests.builders.web import login


def test_ledger_is_scoped_and_filtered(client, county, session):
    factories.issue(session, county.road, "征地补偿未谈妥", category="land")
    factories.issue(session, county.school, "资金缺口", category="funding", status="resolved")
    factories.issue(session, county.bridge, "桥墩设计变更", category="planning_design")
    session.commit()

    login(client, "chengguan")
    html = client.get("/issues").get_data(as_text=True)
    assert "共 2 个问题" in html
    assert "征地补偿未谈妥" in html
    assert "资金缺口" in html
    assert "桥墩设计变更" not in html
    assert "问题台账" in html
    assert county.road.name in html
    only_open = client.get("/issues?status=open").get_data(as_text=True)
    assert "共 1 个问题" in only_open
    assert "资金缺口" not in only_open
    by_category = client.get("/issues?category=funding").get_data(as_text=True)
    assert "共 1 个问题" in by_category
    assert "资金筹措" in by_category

    client.post("/logout")
    login(client, "zdb")
    assert "共 3 个问题" in client.get("/issues").get_data(as_text=True)


def test_the_form_offers_the_seven_lp7_categories(client, county):
    login(client, "chengguan")
    html = client.get(f"/projects/{county.road.id}/issues/new").get_data(as_text=True)
    for name in (
        "报批事项",
        "规划设计及概算变更",
        "征地拆迁",
        "资金筹措",
        "建设协调",
        "社会稳定",
        "其他",
    ):
        assert f">{name}</option>" in html
    assert "城关镇" in html
    assert today_beijing().isoformat() in html


def test_create_then_resolve_an_issue(client, county, session):
    login(client, "chengguan")
    road = county.road
    created = client.post(
        f"/projects/{road.id}/issues/new",
        data={
            "category": "land",
            "title": "3户拆迁未签约",
            "description": "涉及环城路K2段",
            "owner_unit_code": "T01",
            "opened_on": today_beijing().isoformat(),
            "urgent": "y",
        },
    )
    assert created.status_code == 303
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "问题已登记" in page
    assert "3户拆迁未签约" in page
    assert "征地拆迁" in page
    assert "急需协调" in page
    assert "未解决" in page
    assert "销号" in page

    issue = session.scalars(select(ProjectIssue)).one()
    ledger = client.get(f"/projects/{road.id}/issues").get_data(as_text=True)
    assert "3户拆迁未签约" in ledger
    assert "共 1 个问题" in ledger

    empty = client.post(
        f"/issues/{issue.id}/resolve", data={"resolution": "", "resolved_on": "2026-13-01"}
    )
    text = empty.get_data(as_text=True)
    assert re.search(r"解决情况</a>：请填写解决情况", text)
    assert "日期“2026-13-01”不存在" in text
    assert 'value="2026-13-01"' in text

    resolved = client.post(
        f"/issues/{issue.id}/resolve",
        data={"resolution": "镇政府协调已签约", "resolved_on": today_beijing().isoformat()},
    )
    assert resolved.status_code == 303
    page = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert "已申请销号，待重点办确认" in page
    assert "待重点办确认销号" in page
    assert '/resolve"' not in page  # no resolve form any more
    assert "/close/confirm" not in page  # the unit cannot confirm its own request
    assert client.post(f"/issues/{issue.id}/close/confirm").status_code == 403
    client.post("/logout")

    login(client, "zdb")
    confirmed = client.post(f"/issues/{issue.id}/close/confirm")
    assert confirmed.status_code == 303
    page = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert "已确认销号" in page
    assert "已解决" in page
    assert "镇政府协调已签约" in page
    again = client.post(
        f"/issues/{issue.id}/resolve",
        data={"resolution": "再次销号", "resolved_on": today_beijing().isoformat()},
    )
    assert again.status_code == 409
    assert "已于" in again.get_data(as_text=True)


def test_part9_the_key_office_sends_a_request_to_close_back_with_its_reason(
    client, county, session
):
    issue = factories.issue(session, county.road, "3户拆迁未签约", status="close_requested")
    session.commit()
    login(client, "zdb")
    page = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert "确认销号" in page
    assert "退回销号申请" in page

    blank = client.post(f"/issues/{issue.id}/close/refuse", data={"close_refusal": " "})
    assert re.search(r"退回理由</a>：请填写退回理由", blank.get_data(as_text=True))
    refused = client.post(
        f"/issues/{issue.id}/close/refuse", data={"close_refusal": "签约材料未上传"}
    )
    assert refused.status_code == 303
    page = client.get(f"/issues/{issue.id}").get_data(as_text=True)
    assert "已退回销号申请" in page
    assert "重点办退回了销号申请，理由：签约材料未上传" in page
    assert "未解决" in page
    again = client.post(f"/issues/{issue.id}/close/confirm")
    assert again.status_code == 409
    assert "没有待确认的销号申请" in again.get_data(as_text=True)


def test_new_issue_errors_stay_beside_the_fields(client, county, session):
    login(client, "chengguan")
    html = client.post(
        f"/projects/{county.road.id}/issues/new",
        data={
            "category": "land",
            "title": "",
            "owner_unit_code": "T01",
            "opened_on": "2999-01-01",
            "description": "详细情况保留",
        },
    ).get_data(as_text=True)
    assert re.search(r"问题摘要</a>：不能为空", html)
    assert "详细情况保留" in html
    assert session.scalars(select(ProjectIssue)).all() == []
    future = client.post(
        f"/projects/{county.road.id}/issues/new",
        data={
            "category": "land",
            "title": "未来的问题",
            "owner_unit_code": "T01",
            "opened_on": "2099-01-01",
        },
    ).get_data(as_text=True)
    assert "发现日期不能晚于今天" in future
    assert 'value="未来的问题"' in future


def test_another_units_issues_are_404(client, county, session):
    other = factories.issue(session, county.bridge, "桥墩设计变更")
    session.commit()
    login(client, "chengguan")
    assert client.get(f"/issues/{other.id}").status_code == 404
    assert client.post(f"/issues/{other.id}/resolve", data={"resolution": "x"}).status_code == 404
    assert client.get(f"/projects/{county.bridge.id}/issues").status_code == 404
    assert client.get(f"/projects/{county.bridge.id}/issues/new").status_code == 404
