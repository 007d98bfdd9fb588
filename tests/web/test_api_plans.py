"""The plan endpoints (LP6, AL5, HD1): a project's year plan with its versions, one version, scope;
the lead unit drafts and submits, the key office approves or returns, bad fields named."""

from __future__ import annotations

import json

from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import select

from keyproj.db.models import PlanVersion
from tests.builders.clock import bj
from tests.builders.web import api_error, bearer


def validator(client, name: str) -> Draft202012Validator:  # type: ignore[no-untyped-def]
    """The document's schema ``name``, its references resolved within the document."""
    document = json.loads(client.get("/api/v1/openapi.json").get_data(as_text=True))
    schema = {**document["components"]["schemas"][name], "components": document["components"]}
    return Draft202012Validator(schema, format_checker=FormatChecker())


def test_lp6_a_projects_plan_lists_its_versions_as_the_document_says(client, county, session):
    county.plan(county.road, 2026, [("2026-03", "500", "30"), ("2026-04", "700", "60")])
    session.commit()
    headers = bearer(session, county.chengguan)

    answer = client.get(f"/api/v1/projects/{county.road.id}/plans?year=2026", headers=headers)
    assert answer.status_code == 200
    body = answer.get_json()
    validator(client, "ProjectPlan").validate(body)
    [version] = body["versions"]
    assert (body["year"], body["breakdown"], body["current_version_id"]) == (
        2026,
        "monthly",
        version["id"],
    )
    assert version["annual_investment"] == "1200"
    assert [p["period"] for p in version["periods"]] == ["2026-03", "2026-04"]

    one = client.get(f"/api/v1/plans/versions/{version['id']}", headers=headers).get_json()
    validator(client, "PlanVersion").validate(one)
    assert one["periods"][1]["planned_progress_pct"] == "60"


def test_a_bad_year_is_refused_naming_it_and_other_units_plans_are_not_found(
    client, county, session
):
    county.plan(county.bridge, 2026, [("2026-03", "100", "10")])
    session.commit()
    headers = bearer(session, county.chengguan)
    bad = client.get(f"/api/v1/projects/{county.road.id}/plans?year=２０２６", headers=headers)
    assert api_error(bad, 422, "validation_failed")["fields"] == {
        "year": "“２０２６”不是年份，应为四位半角数字，如 2026"
    }
    bridge = client.get(f"/api/v1/projects/{county.bridge.id}/plans", headers=headers)
    assert bridge.status_code == 404


# --- drafting, submitting and deciding (LP6, AL5) ----------------------------------------------


def draft_body(**changes: object) -> dict[str, object]:
    """A 2026 plan of 1,200 万元 over March and April."""
    body: dict[str, object] = {
        "annual_investment": "1,200",
        "milestones": "主体完工",
        "periods": [
            {"period": "2026-03", "planned_investment": "500", "planned_progress_pct": 30},
            {
                "period": "2026-04",
                "planned_investment": 700,
                "planned_progress_pct": "60",
                "milestone": "封顶",
            },
        ],
    }
    return body | changes


def stored_versions(session) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    session.expire_all()
    rows = session.scalars(select(PlanVersion).order_by(PlanVersion.number))
    return [(v.number, v.status.value) for v in rows]


def test_lp6_the_lead_unit_drafts_and_submits_and_the_key_office_approves(
    client, county, session, clock
):
    clock.at(bj(2026, 2, 10, 9))
    unit = bearer(session, county.chengguan)
    office = bearer(session, county.users["zdb"])
    url = f"/api/v1/projects/{county.road.id}/plans?year=2026"

    drafted = client.post(url, json=draft_body(), headers=unit)
    assert drafted.status_code == 201, drafted.get_data(as_text=True)
    body = drafted.get_json()
    validator(client, "PlanVersion").validate(body)
    assert drafted.headers["Location"] == f"/api/v1/plans/versions/{body['id']}"
    assert (body["status"], body["kind"], body["annual_investment"]) == ("draft", "initial", "1200")
    assert [(p["period"], p["milestone"]) for p in body["periods"]] == [
        ("2026-03", None),
        ("2026-04", "封顶"),
    ]

    sent = client.post(f"/api/v1/plans/versions/{body['id']}/submit", headers=unit)
    assert sent.get_json()["status"] == "submitted"
    again = client.post(f"/api/v1/plans/versions/{body['id']}/submit", headers=unit)
    assert api_error(again, 409, "conflict")
    approved = client.post(
        f"/api/v1/plans/versions/{body['id']}/approve", json={"note": "同意"}, headers=office
    )
    assert approved.status_code == 200
    assert (approved.get_json()["status"], approved.get_json()["decision_note"]) == (
        "approved",
        "同意",
    )
    plan = client.get(url, headers=unit).get_json()
    assert plan["current_version_id"] == body["id"]


def test_lp6_bad_figures_are_refused_naming_the_field_and_nothing_is_saved(
    client, county, session, clock
):
    clock.at(bj(2026, 2, 10, 9))
    unit = bearer(session, county.chengguan)
    url = f"/api/v1/projects/{county.road.id}/plans?year=2026"
    body = draft_body()
    body["periods"][1]["planned_investment"] = "5,00"  # type: ignore[index]
    del body["periods"][0]["planned_progress_pct"]  # type: ignore[index]
    unreadable = client.post(url, json=body, headers=unit)
    assert api_error(unreadable, 422, "validation_failed")["fields"] == {
        "periods[0].planned_progress_pct": "不能为空",
        "periods[1].planned_investment": "“5,00”的千位分隔不正确：逗号应每三位数字一个，"
        "如 1,260 或 12,345.6",
    }
    short = draft_body()
    short["periods"][1]["planned_investment"] = "600"  # type: ignore[index]
    total = api_error(client.post(url, json=short, headers=unit), 422, "validation_failed")
    assert total["fields"] == {
        "periods": "各期计划投资合计 1100 万元，与年度计划投资 1200 万元不一致"
    }
    missing = client.post(url, json={"periods": "每月"}, headers=unit)
    assert set(api_error(missing, 422, "validation_failed")["fields"]) == {
        "annual_investment",
        "periods",
    }
    assert stored_versions(session) == []


def test_al5_a_revision_through_the_api_needs_a_reason(client, county, session, clock):
    clock.at(bj(2026, 7, 1, 9))
    county.plan(county.road, 2026, [("2026-03", "500", "30"), ("2026-04", "700", "60")])
    session.commit()
    unit = bearer(session, county.chengguan)
    url = f"/api/v1/projects/{county.road.id}/plans?year=2026"
    refused = api_error(client.post(url, json=draft_body(), headers=unit), 422, "validation_failed")
    assert refused["fields"] == {"reason": "已有批准的年度计划，调整须说明原因"}
    revised = client.post(url, json=draft_body(reason="征地延后一个月"), headers=unit)
    assert (revised.status_code, revised.get_json()["number"]) == (201, 2)


def test_only_the_lead_unit_drafts_and_only_the_key_office_decides(client, county, session, clock):
    clock.at(bj(2026, 2, 10, 9))
    unit = bearer(session, county.chengguan)
    other = bearer(session, county.shiqiao)
    office = bearer(session, county.users["zdb"])
    url = f"/api/v1/projects/{county.road.id}/plans?year=2026"
    assert api_error(client.post(url, json=draft_body(), headers=office), 403, "forbidden")
    assert api_error(client.post(url, json=draft_body(), headers=other), 404, "not_found")
    made = client.post(url, json=draft_body(), headers=unit).get_json()["id"]
    submit = f"/api/v1/plans/versions/{made}/submit"
    assert api_error(client.post(submit, headers=office), 403, "forbidden")
    assert client.post(submit, headers=unit).status_code == 200
    approve = f"/api/v1/plans/versions/{made}/approve"
    assert api_error(client.post(approve, json={}, headers=unit), 403, "forbidden")
    back = f"/api/v1/plans/versions/{made}/return"
    blank = api_error(
        client.post(back, json={"note": " "}, headers=office), 422, "validation_failed"
    )
    assert blank["fields"] == {"note": "退回须写明意见"}
    returned = client.post(back, json={"note": "4月节点过于乐观"}, headers=office)
    assert returned.get_json()["status"] == "rejected"
    assert stored_versions(session) == [(1, "rejected")]
