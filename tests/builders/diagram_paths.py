"""The five matters every jurisdiction's diagram is taken through by the services (issue 11),
driven as people would: each open task taken, oldest first, by someone who may take it, with
the builders' valid form and the scenario's choices."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from keyproj.services.cases.lanes import LANE_ROLES
from keyproj.services.cases.repository import open_task_rows
from tests.builders.clock import bj
from tests.builders.county import County

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


def run_scenario(c: County, scenario: str) -> list[str]:
    """Start the county's case on Mon 28 Sep 2026 and take it to its end along ``scenario``;
    the names of the tasks taken."""
    c.link_leader("leader01")  # the plant project's 分包领导, with an account (DC1)
    c.start(bj(2026, 9, 28, 9))
    moment = bj(2026, 9, 28, 10)
    if scenario == "late_lead_to_county":
        c.submit("zdb", "issue_notice", moment)
        # Mon 28 Sep + 3 working days over National Day (1–7 Oct off): due Thu 8 Oct.
        moment = bj(2026, 10, 9, 9)
        c.sweep(moment)
        assert "respond" not in [r.name for r in open_task_rows(c.session, c.case.id)]
    return drive(c, moment, SCENARIOS[scenario])
