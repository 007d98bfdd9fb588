"""API reads of tours (DC4, GS2) and inspection records (GS5), in the pages' scope."""

from __future__ import annotations

from sqlalchemy import select

from keyproj.db.models import User
from keyproj.policy import load_profile
from keyproj.services.access import viewer_for
from keyproj.services.inspections.groups import save_group, set_up
from keyproj.services.inspections.records import Inspection, record
from tests.builders.county import County
from tests.builders.tours import NOW, two_tours
from tests.builders.web import api_error, bearer, json_of

GS = load_profile("guangshan")


def _user(session, name: str) -> User:
    return session.scalars(select(User).where(User.username == name)).one()


def test_gs2_a_tour_reads_with_its_ranking_and_a_unit_sees_its_own(client, county: County, session):
    first, _ = two_tours(county.with_people("dept"), GS)
    session.commit()
    office = bearer(session, _user(session, "zdb"))
    body = json_of(client.get(f"/api/v1/tours/{first.id}", headers=office))
    assert [s["name"] for s in body["stops"]] == ["项目A", "项目C", "项目D"]
    assert [(p["name"], p["mean"], p["rank"]) for p in body["results"]["projects"]] == [
        ("项目A", "84.00", 1),
        ("项目C", "84.00", 1),
        ("项目D", "70.00", 3),
    ]
    town = bearer(session, _user(session, "other"))  # 石桥镇
    mine = json_of(client.get(f"/api/v1/tours/{first.id}", headers=town))
    assert [u["unit"] for u in mine["results"]["units"]] == ["石桥镇"]
    dept = bearer(session, _user(session, "dept"))  # no project on the tour
    api_error(client.get(f"/api/v1/tours/{first.id}", headers=dept), 404, "not_found")


def test_gs5_an_inspection_record_reads_in_the_projects_scope(client, county: County, session):
    county.with_people("dcs")
    office = viewer_for(session, _user(session, "zdb"))
    road = county.road
    group = set_up(session, GS, office)[0]
    save_group(session, office, group.id, [], [road.code])
    row = record(
        session,
        county.people["dcs"],
        Inspection(group.id, road.id, "2026-03-09", True, False, "围挡破损", "minor"),
        NOW,
    )
    session.commit()
    body = json_of(
        client.get(
            f"/api/v1/inspection-records/{row.id}",
            headers=bearer(session, _user(session, "chengguan")),
        )
    )
    assert (body["group"], body["severity"], body["resolved"], body["week"]) == (
        "第1组（县委组织部）",
        "minor",
        False,
        "2026-W11",
    )
    other = bearer(session, _user(session, "shiqiao"))
    api_error(client.get(f"/api/v1/inspection-records/{row.id}", headers=other), 404, "not_found")
