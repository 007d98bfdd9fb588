"""The triage API proposes each matter's routing (LP14–16) and refuses an override without its
reason, naming the field."""

from __future__ import annotations

from sqlalchemy import func, select

from keyproj.db.models import Case
from tests.builders import factories
from tests.builders.clock import bj
from tests.builders.web import api_error, bearer


def test_lp14_lp16_the_api_proposes_the_routing_and_an_override_needs_its_reason(
    client, county, session
):
    issue = factories.issue(session, county.road, "征地补偿未落实", category="land")
    warning = factories.warning(
        session,
        county.road,
        f"issue-{issue.id}",
        rule_id="issue_unresolved",
        level="issue",
        evidence={"summary": "征地补偿未落实", "issue_id": issue.id},
        raised_at=bj(2026, 3, 2, 9),
    )
    session.commit()
    zdb = bearer(session, county.users["zdb"])

    (group,) = client.get("/api/v1/triage", headers=zdb).get_json()["groups"]
    proposal = group["proposal"]
    assert (proposal["routing"], proposal["lead_unit_code"]) == ("town", "T01")
    assert proposal["routing_clause"] == "LP14-2"  # 征地拆迁: the town (属地政府)
    assert "征地拆迁" in proposal["routing_why"]

    chosen = {
        "level": "issue",
        "routing": "county_department",
        "lead_unit_code": "D01",
        "notice_text": "征地补偿未落实，请县交通运输局牵头协调。",
    }
    refused = client.post(
        "/api/v1/triage/notice", json={"warning_ids": [warning.id], "form": chosen}, headers=zdb
    )
    assert "routing_reason" in api_error(refused, 422, "validation_failed")["fields"]
    assert session.scalar(select(func.count()).select_from(Case)) == 0
    issued = client.post(
        "/api/v1/triage/notice",
        json={
            "warning_ids": [warning.id],
            "form": chosen | {"routing_reason": "补偿资金由县级列支"},
        },
        headers=zdb,
    )
    assert issued.status_code == 201, issued.get_data(as_text=True)
