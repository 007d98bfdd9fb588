"""GET /api/v1/interviews (HD6): the register in the token's scope, as the pages show it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.builders.county import County
from tests.builders.interviews import scheduled
from tests.builders.web import api_error, bearer, json_of


@pytest.fixture
def hd(county: County) -> tuple[County, int]:
    """城关镇's interview scheduled for 8 May 2026 09:30 (offices and liaisons of both towns)."""
    county.with_people("town", "other")
    row = scheduled(county)
    county.committed()
    county.at(datetime(2026, 5, 7, 2, tzinfo=UTC))
    return county, row.id


def test_hd6_the_unit_reads_its_interview_and_another_unit_gets_404(hd_client, hd, session):
    county, interview_id = hd
    town = bearer(session, county.users["town"])
    listed = json_of(hd_client.get("/api/v1/interviews?state=scheduled", headers=town))
    assert (listed["total"], [i["id"] for i in listed["interviews"]]) == (1, [interview_id])
    one = json_of(hd_client.get(f"/api/v1/interviews/{interview_id}", headers=town))
    assert one["unit"]["name"] == "城关镇"
    assert (one["state"], one["number"], one["leader"]) == (
        "scheduled",
        "邯约谈〔2026〕1号",
        "王副市长",
    )
    assert one["trigger_label"].startswith("四是因对项目前期论证不充分")
    assert one["scheduled_at"] == "2026-05-08T09:30:00+08:00"
    other = bearer(session, county.users["other"])
    assert json_of(hd_client.get("/api/v1/interviews", headers=other))["total"] == 0
    api_error(hd_client.get(f"/api/v1/interviews/{interview_id}", headers=other), 404, "not_found")


def test_an_unknown_state_is_refused_naming_the_parameter(hd_client, hd, session):
    county, _ = hd
    town = bearer(session, county.users["town"])
    error = api_error(
        hd_client.get("/api/v1/interviews?state=open", headers=town), 422, "validation_failed"
    )
    assert set(error["fields"]) == {"state"}
