"""GET /api/v1/meetings and /api/v1/meetings/<id> (DC3, DC7): the pages' data in the pages'
scope, filters read strictly."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from keyproj.db.models import Meeting
from keyproj.services.meetings.agenda import submit
from tests.builders.county import County
from tests.builders.meetings import ASK_DAY, dancheng_asked
from tests.builders.web import api_error, bearer, json_of


@pytest.fixture
def dc(county: County) -> County:
    """Dancheng's February meeting, its units asked (DC3)."""
    return dancheng_asked(county)


def _feb(county) -> Meeting:
    return county.session.scalars(select(Meeting).where(Meeting.held_on == date(2026, 2, 2))).one()


def test_dc3_the_office_lists_the_opened_meetings_newest_first(dc_client, dc):
    office = bearer(dc.session, dc.users["leader01"])
    body = json_of(dc_client.get("/api/v1/meetings?year=2026&series=dispatch", headers=office))
    assert (body["total"], [m["held_on"] for m in body["meetings"]]) == (
        2,
        ["2026-03-02", "2026-02-02"],
    )
    feb = body["meetings"][1]
    assert (feb["state"], feb["ask_on"], feb["due_on"], feb["chair"]) == (
        "collecting", "2026-01-20", "2026-01-26", "县政府常务副县长",
    )  # fmt: skip
    other = json_of(dc_client.get("/api/v1/meetings?series=weekly", headers=office))
    assert other["total"] == 0


def test_a_unit_reads_its_own_submissions_only_and_not_uninvited_meetings(dc_client, dc):
    meeting = _feb(dc)
    submit(dc.session, dc.people["town"], meeting.id,
           {"project_code": dc.projects["plant"].code, "progress": "主体完工"}, ASK_DAY)  # fmt: skip
    dc.session.commit()
    town = json_of(
        dc_client.get(
            f"/api/v1/meetings/{meeting.id}", headers=bearer(dc.session, dc.users["town"])
        )
    )
    assert [(s["project_name"], s["state"]) for s in town["submissions"]] == [
        (dc.projects["plant"].name, "submitted")
    ]
    assert {u["code"] for u in town["invited_units"]} == {"T01", "T02"}
    other = json_of(
        dc_client.get(
            f"/api/v1/meetings/{meeting.id}", headers=bearer(dc.session, dc.users["other"])
        )
    )
    assert other["submissions"] == []
    dept = bearer(dc.session, dc.users["dept"])
    api_error(dc_client.get(f"/api/v1/meetings/{meeting.id}", headers=dept), 404, "not_found")
    assert json_of(dc_client.get("/api/v1/meetings", headers=dept))["total"] == 0


def test_filters_name_the_parameter(dc_client, dc):
    office = bearer(dc.session, dc.users["leader01"])
    error = api_error(
        dc_client.get("/api/v1/meetings?year=1999&series=X", headers=office),
        422,
        "validation_failed",
    )
    assert set(error["fields"]) == {"year", "series"}
