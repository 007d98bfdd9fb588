"""POST /api/v1/warnings (LP12): the provincial or city system's warnings, checked as the file
import checks them, received once, each starting its case."""

from __future__ import annotations

from sqlalchemy import func, select

from keyproj.db.models import Case, EarlyWarning
from tests.builders import factories
from tests.builders.web import api_error, bearer


def item(project, **overrides):
    body = {
        "reference": "SX-2026-0031",
        "origin": "province",
        "project_code": project.code,
        "period": "2026-02",
        "level": "progress",
        "colour": "red",
        "message": "2月投资完成率低于序时进度60%",
    }
    body.update(overrides)
    return body


def test_lp12_a_warning_sent_twice_is_raised_once_into_triage(client, county, session):
    zdb = bearer(session, county.users["zdb"])
    first = client.post("/api/v1/warnings", json=item(county.road), headers=zdb)
    assert first.status_code == 201, first.get_data(as_text=True)
    (sent,) = first.get_json()["warnings"]
    assert sent["created"] is True
    assert first.get_json()["cases_started"] == 0  # LP13: it waits in the key office's triage
    warning = session.get(EarlyWarning, sent["id"])
    assert warning is not None
    assert (warning.rule_id, warning.source) == ("feedback_province_progress", "feedback")
    assert session.scalar(select(func.count()).select_from(Case)) == 0

    again = client.post("/api/v1/warnings", json={"warnings": [item(county.road)]}, headers=zdb)
    assert again.status_code == 200
    assert again.get_json() == {
        "warnings": [{"id": sent["id"], "created": False}],
        "cases_started": 0,
    }
    queue = client.get("/api/v1/triage", headers=zdb).get_json()
    (group,) = queue["groups"]
    assert (group["project_id"], group["unit"]["code"]) == (county.road.id, "T01")
    assert [w["id"] for w in group["warnings"]] == [sent["id"]]
    issued = client.post("/api/v1/triage/bulk", json={"warning_ids": [sent["id"]]}, headers=zdb)
    assert issued.status_code == 201, issued.get_data(as_text=True)
    (case,) = issued.get_json()["cases"]
    assert case["notice_number"] == "连重点办预警〔2026〕1号"
    assert session.scalar(select(func.count()).select_from(Case)) == 1
    assert client.get("/api/v1/triage", headers=zdb).get_json()["total"] == 0


def test_lp12_refusals_name_the_field_and_the_reason_and_keep_nothing(client, county, session):
    zdb = bearer(session, county.users["zdb"])
    answer = client.post(
        "/api/v1/warnings",
        json={"warnings": [item(county.road), item(county.road, origin="县", colour="紫")]},
        headers=zdb,
    )
    error = api_error(answer, 422, "validation_failed")
    assert error["fields"] == {
        "warnings[1].origin": "“县”应为 省 或 市（province / city）",
        "warnings[1].colour": "“紫”应为 绿色、蓝色、黄色、红色",
    }
    single = client.post(
        "/api/v1/warnings", json=item(county.road, project_code="2099-X"), headers=zdb
    )
    fields = api_error(single, 422, "validation_failed")["fields"]
    assert fields == {"project_code": "系统中没有项目代码为“2099-X”的项目"}
    shape = client.post("/api/v1/warnings", json={"warnings": ["SX-1"]}, headers=zdb)
    assert api_error(shape, 422, "validation_failed")["fields"] == {
        "warnings": "每条预警应为一个对象"
    }
    extra = client.post("/api/v1/warnings", json=item(county.road, note="多余"), headers=zdb)
    assert api_error(extra, 422, "validation_failed")["fields"] == {"note": "未知的字段"}
    assert session.scalar(select(func.count()).select_from(EarlyWarning)) == 0


def test_lp12_a_unit_token_is_refused_and_the_integration_role_is_accepted(client, county, session):
    liaison = bearer(session, county.users["chengguan"])
    api_error(
        client.post("/api/v1/warnings", json=item(county.road), headers=liaison), 403, "forbidden"
    )
    system = factories.user(session, "province-system", "ZDB", "integration")
    answer = client.post(
        "/api/v1/warnings", json=item(county.road), headers=bearer(session, system)
    )
    assert answer.status_code == 201
    # The integration account sends warnings; it reads nothing of the county's.
    assert client.get("/api/v1/projects", headers=bearer(session, system)).get_json()["total"] == 0


def test_lp12_post_warnings_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/warnings"]["post"]
    assert {"200", "201", "403", "422"} <= set(operation["responses"])
    assert document["components"]["schemas"]["FeedbackWarning"]["additionalProperties"] is False
