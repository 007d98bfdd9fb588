"""Dancheng's 分包领导 on the pages (DC1–DC2): the leader's account finds the escalated case's
on-site coordination in its inbox, completes it on the task page, and the case page shows the
leader's part; 县府办 may read the task but not take it."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import sessionmaker

from keyproj.services.cases.timers import sweep
from tests.builders.clock import bj
from tests.builders.forms import form
from tests.builders.web import casework_county, login


@pytest.fixture
def dc(session, clock):
    """城关镇's road case under Dancheng's profile, its project led by leader01: noticed on
    Thursday 24 September 2026, nobody responded, the sweep of 1 October escalated it."""
    county = casework_county(session).under("dancheng").with_people("xfb")
    county.link_leader("leader01", county.road)
    case = county.open_case(county.road, clock.at(bj(2026, 9, 24, 9)))
    county.notify(case, clock.at(bj(2026, 9, 24, 10)))
    moment = clock.at(bj(2026, 10, 1, 9))
    sweep(sessionmaker(session.get_bind(), expire_on_commit=False), moment)
    session.expire_all()
    return county


def test_dc1_dc2_the_leader_completes_the_onsite_coordination_and_the_case_page_shows_it(
    client, dc
):
    task = dc.task("leader_onsite", dc.cases[0])
    login(client, "leader01")
    inbox = client.get("/inbox").get_data(as_text=True)
    assert f"/tasks/{task.id}" in inbox
    assert "分包领导现场办公协调（DC1、DC2）" in inbox
    on_site = form("leader_onsite", onsite_date="2026-10-01")
    done = client.post(f"/tasks/{task.id}/complete", data=on_site)
    assert done.status_code == 302
    html = client.get(f"/cases/{dc.cases[0].id}").get_data(as_text=True)
    part = html.split('aria-labelledby="leader-part"')[1].split("</section>")[0]
    assert "李挂钩（副县长）" in part
    assert '<dd id="leader-onsite-date">2026-10-01</dd>' in part
    assert '<dd id="leader-decision">已协调解决，办结</dd>' in part
    assert "分包领导协调解决" in html  # the case's outcome


def test_dc1_the_county_government_office_may_read_but_not_take_the_leaders_task(client, dc):
    task = dc.task("leader_onsite", dc.cases[0])
    login(client, "xfb")
    assert f"/tasks/{task.id}" not in client.get("/inbox").get_data(as_text=True)
    assert client.get(f"/tasks/{task.id}").status_code == 200
    refused = client.post(f"/tasks/{task.id}/complete", data=form("leader_onsite"))
    assert refused.status_code == 403
    assert dc.task("leader_onsite", dc.cases[0]).status == "ready"
