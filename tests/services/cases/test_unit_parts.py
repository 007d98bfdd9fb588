"""Each lead and phase unit answers for its own part (LP13, LP17, LP16(四)) through the services:
a late phase unit goes to the county government for its part only, named in the log; the
case page's parts read model tells each unit's state; every step replays (X4)."""

from __future__ import annotations

from sqlalchemy import select

from keyproj.db.models import CaseEvent
from keyproj.services.cases import audit as case_audit
from keyproj.services.cases.timers import sweep
from keyproj.services.cases.views.parts import unit_parts
from tests.builders.clock import bj
from tests.builders.county import County


def replays(county: County) -> bool:
    report = case_audit.replay_case(county.session, county.case.id)
    return report.first_mismatch is None and report.final_matches_stored


def swept(county: County, moment) -> None:
    from sqlalchemy.orm import sessionmaker

    county.at(moment)
    sweep(sessionmaker(county.session.get_bind(), expire_on_commit=False), moment)
    county.session.expire_all()


def test_lp17_lp16_a_late_phase_unit_escalates_its_part_only_named_in_the_log(county):
    county.start(bj(2026, 9, 29, 10))
    # National Day 2026: 1–7 October off, Saturday 10 October worked.
    county.submit("zdb", "issue_notice", bj(2026, 9, 30, 15), phase_unit_codes=["D01", "T02"])
    town, dept, other = (county.people[p].unit_id for p in ("town", "dept", "other"))
    assert county.task("respond", unit=dept).due_at.isoformat() == "2026-10-10T15:59:59+00:00"
    county.submit("town", "respond", bj(2026, 10, 9, 9))
    county.submit("other", "respond", bj(2026, 10, 10, 9))
    swept(county, bj(2026, 10, 11, 9))
    assert county.waiting() == ["phase_escalated", "report_outcome", "report_outcome"]
    assert county.task("phase_escalated").lane == "县政府"
    assert county.task("phase_escalated").part_unit_id == dept
    late = county.session.scalars(select(CaseEvent).where(CaseEvent.kind == "part_late")).one()
    assert (late.unit_id, late.data["timer"]) == (dept, "response_late")
    assert (
        "escalated"
        not in county.session.scalars(
            select(CaseEvent.kind).where(CaseEvent.case_id == county.case.id)
        ).all()
    )  # the case itself goes on
    parts = {p.unit_id: p for p in unit_parts(county.session, county.case.id)}
    assert [p.unit_id for p in parts.values()] == [town, dept, other]  # the lead first
    assert (parts[dept].role_label, parts[dept].late, parts[dept].escalated) == (
        "阶段性",
        ["响应逾期"],
        True,
    )
    assert parts[dept].state == "逾期，县政府协调中（LP16）"
    assert (parts[town].role_label, parts[town].state) == ("牵头", "待报告协调成效")
    county.submit("xfb", "phase_escalated", bj(2026, 10, 12, 10))
    county.submit("other", "report_outcome", bj(2026, 10, 15, 10))
    county.submit("town", "report_outcome", bj(2026, 10, 20, 10))
    assert county.waiting() == ["evaluate"]
    assert replays(county)
    county.submit("zdb", "evaluate", bj(2026, 10, 21, 10))
    county.session.refresh(county.case)
    assert (county.case.status, county.case.outcome) == ("closed", "handled")
    assert replays(county)


def test_lp17_a_late_lead_unit_escalates_the_whole_case_across_the_spring_festival(county):
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    county.submit("dept", "respond", bj(2026, 2, 24, 10))
    swept(county, bj(2026, 2, 26, 9))  # the response was due 25 February (15–23 Feb off)
    assert county.waiting() == ["county_gov_assign"]
    kinds = county.session.scalars(
        select(CaseEvent.kind).where(CaseEvent.case_id == county.case.id).order_by(CaseEvent.seq)
    ).all()
    assert kinds[-4:] == ["timer_fired", "part_late", "escalated", "task_ready"]
    parts = unit_parts(county.session, county.case.id)
    assert [(p.role_label, p.state) for p in parts] == [
        ("牵头", "逾期，整案提请县政府协调（LP16）"),
        ("阶段性", "已受理"),
    ]
    assert replays(county)
