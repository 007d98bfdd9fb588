"""LP8 pages and API: the linked leader's copies, the bureau's queue and forwarding."""

from __future__ import annotations

import re

from sqlalchemy import select

from keyproj.codes import ReviewStatus
from keyproj.db.models import ReportReview
from tests.builders.registries import drb_reviewer, leader_with_account
from tests.builders.web import bearer, json_of, login, submit_form


def _submitted(client, county, session):
    leader_with_account(session, "王强", "wangqiang", county.road)
    drb_reviewer(session)
    session.commit()
    login(client, "chengguan")
    done = client.post(f"/projects/{county.road.id}/reports/new", data=submit_form())
    client.post("/logout")
    return done.headers["Location"]


def test_lp8_the_linked_leader_sees_the_copy(client, county, session):
    report_url = _submitted(client, county, session)
    login(client, "wangqiang")
    copies = client.get("/reports/copies").get_data(as_text=True)
    assert "城关镇环城路改建工程" in copies
    assert report_url in copies
    page = client.get(report_url).get_data(as_text=True)
    assert re.search(r"抄送挂钩县领导</dt><dd>用户wangqiang", page)
    assert "待发改局审核" in page
    assert "审核通过并报送" not in page  # the leader reads; the bureau reviews


def test_lp8_the_bureau_forwards_from_the_report_page(client, county, session):
    report_url = _submitted(client, county, session)
    login(client, "fgj")
    queue = client.get("/reports/review").get_data(as_text=True)
    assert report_url in queue
    assert "报送县政府、市发改部门" in queue
    assert "审核通过并报送" in client.get(report_url).get_data(as_text=True)
    report_id = int(report_url.rsplit("/", 1)[1])
    done = client.post(f"/reports/{report_id}/forward", data={"note": "数据核实无误"})
    assert done.status_code == 303
    page = client.get(report_url).get_data(as_text=True)
    assert "已审核报送" in page
    assert re.search(r"报送至</dt><dd>县政府、市发改部门", page)
    assert "数据核实无误" in page
    assert report_url not in client.get("/reports/review").get_data(as_text=True)


def test_lp8_a_unit_may_not_review(client, county, session):
    report_url = _submitted(client, county, session)
    report_id = int(report_url.rsplit("/", 1)[1])
    login(client, "chengguan")
    assert client.get("/reports/review").status_code == 403
    assert client.post(f"/reports/{report_id}/forward", data={}).status_code == 403
    session.expire_all()
    assert session.scalars(select(ReportReview)).one().status == ReviewStatus.AWAITING


def test_lp8_the_api_shows_the_distribution(client, county, session):
    report_url = _submitted(client, county, session)
    report_id = int(report_url.rsplit("/", 1)[1])
    headers = bearer(session, county.chengguan)
    listed = json_of(client.get(f"/api/v1/projects/{county.road.id}/reports", headers=headers))
    shown = next(r for r in listed["reports"] if r["id"] == report_id)["distribution"]
    assert shown["status"] == "awaiting"
    assert shown["status_label"] == "待发改局审核"
    assert shown["copied_to"] == "用户wangqiang"
    assert shown["copied_at"].endswith("+08:00")
    assert shown["forwarded_at"] is None
