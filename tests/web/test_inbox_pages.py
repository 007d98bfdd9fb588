"""The inbox page (X2): only my unit's tasks, overdue first, filters, bulk claim with CSRF."""

from __future__ import annotations

import re

import pytest

from tests.builders import factories
from tests.builders.clock import bj
from tests.builders.web import csrf_token, inbox_county, login

TASK_ROW = re.compile(r'<tr class="[^"]*" data-task="(\d+)">')


@pytest.fixture
def cc(session, clock):
    """Two respond tasks of 城关镇 (one overdue) and one of 石桥镇, on Monday 2 March 2026."""
    return inbox_county(session, clock)


def rows(html: str) -> list[int]:
    return [int(i) for i in TASK_ROW.findall(html)]


def test_x2_inbox_shows_only_my_units_tasks(client, cc):
    login(client, "town")
    html = client.get("/inbox").get_data(as_text=True)
    assert "我的待办" in html
    assert "共 2 项待办" in html
    assert len(rows(html)) == 2
    assert "受理并开展协调</a>" in html
    assert cc.road.name in html
    assert cc.bridge.name not in html
    client.post("/logout")
    login(client, "other")
    html = client.get("/inbox").get_data(as_text=True)
    assert "共 1 项待办" in html
    assert cc.bridge.name in html
    assert cc.road.name not in html
    client.post("/logout")
    login(client, "zdb")  # every notice is issued: nothing left for the key office
    assert "暂无待办任务" in client.get("/inbox").get_data(as_text=True)


def test_x2_overdue_first_in_red_then_nearest_deadline(client, cc):
    old, fresh, _ = cc.cases
    login(client, "town")
    html = client.get("/inbox").get_data(as_text=True)
    assert rows(html) == [cc.task("respond", old).id, cc.task("respond", fresh).id]
    overdue_row = html.split('data-task="')[1]
    assert "is-overdue" in html
    assert "deadline--overdue" in overdue_row
    # Due Wed 25 Feb: 26, 27, Sat 28 (a make-up working day), 2 March and today count.
    assert "已逾期5个工作日" in overdue_row
    assert "2026-02-25 23:59" in overdue_row
    # Due Thu 5 March: Wed 4 and Thu 5 are left, today (Tue 3) not counted.
    assert "剩余2个工作日" in html
    assert "2026-03-05 23:59" in html
    assert "问题预警" in html
    assert "tag--yellow" in html
    assert "进度预警" in html


def test_x2_filters_by_project_level_status_and_deadline(client, cc, clock):
    old, fresh, _ = cc.cases
    old_id, fresh_id = cc.task("respond", old).id, cc.task("respond", fresh).id
    cc.claim("town", fresh_id, clock.at(bj(2026, 3, 3, 9)))
    login(client, "town")
    assert rows(client.get("/inbox?level=issue").get_data(as_text=True)) == [old_id]
    assert rows(client.get("/inbox?status=claimed").get_data(as_text=True)) == [fresh_id]
    assert rows(client.get("/inbox?status=ready").get_data(as_text=True)) == [old_id]
    assert rows(client.get("/inbox?status=overdue").get_data(as_text=True)) == [old_id]
    in_range = client.get("/inbox?due_from=2026-03-01&due_to=2026-03-05").get_data(as_text=True)
    assert rows(in_range) == [fresh_id]
    assert rows(client.get("/inbox?due_to=2026-02-28").get_data(as_text=True)) == [old_id]
    assert rows(client.get("/inbox?project=大桥").get_data(as_text=True)) == []
    by_code = client.get(f"/inbox?project={cc.road.code}").get_data(as_text=True)
    assert rows(by_code) == [old_id, fresh_id]
    html = client.get("/inbox?status=claimed").get_data(as_text=True)
    assert "本人" in html
    assert "selected>我已认领" in html
    nonsense = client.get("/inbox?level=weather&due_from=yesterday&page=x")
    assert nonsense.status_code == 400
    refusal = nonsense.get_data(as_text=True)
    assert rows(refusal) == []  # the error, not every task
    for field in ("预警级别", "期限起", "页码"):
        assert field in refusal


def test_x2_bulk_claim_with_csrf_claims_each_and_reports_the_ones_taken(csrf_client, cc, clock):
    old, fresh, _ = cc.cases
    old_id, fresh_id = cc.task("respond", old).id, cc.task("respond", fresh).id
    page = csrf_client.get("/login").get_data(as_text=True)
    csrf_client.post(
        "/login",
        data={"username": "town", "password": factories.PASSWORD, "csrf_token": csrf_token(page)},
    )
    html = csrf_client.get("/inbox").get_data(as_text=True)
    token = csrf_token(html)
    assert csrf_client.post("/inbox/claim", data={"task": [old_id]}).status_code == 400
    cc.claim("town2", old_id, clock.at(bj(2026, 3, 3, 9, 5)))  # a colleague was quicker
    done = csrf_client.post(
        "/inbox/claim",
        data={"task": [old_id, fresh_id], "csrf_token": token},
        follow_redirects=True,
    )
    html = done.get_data(as_text=True)
    assert "已认领 1 项任务" in html
    assert "未能认领：该任务已由用户town2于2026-03-03 09:05认领" in html
    assert rows(html) == [fresh_id]
    assert "本人" in html


def test_inbox_is_empty_for_roles_without_tasks(client, cc, session):
    factories.user(session, "boss", "T01", "leader")
    session.commit()
    login(client, "boss")
    html = client.get("/inbox").get_data(as_text=True)
    assert "当前账号的角色不承办流程任务" in html
    assert "共 0 项待办" in html
