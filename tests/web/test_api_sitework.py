"""The API reads of site work: the same figures as the services, the same scope as the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from keyproj.policy import load_profile
from keyproj.services.chains.editing import ChainData, save_chain
from keyproj.services.org.directory import save_leader
from keyproj.services.spot_checks.plans import draw_plan
from keyproj.services.visits.records import VisitData, record_visit
from tests.builders.clock import bj
from tests.builders.web import bearer, client_under, json_of


def test_lp10_the_plan_reads_as_on_the_page_and_a_unit_sees_its_own(client, county):
    big = county.project("城关镇产业园区基础设施工程", total_investment=Decimal("80000"))
    now = county.at(bj(2026, 3, 10, 9))
    draw_plan(
        county.session, load_profile("lianping"), county.people["zdb"], date(2026, 3, 10), now, 5
    )
    county.committed()
    office = json_of(
        client.get(
            "/api/v1/spot-checks?on=2026-03-31", headers=bearer(county.session, county.office)
        )
    )
    assert (office["cycle"], office["threshold_wan"], office["seed"]) == ("2026-03", "50000", 5)
    entry = next(e for e in office["entries"] if e["project_id"] == big.id)
    assert (entry["reason"], entry["total_investment"], entry["removed"]) == (
        "threshold",
        "80000",
        False,
    )
    unit = json_of(
        client.get(
            "/api/v1/spot-checks?on=2026-03-31", headers=bearer(county.session, county.shiqiao)
        )
    )
    assert {e["project_name"] for e in unit["entries"]} <= {"石桥镇跨河大桥工程"}
    bad = client.get(
        "/api/v1/spot-checks?on=2026-02-30", headers=bearer(county.session, county.office)
    )
    assert bad.status_code == 422


def test_lp10_a_county_without_spot_checks_answers_403(engine, tmp_path, county):
    with client_under(engine, tmp_path, "handan") as client:
        answer = client.get("/api/v1/spot-checks", headers=bearer(county.session, county.office))
    assert answer.status_code == 403


def test_gs3_a_weeks_visits_read_by_day(client, county):
    now = county.at(bj(2026, 3, 12, 9))
    record_visit(
        county.session,
        county.people["zdb"],
        county.profile,
        VisitData(county.road.id, "assistant", date(2026, 3, 11), "inspection", "王助理"),
        now,
    )
    county.committed()
    week = json_of(
        client.get("/api/v1/visits?on=2026-03-15", headers=bearer(county.session, county.chengguan))
    )
    assert (week["week"], week["start"], week["end"]) == ("2026-W11", "2026-03-09", "2026-03-15")
    assert [(v["role_label"], v["person"], v["kind_label"]) for v in week["visits"]] == [
        ("项目长助理", "王助理", "现场调研")
    ]
    other = json_of(
        client.get("/api/v1/visits?on=2026-03-15", headers=bearer(county.session, county.shiqiao))
    )
    assert other["visits"] == []


def test_dc5_a_chain_reads_with_its_projects_and_is_404_out_of_scope(engine, tmp_path, county):
    with client_under(engine, tmp_path, "dancheng") as client:
        _chain_reads(client, county)


def _chain_reads(client, county):
    save_leader(county.session, "赵链长", "副县长")
    county.plan(county.road, 2026, [("2026-01", "1000", "10"), ("2026-02", "1000", "20")])
    county.report(county.road, "monthly", "2026-02", "1600", "16")
    chain = save_chain(
        county.session,
        county.people["zdb"],
        None,
        ChainData("食品加工产业链", "赵链长", projects=[county.road.code]),
        bj(2026, 3, 10, 9),
    )
    county.committed()
    headers = bearer(county.session, county.chengguan)
    listed = json_of(client.get("/api/v1/chains", headers=headers))
    assert listed["chains"] == [
        {
            "id": chain.id,
            "name": "食品加工产业链",
            "chief": "赵链长",
            "projects": 1,
            "total_investment": "12000",
        }
    ]
    one = json_of(client.get(f"/api/v1/chains/{chain.id}?on=2026-03-10", headers=headers))
    assert one["period"] == "2026-02"
    row = one["projects"][0]
    assert (row["outcome"], row["completed"], row["planned"], row["progress_pct"]) == (
        "yellow",
        "1600",
        "2000",
        "16",
    )
    far = client.get(f"/api/v1/chains/{chain.id}", headers=bearer(county.session, county.shiqiao))
    assert far.status_code == 404


def test_dc5_without_chains_in_the_regulation_the_api_says_so(client, county):
    save_leader(county.session, "赵链长", "副县长")
    chain = save_chain(
        county.session,
        county.people["zdb"],
        None,
        ChainData("食品加工产业链", "赵链长", projects=[county.road.code]),
        bj(2026, 3, 10, 9),
    )
    county.committed()
    headers = bearer(county.session, county.office)  # Lianping's regulation has no chains
    listed = json_of(client.get("/api/v1/chains", headers=headers))
    assert listed == {"chains": [], "reason": "本地制度未设产业链链长制"}
    one = client.get(f"/api/v1/chains/{chain.id}", headers=headers)
    assert one.status_code == 404
    assert one.get_json()["error"]["message"] == "本地制度未设产业链链长制"
