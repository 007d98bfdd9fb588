"""The plan endpoints (LP6, HD1): a project's year plan with its versions, one version, scope."""

from __future__ import annotations

import json

from jsonschema import Draft202012Validator, FormatChecker

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
