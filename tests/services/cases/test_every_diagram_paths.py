"""Every jurisdiction's diagram through the services (issue 11, part 6), on SQLite and
PostgreSQL: the same matters taken by the same people end the way each regulation says, each
jurisdiction adding its own step (HD5/HD6 measure, AL13 accountability, DC1–DC2 leader), and
every case replays (X4).

A case is driven as people would: each open task taken, oldest first, by someone who may take
it, with the builders' valid form and the scenario's choices.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from keyproj.policy import available_profiles
from keyproj.services.cases.lanes import LANE_ROLES
from keyproj.services.cases.repository import open_task_rows
from tests.builders.clock import bj
from tests.builders.county import County

OWN_STEPS = {"hd_measure", "al13_accountability", "leader_onsite", "tv_inquiry"}
NOT_RESOLVED = {"report_outcome": {"result": "not_resolved", "evidence": "征地补偿仍未谈妥"}}
ESCALATE = {"evaluate": {"decision": "escalate", "opinion": "未解决，提请县政府协调"}}
TO_MEETING = {"leader_onsite": {"decision": "to_meeting", "meeting_issues": "补偿标准需县政府研究"}}
FOLLOW_UP = [{"unit_code": "D01", "matter": "完成资金拨付", "due_date": "2026-12-20"}]
SCENARIOS: dict[str, dict[str, dict[str, Any]]] = {
    "resolved": {},
    "long_term": {
        "evaluate": {"decision": "long_term", "opinion": "征地涉及群众安置，需较长时间跟进"},
        "long_progress_report": {"progress": "安置协议已全部签订", "resolved": "yes"},
    },
    "not_accepted_to_supervision": {
        **NOT_RESOLVED,
        **ESCALATE,
        **TO_MEETING,
        "county_gov_handle": {"coordination": "专题研究未果", "decision": "supervision"},
    },
    "late_lead_to_county": {},
    "routed_onsite_meeting": {
        "issue_notice": {"routing": "county_government"},
        "county_gov_handle": {
            "decision": "onsite_meeting",
            "coordination": "分管县领导召开现场办公会议",
            "meeting_minutes": "现场办公会议明确交通运输局12月20日前完成资金拨付。",
            "follow_ups": FOLLOW_UP,
        },
    },
}
# How each case ends, and the jurisdiction's own steps it passed through.
EXPECTED: dict[str, dict[str, tuple[str, set[str]]]] = {
    "lianping": {
        "resolved": ("handled", set()),
        "long_term": ("handled", set()),
        "not_accepted_to_supervision": ("supervised", set()),
        "late_lead_to_county": ("county_resolved", set()),
        "routed_onsite_meeting": ("county_resolved", set()),
    },
    "guangshan": {
        "resolved": ("handled", set()),
        "long_term": ("handled", set()),
        "not_accepted_to_supervision": ("supervised", set()),
        "late_lead_to_county": ("county_resolved", set()),
        "routed_onsite_meeting": ("county_resolved", set()),
    },
    "handan": {  # HD5/HD6: a unit's failing gets a measure; the matter's level does not
        "resolved": ("handled", set()),
        "long_term": ("handled", set()),
        "not_accepted_to_supervision": ("supervised", {"hd_measure"}),
        "late_lead_to_county": ("county_resolved", {"hd_measure"}),
        "routed_onsite_meeting": ("county_resolved", set()),
    },
    "alxa_left": {  # AL13 二: a late lead unit is held to account
        "resolved": ("handled", set()),
        "long_term": ("handled", set()),
        "not_accepted_to_supervision": ("supervised", set()),
        "late_lead_to_county": ("county_resolved", {"al13_accountability"}),
        "routed_onsite_meeting": ("county_resolved", set()),
    },
    "dancheng": {  # DC1–DC2: the 分包领导 coordinates an escalated case first
        "resolved": ("handled", set()),
        "long_term": ("handled", set()),
        "not_accepted_to_supervision": ("supervised", {"leader_onsite"}),
        "late_lead_to_county": ("leader_resolved", {"leader_onsite"}),
        "routed_onsite_meeting": ("county_resolved", set()),
    },
}


def taker(c: County, row: Any) -> str:
    """Someone who may take ``row``: of a candidate unit and holding the lane's role, else the
    named leader's own account (DC1)."""
    units = {cand.unit_id for cand in row.candidates}
    roles = LANE_ROLES.get(row.lane, frozenset())
    mine = [p for p, v in c.people.items() if v.unit_id in units and roles & v.roles]
    mine = mine or [p for p, v in c.people.items() if v.unit_id in units]
    assert mine, f"nobody may take {row.name}"
    return mine[0]


def drive(c: County, moment: datetime, choices: dict[str, dict[str, Any]]) -> list[str]:
    """Take every open task, oldest first, an hour apart from ``moment``, until none is left."""
    taken: list[str] = []
    for _ in range(40):
        rows = sorted(open_task_rows(c.session, c.case.id), key=lambda r: r.id)
        if not rows:
            return taken
        row = rows[0]
        moment += timedelta(hours=1)
        changes = dict(choices.get(row.name, {}))
        if row.name == "leader_onsite":
            changes.setdefault("onsite_date", moment.date().isoformat())
        result = c.submit(taker(c, row), row.name, moment, **changes)
        assert result.accepted, (row.name, result.message)
        taken.append(row.name)
    raise AssertionError(f"the case did not end: {taken}")


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("profile", sorted(available_profiles()))
def test_each_jurisdictions_diagram_ends_each_matter_its_way(county, profile, scenario):
    c = county.under(profile)
    c.link_leader("leader01")  # the plant project's 分包领导, with an account (DC1)
    c.start(bj(2026, 9, 28, 9))
    choices = SCENARIOS[scenario]
    moment = bj(2026, 9, 28, 10)
    if scenario == "late_lead_to_county":
        c.submit("zdb", "issue_notice", moment)
        # Mon 28 Sep + 3 working days over National Day (1–7 Oct off): due Thu 8 Oct.
        moment = bj(2026, 10, 9, 9)
        c.sweep(moment)
        assert "respond" not in [r.name for r in open_task_rows(c.session, c.case.id)]
    taken = drive(c, moment, choices)
    c.session.refresh(c.case)
    outcome, own = EXPECTED[profile][scenario]
    assert (c.case.status, c.case.outcome) == ("closed", outcome), taken
    assert set(taken) & OWN_STEPS == own
    assert c.case.definition.key == c.profile.process.diagram
    c.assert_replays()
