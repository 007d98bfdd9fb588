"""Every path of Alxa Left Banner's diagram (alxa_left_case, AL13), in memory, under time-machine.

The core paths (LP13–LP20) run as on the shared diagram; as they go, the case records the AL13
triggers it meets: 二 推诿、拖延 (a unit's response or outcome late), 一 议定事项不能按时完成 (an
on-site meeting's item reported after its deadline), 三 重大问题 (the notice's major flag). Before
the case ends, a case that met any of them waits for 督查室's 责任追究（AL13）; one that met none
simply ends. Deadlines cross National Day 2026 (1–7 Oct off, Sat 10 Oct worked) and the Spring
Festival 2026 (15–23 Feb off; Sat 14 and Sat 28 Feb worked). Every step round-trips the state.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from keyproj.engine import CompiledDefinition
from tests.builders.clock import bj
from tests.builders.engine import (
    LEAD,
    PHASE_TOWN,
    InMemoryCase,
    compiled_diagram,
    follow_up_item,
    notice_parts,
    onsite_meeting,
)
from tests.builders.forms import form

RESPONSE = {"respond": form("respond")}
RESOLVED = {"report_outcome": form("report_outcome")}
ACCEPT = {"evaluate": form("evaluate")}
ESCALATE = {"evaluate": form("evaluate", decision="escalate", opinion="未解决，提请旗政府协调")}
LONG_TERM = {"evaluate": form("evaluate", decision="long_term", opinion="需较长时间跟进")}
ASSIGN = {"county_gov_assign": form("county_gov_assign")}
COUNTY_RESOLVED = {"county_gov_handle": form("county_gov_handle")}
TO_SUPERVISION = {"county_gov_handle": form("county_gov_handle", decision="supervision")}
SUPERVISION_RESULT = {"supervision_result": form("supervision_result")}
PHASE_HANDLED = {"phase_escalated": form("phase_escalated")}
AL13 = "al13_accountability"
AL13_DONE = {AL13: form(AL13, complete=True)}  # the shirking unit's head held accountable


@pytest.fixture(scope="session")
def definition() -> CompiledDefinition:
    """Alxa Left Banner's own diagram."""
    return compiled_diagram("alxa_left_case")


def start(case: InMemoryCase, moment: datetime, **overrides: Any) -> None:
    """Start a case with Alxa's numbers (the AL13 step's 5 working days included)."""
    case.start(moment, accountability_working_days=5, **overrides)


def notice(issued: datetime, phases: int = 0, **changes: Any) -> dict[str, Any]:
    """The notice as the key office issues it (the hook's number, time and parts included)."""
    return {
        "issue_notice": form("issue_notice", **changes),
        "notice_issued_at": issued.isoformat(),
        "notice_number": "阿左发改预警〔2026〕1号",
        "parts": notice_parts(phases),
        "lead_unit_id": LEAD,
    }


def triggers(case: InMemoryCase) -> list[str]:
    return list(case.instance.data["al13_triggers"])


def ends_without_accountability(case: InMemoryCase, outcome: str) -> None:
    assert case.instance.completed
    assert case.waiting() == []
    assert triggers(case) == []
    assert case.instance.data["case_outcome"] == outcome


def supervise(case: InMemoryCase, moment: datetime) -> None:
    """The banner government hands it over; 督查室 files it and records the result (LP20)."""
    case.submit(moment, "county_gov_assign", ASSIGN)
    case.submit(moment, "county_gov_handle", TO_SUPERVISION)
    filed = {
        "supervision_file": form("supervision_file", due_date="2026-12-31"),
        "supervision_due": "2026-12-31T23:59:59+08:00",
    }
    case.submit(moment, "supervision_file", filed)
    case.submit(moment, "supervision_result", SUPERVISION_RESULT)


def report_item(case: InMemoryCase, moment: datetime, unit_id: int) -> None:
    """The owner unit reports its follow-up item done (found by its unit)."""
    now = case.at(moment)
    case.instance.fire_due_timers(now)
    task = next(
        t
        for t in case.instance.ready_user_tasks()
        if t.name == "follow_up_item" and t.unit_id == unit_id
    )
    case.instance.complete(task.task_id, {"follow_up_item": form("follow_up_item")}, now)
    case.round_trip()


def routed_to_meeting(case: InMemoryCase, *items: dict[str, Any]) -> None:
    """A notice routed to the banner government on 28 Sep 2026, whose leader holds an on-site
    meeting on the 30th with ``items``."""
    start(case, bj(2026, 9, 28, 9))
    case.submit(
        bj(2026, 9, 28, 9), "issue_notice", notice(bj(2026, 9, 28, 9), routing="county_government")
    )
    case.submit(bj(2026, 9, 29, 10), "county_gov_assign", ASSIGN)
    case.submit(bj(2026, 9, 30, 10), "county_gov_handle", onsite_meeting(*items))


# --- core paths that meet no trigger: the case simply ends -----------------------------------------


def test_al13_on_time_and_resolved_across_national_day_ends_without_accountability(case):
    start(case, bj(2026, 9, 29, 10))
    assert case.due("issue_notice") == "2026-10-09T23:59:59+08:00"  # 3 days; 1–7 Oct off
    case.submit(bj(2026, 9, 29, 15), "issue_notice", notice(bj(2026, 9, 29, 15)))
    assert triggers(case) == []  # no major problem named
    assert case.due("respond") == "2026-10-09T23:59:59+08:00"
    assert case.instance.data["outcome_due"] == "2026-10-19T23:59:59+08:00"  # Sat 10 Oct worked
    case.submit(bj(2026, 10, 9, 23, 59, 59), "respond", RESPONSE)  # the last second counts
    case.submit(bj(2026, 10, 19, 18), "report_outcome", RESOLVED)
    case.submit(bj(2026, 10, 20, 9), "evaluate", ACCEPT)
    ends_without_accountability(case, "handled")


def test_al13_not_accepted_then_resolved_by_the_banner_government_meets_no_trigger(case):
    start(case, bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "issue_notice", notice(bj(2026, 2, 13, 10)))
    case.submit(bj(2026, 2, 24, 9), "respond", RESPONSE)
    case.submit(bj(2026, 3, 2, 9), "report_outcome", RESOLVED)
    case.submit(bj(2026, 3, 3, 9), "evaluate", ESCALATE)
    assert case.instance.data["escalation_reason"] == "not_accepted"
    # Not a unit's lateness: escalated on the merits, no 推诿、拖延.
    assert triggers(case) == []
    case.submit(bj(2026, 3, 4, 9), "county_gov_assign", ASSIGN)
    case.submit(bj(2026, 3, 5, 9), "county_gov_handle", COUNTY_RESOLVED)
    ends_without_accountability(case, "county_resolved")


def test_al13_notice_routed_to_the_banner_government_and_resolved_meets_no_trigger(case):
    start(case, bj(2026, 9, 29, 10))
    case.submit(
        bj(2026, 9, 29, 10),
        "issue_notice",
        notice(bj(2026, 9, 29, 10), routing="county_government"),
    )
    assert case.waiting() == ["county_gov_assign"]
    assert case.due("county_gov_assign") == "2026-10-09T23:59:59+08:00"
    case.submit(bj(2026, 9, 30, 10), "county_gov_assign", ASSIGN)
    assert case.due("county_gov_handle") == "2026-10-20T23:59:59+08:00"  # 10 working days
    case.submit(bj(2026, 10, 20, 10), "county_gov_handle", COUNTY_RESOLVED)
    ends_without_accountability(case, "county_resolved")


def test_al13_long_matter_accepted_meets_no_trigger(case):
    start(case, bj(2026, 9, 29, 10))
    case.submit(bj(2026, 9, 29, 10), "issue_notice", notice(bj(2026, 9, 29, 10)))
    case.submit(bj(2026, 9, 29, 11), "respond", RESPONSE)
    case.submit(bj(2026, 9, 29, 12), "report_outcome", RESOLVED)
    case.submit(bj(2026, 9, 30, 9), "evaluate", LONG_TERM)
    assert case.due("long_progress_report") == "2026-10-20T23:59:59+08:00"  # 10 over National Day
    resolved = {"long_progress_report": form("long_progress_report", resolved="yes")}
    case.submit(bj(2026, 10, 20, 9), "long_progress_report", resolved)
    case.submit(
        bj(2026, 10, 21, 9),
        "accept_long_resolution",
        {"accept_long_resolution": form("accept_long_resolution")},
    )
    ends_without_accountability(case, "handled")


def test_al13_supervision_office_finding_meets_no_trigger(case):
    start(case, bj(2026, 9, 29, 9), entry="supervision")
    assert case.waiting() == ["supervision_file"]  # LP20 entry: no notice
    assert triggers(case) == []
    filed = {
        "supervision_file": form("supervision_file", due_date="2026-10-30"),
        "supervision_due": "2026-10-30T23:59:59+08:00",
    }
    case.submit(bj(2026, 9, 30, 10), "supervision_file", filed)
    case.submit(bj(2026, 10, 9, 10), "supervision_result", SUPERVISION_RESULT)
    ends_without_accountability(case, "supervised")


# --- trigger 二: 推诿、拖延 --------------------------------------------------------------------------


def test_al13_2_late_lead_response_goes_to_supervision_then_accountability_across_spring_festival(
    case,
):
    start(case, bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "issue_notice", notice(bj(2026, 2, 13, 10)))
    assert case.due("respond") == "2026-02-25T23:59:59+08:00"  # Sat 14 Feb worked, 15–23 off
    assert case.fire(bj(2026, 2, 25, 23, 59, 59)) == []
    assert case.fire(bj(2026, 2, 26, 0, 0, 1)) == ["response_late"]
    assert case.instance.data["escalation_reason"] == "response_late"
    assert triggers(case) == ["shirking_delay"]
    supervise(case, bj(2026, 2, 27, 10))
    # LP20's result is in; before the case ends, 督查室 holds the late unit accountable (AL13).
    assert not case.instance.completed
    assert case.waiting() == [AL13]
    assert case.instance.data["case_outcome"] == "supervised"
    assert case.due(AL13) == "2026-03-05T23:59:59+08:00"  # 5: Sat 28 Feb worked
    case.submit(bj(2026, 3, 5, 10), AL13, AL13_DONE)
    assert case.instance.completed
    assert case.waiting() == []


def test_al13_2_late_lead_outcome_resolved_by_the_banner_government_still_needs_accountability(
    case,
):
    start(case, bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "issue_notice", notice(bj(2026, 2, 13, 10)))
    assert case.instance.data["outcome_due"] == "2026-03-05T23:59:59+08:00"
    case.submit(bj(2026, 2, 24, 9), "respond", RESPONSE)
    assert case.fire(bj(2026, 3, 6, 0, 0, 1)) == ["outcome_late"]
    assert triggers(case) == ["shirking_delay"]
    case.submit(bj(2026, 3, 6, 10), "county_gov_assign", ASSIGN)
    case.submit(bj(2026, 3, 9, 10), "county_gov_handle", COUNTY_RESOLVED)
    assert case.waiting() == [AL13]
    assert case.instance.data["case_outcome"] == "county_resolved"
    assert case.due(AL13) == "2026-03-16T23:59:59+08:00"
    case.submit(bj(2026, 3, 10, 10), AL13, AL13_DONE)
    assert case.instance.completed


def test_al13_2_a_late_phase_unit_escalates_its_part_and_the_case_meets_shirking(case):
    start(case, bj(2026, 9, 29, 10))
    case.submit(bj(2026, 9, 30, 15), "issue_notice", notice(bj(2026, 9, 30, 15), phases=1))
    assert case.due("respond", PHASE_TOWN) == "2026-10-10T23:59:59+08:00"  # Sat 10 Oct worked
    case.submit(bj(2026, 10, 8, 9), "respond", RESPONSE, unit=LEAD)
    assert case.fire(bj(2026, 10, 11, 9)) == ["response_late"]  # the phase unit's part only
    assert case.waiting_parts() == [("report_outcome", LEAD), ("phase_escalated", PHASE_TOWN)]
    assert triggers(case) == []  # the phase unit's lateness is known once the round ends
    case.submit(bj(2026, 10, 12, 9), "phase_escalated", PHASE_HANDLED)
    case.submit(bj(2026, 10, 13, 9), "report_outcome", RESOLVED, unit=LEAD)
    assert case.waiting() == ["evaluate"]
    assert triggers(case) == ["shirking_delay"]
    case.submit(bj(2026, 10, 14, 9), "evaluate", ACCEPT)
    assert case.instance.data["case_outcome"] == "handled"
    assert case.waiting() == [AL13]
    assert case.due(AL13) == "2026-10-21T23:59:59+08:00"


# --- trigger 一: 议定事项不能按时完成 --------------------------------------------------------------


def test_al13_1_an_onsite_meeting_item_reported_late_meets_the_decision_trigger(case):
    town, dept = follow_up_item(5, "T01", "2026-10-09"), follow_up_item(6, "D01", "2026-10-20")
    routed_to_meeting(case, town, dept)
    assert case.fire(bj(2026, 10, 10, 0, 0, 1)) == ["follow_up_overdue"]  # the town's item
    report_item(case, bj(2026, 10, 12, 10), 6)  # on time
    report_item(case, bj(2026, 10, 13, 10), 5)  # four days late
    assert case.waiting() == ["county_gov_follow_up_check"]
    assert triggers(case) == ["meeting_decision_late"]
    assert case.instance.data["follow_ups_late"] == [5]
    late = {i["unit_id"]: i["late"] for i in case.instance.data["follow_ups"]}
    assert late == {5: True, 6: False}
    check = form("county_gov_follow_up_check", decision="implemented")
    case.submit(
        bj(2026, 10, 14, 10), "county_gov_follow_up_check", {"county_gov_follow_up_check": check}
    )
    assert case.instance.data["case_outcome"] == "county_resolved"
    assert case.waiting() == [AL13]
    assert case.due(AL13) == "2026-10-21T23:59:59+08:00"
    case.submit(bj(2026, 10, 15, 10), AL13, {AL13: form(AL13)})  # found justified: no one held
    assert case.instance.completed


def test_al13_1_items_reported_by_their_deadline_meet_no_trigger(case):
    routed_to_meeting(case, follow_up_item(5, "T01", "2026-10-09"))
    report_item(case, bj(2026, 10, 9, 23, 59, 59), 5)  # the deadline's last second counts
    assert case.instance.data["follow_ups_late"] == []
    check = form("county_gov_follow_up_check", decision="implemented")
    case.submit(
        bj(2026, 10, 12, 10), "county_gov_follow_up_check", {"county_gov_follow_up_check": check}
    )
    ends_without_accountability(case, "county_resolved")


# --- trigger 三: 重大问题 ---------------------------------------------------------------------------


def test_al13_3_a_major_problem_named_in_the_notice_is_reminded_when_accountability_is_late(case):
    start(case, bj(2026, 2, 2, 9))
    case.submit(bj(2026, 2, 2, 10), "issue_notice", notice(bj(2026, 2, 2, 10), major=True))
    assert triggers(case) == ["major_problem"]
    case.submit(bj(2026, 2, 3, 10), "respond", RESPONSE)
    case.submit(bj(2026, 2, 10, 10), "report_outcome", RESOLVED)
    case.submit(bj(2026, 2, 13, 10), "evaluate", ACCEPT)
    assert case.waiting() == [AL13]
    [task] = case.instance.ready_user_tasks()
    assert task.proposal == {"triggers": ["major_problem"]}  # the form starts with what was met
    # Sat 14 Feb worked, 15–23 Feb off: the fifth working day is Fri 27 Feb.
    assert case.due(AL13) == "2026-02-27T23:59:59+08:00"
    assert case.fire(bj(2026, 2, 27, 23, 59, 59)) == []
    assert case.fire(bj(2026, 2, 28, 0, 0, 1)) == ["al13_accountability_overdue"]
    assert case.waiting() == [AL13]  # reminded, still open
    assert case.fire(bj(2026, 3, 2, 9)) == []  # it reminds once
    row = {
        "unit_code": "T01",
        "person": "王镇长",
        "trigger": "major_problem",
        "measures": ["criticism"],
    }
    held = form(AL13, triggers=["major_problem"], accountability=[row])
    case.submit(bj(2026, 3, 2, 10), AL13, {AL13: held})
    assert case.instance.completed


def test_al13_triggers_add_up_once_each_in_the_order_met(case):
    start(case, bj(2026, 2, 12, 9))
    case.submit(
        bj(2026, 2, 13, 10), "issue_notice", notice(bj(2026, 2, 13, 10), phases=1, major=True)
    )
    assert case.fire(bj(2026, 2, 26, 0, 0, 1)) == ["response_late"]  # lead and phase unit both
    assert triggers(case) == ["major_problem", "shirking_delay"]
    case.submit(bj(2026, 2, 26, 10), "county_gov_assign", ASSIGN)
    case.submit(bj(2026, 2, 26, 11), "county_gov_handle", COUNTY_RESOLVED)
    assert case.waiting() == [AL13]
    assert triggers(case) == ["major_problem", "shirking_delay"]
