"""The JSON API's projects, reports and issues: the pages' data scope, submission, field errors."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from sqlalchemy import select

from keyproj.clock import BEIJING, now_utc
from keyproj.db.models import EarlyWarning, OutboxMessage, Report
from tests.builders import factories
from tests.builders.web import api_error, bearer

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=BEIJING)
REPORT = {
    "period": "2026-02",
    "total_investment": "12000",
    "cumulative_completed": 3200.5,
    "annual_plan_investment": "4000",
    "annual_completed": "800",
    "start_status": "started",
    "started_on": "2026-01-15",
    "procedures": {"environment": {"status": "approved"}, "land": {"status": "in_progress"}},
    "progress_text": "路基完成60%",
    "progress_pct": "35.5",
    "issues_text": "部分征地未完成",
    "measures_text": "镇政府牵头协调",
}


@pytest.fixture
def frozen():
    """Beijing 2026-03-10 10:00: February's report is due."""
    with time_machine.travel(NOW, tick=False) as clock:
        yield clock


def test_projects_filter_by_level_and_keyword(client, county, session):
    headers = bearer(session, county.office)
    everything = client.get("/api/v1/projects", headers=headers).get_json()
    assert everything["count"] == 3
    city = client.get("/api/v1/projects?level=city", headers=headers).get_json()
    assert [p["name"] for p in city["projects"]] == [county.school.name]
    bridge = client.get("/api/v1/projects", query_string={"q": "大桥"}, headers=headers)
    assert [p["code"] for p in bridge.get_json()["projects"]] == [county.bridge.code]
    error = api_error(
        client.get("/api/v1/projects?level=galaxy", headers=headers), 422, "validation_failed"
    )
    assert "level" in error["fields"]


def test_project_detail_shows_amounts_and_labels(client, county, session):
    page = client.get(
        f"/api/v1/projects/{county.road.id}", headers=bearer(session, county.chengguan)
    )
    body = page.get_json()
    assert page.status_code == 200
    assert body["name"] == county.road.name
    assert body["total_investment"] == "12000"
    assert body["level_label"] == "县重点"
    assert body["lead_unit"]["name"] == "城关镇"


def test_other_units_projects_reports_and_issues_are_404(client, county, session, frozen, kicks):
    headers = bearer(session, county.shiqiao)
    road = county.road.id
    for path in (f"/api/v1/projects/{road}", f"/api/v1/projects/{road}/reports",
                 f"/api/v1/projects/{road}/issues", "/api/v1/projects/999999"):  # fmt: skip
        error = api_error(client.get(path, headers=headers), 404, "not_found")
        assert "不存在或无权查看" in error["message"]
    api_error(
        client.post(f"/api/v1/projects/{road}/reports", json=REPORT, headers=headers),
        404,
        "not_found",
    )
    issue = {"category": "land", "title": "征地", "owner_unit_code": "T02"}
    api_error(
        client.post(f"/api/v1/projects/{road}/issues", json=issue, headers=headers),
        404,
        "not_found",
    )
    assert session.scalars(select(Report)).all() == []
    assert kicks == []


def test_submitted_report_is_locked_and_asks_for_a_scan(client, county, session, frozen, kicks):
    headers = bearer(session, county.chengguan)
    page = client.post(f"/api/v1/projects/{county.road.id}/reports", json=REPORT, headers=headers)
    assert page.status_code == 201, page.get_data(as_text=True)
    body = page.get_json()
    assert (body["status"], body["locked"], body["status_label"]) == ("submitted", True, "已报送")
    assert body["cumulative_completed"] == "3200.5"
    assert body["progress_pct"] == "35.5"
    assert body["submitted_at"].startswith("2026-03-10T10:00:00+08:00")
    scan = session.scalars(select(OutboxMessage)).one()
    assert (scan.topic, scan.payload["report_id"], scan.payload["period"]) == (
        "scan",
        body["id"],
        "2026-02",
    )
    assert kicks == [None]
    # Once submitted, the period cannot be reported again through the API either.
    again = client.post(f"/api/v1/projects/{county.road.id}/reports", json=REPORT, headers=headers)
    error = api_error(again, 422, "validation_failed")
    assert "已于2026-03-10 10:00报送" in error["fields"]["period"]
    listed = client.get(f"/api/v1/projects/{county.road.id}/reports", headers=headers).get_json()
    assert [r["period"] for r in listed["reports"]] == ["2026-02"]
    assert kicks == [None]


def test_report_errors_name_each_field(client, county, session, frozen, kicks):
    body = {**REPORT, "started_on": "2026-02-30", "annual_completed": "五百", "period": ""}
    del body["total_investment"]
    page = client.post(
        f"/api/v1/projects/{county.road.id}/reports",
        json=body,
        headers=bearer(session, county.chengguan),
    )
    fields = api_error(page, 422, "validation_failed")["fields"]
    assert fields == {
        "period": "不能为空，如 2026-03",
        "annual_completed": "“五百”不是有效的数字，应为半角数字，如 1200.5",
        "started_on": "日期“2026-02-30”不存在",
    }
    body = {
        **REPORT,
        "annual_completed": "9000",
        "progress_pct": 120,
        "start_status": "not_started",
    }
    page = client.post(
        f"/api/v1/projects/{county.road.id}/reports",
        json=body,
        headers=bearer(session, county.chengguan),
    )
    fields = api_error(page, 422, "validation_failed")["fields"]
    assert fields["annual_completed"] == "年度完成投资不能大于累计完成投资"
    assert fields["progress_pct"] == "百分比必须在0到100之间"
    assert "未开工的项目须说明原因" in fields["not_started_reason"]
    future = client.post(
        f"/api/v1/projects/{county.road.id}/reports",
        json={**REPORT, "period": "2026-04"},
        headers=bearer(session, county.chengguan),
    )
    assert "不能填报未来期次" in api_error(future, 422, "validation_failed")["fields"]["period"]
    assert session.scalars(select(Report)).all() == []
    assert kicks == []


def test_a_body_that_is_not_a_json_object_is_400(client, county, session):
    page = client.post(f"/api/v1/projects/{county.road.id}/reports", data="period=2026-02",
                       headers=bearer(session, county.chengguan))  # fmt: skip
    api_error(page, 400, "bad_request")
    page = client.post(
        f"/api/v1/projects/{county.road.id}/issues",
        json=["a"],
        headers=bearer(session, county.chengguan),
    )
    api_error(page, 400, "bad_request")


def test_a_leader_without_write_rights_is_403(client, county, session, frozen):
    auditor = factories.user(session, "auditor", "DCS", "auditor")
    page = client.post(
        f"/api/v1/projects/{county.road.id}/reports", json=REPORT, headers=bearer(session, auditor)
    )
    assert "牵头责任单位或重点办" in api_error(page, 403, "forbidden")["message"]


def test_issues_are_recorded_and_listed(client, county, session, frozen):
    headers = bearer(session, county.chengguan)
    issue = {
        "category": "land",
        "title": "征地补偿款未到位",
        "owner_unit_code": "T01",
        "urgent": True,
    }
    page = client.post(f"/api/v1/projects/{county.road.id}/issues", json=issue, headers=headers)
    assert page.status_code == 201
    made = page.get_json()
    assert (made["category_label"], made["opened_on"], made["urgent"]) == (
        "征地拆迁",
        "2026-03-10",
        True,
    )
    listed = client.get(f"/api/v1/projects/{county.road.id}/issues?status=open", headers=headers)
    assert [i["title"] for i in listed.get_json()["issues"]] == ["征地补偿款未到位"]
    bad: dict[str, object] = {
        "category": "weather",
        "title": "",
        "owner_unit_code": "NOPE",
        "urgent": "yes",
    }
    fields = api_error(
        client.post(f"/api/v1/projects/{county.road.id}/issues", json=bad, headers=headers),
        422,
        "validation_failed",
    )["fields"]
    assert fields == {"urgent": "应为 true 或 false"}
    bad["urgent"] = False
    fields = api_error(
        client.post(f"/api/v1/projects/{county.road.id}/issues", json=bad, headers=headers),
        422,
        "validation_failed",
    )["fields"]
    assert set(fields) == {"category", "title"}
    assert fields["title"] == "不能为空"
    unknown = client.get(
        f"/api/v1/projects/{county.road.id}/issues?category=weather", headers=headers
    )
    assert "category" in api_error(unknown, 422, "validation_failed")["fields"]


def test_warnings_follow_the_project_scope(client, county, session):
    factories.warning(session, county.road, "2026-01")
    factories.warning(session, county.bridge, "2026-01", level="issue")
    portfolio = EarlyWarning(rule_id="LP6", project_id=None, period="2026-01", level="urging",
                        colour="yellow", evidence={}, raised_at=now_utc())  # fmt: skip
    session.add(portfolio)
    session.commit()
    town = client.get("/api/v1/warnings", headers=bearer(session, county.chengguan)).get_json()
    assert [w["project_name"] for w in town["warnings"]] == [county.road.name]
    office = client.get("/api/v1/warnings", headers=bearer(session, county.office)).get_json()
    assert office["count"] == 3
    issues_only = client.get("/api/v1/warnings?level=issue", headers=bearer(session, county.office))
    assert [w["level_label"] for w in issues_only.get_json()["warnings"]] == ["问题预警"]


def test_a_warning_reads_in_words_beside_its_data(client, county, session):
    """Issue 15: the API's readable fields say what the pages say (万元, percentages, rule name)."""
    factories.warning(session, county.road, "2026-01")
    session.commit()
    body = client.get("/api/v1/warnings", headers=bearer(session, county.office)).get_json()
    warning = body["warnings"][0]
    assert warning["rule_id"] == "progress_lag"
    assert warning["rule_label"] == "建设进度滞后于序时进度"
    assert warning["evidence"]["ratio"] == "0.1667"
    assert "序时计划投资：3,000万元" in warning["evidence_text"]
    assert "进度完成比例：16.7%" in warning["evidence_text"]
