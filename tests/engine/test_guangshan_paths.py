"""Every path of Guangshan's diagram (GS1 + the core LP13–LP20 paths), in memory, under time-machine.

GS1: a warning of 2 consecutive weeks without substantive progress calls the responsible unit's
head to TV questioning (电视问政), 3 weeks the county leader in charge; the key office organises
it before the notice, within the notice's deadline. Every other path is Lianping's escalation.
The start data is the services' own (start_data under the guangshan profile). Deadlines cross
National Day 2026 (1–7 Oct off, Sat 10 Oct worked) and the Spring Festival 2026 (15–23 Feb off;
Sat 14 and 28 Feb worked); Guangshan's numbers: notice 3, response 3, outcome 10, evaluation 3,
县府办 3, county coordination 5, long-matter reports 5 (reminded 1 before), supervision 10.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from keyproj.db.models import EarlyWarning
from keyproj.engine import CompiledDefinition
from keyproj.policy import load_profile
from keyproj.services.cases.start import start_data
from tests.builders import evidence
from tests.builders.clock import bj
from tests.builders.engine import LEAD, PHASE_TOWN, InMemoryCase, compiled_diagram, notice_parts
from tests.builders.forms import form

GUANGSHAN = load_profile("guangshan")
RESPONSE = {"respond": form("respond")}
RESOLVED = {"report_outcome": form("report_outcome")}
NOT_RESOLVED = {"report_outcome": form("report_outcome", result="not_resolved")}
ACCEPT = {"evaluate": form("evaluate")}
ESCALATE = {"evaluate": form("evaluate", decision="escalate", opinion="未解决，提请县政府协调")}
LONG_TERM = {"evaluate": form("evaluate", decision="long_term", opinion="征地安置需长期跟进")}
ASSIGN = {"county_gov_assign": form("county_gov_assign")}
COUNTY_RESOLVED = {"county_gov_handle": form("county_gov_handle")}
TO_SUPERVISION = {"county_gov_handle": form("county_gov_handle", decision="supervision")}
SUPERVISION_RESULT = {"supervision_result": form("supervision_result")}


@pytest.fixture(scope="module")
def definition() -> CompiledDefinition:
    """Guangshan's own diagram."""
    return compiled_diagram("guangshan_case")


def start(
    case: InMemoryCase,
    moment: datetime,
    rule_id: str = "progress_lag",
    weeks: int | None = None,
    **changes: Any,
) -> None:
    """Start a case as the services do under Guangshan's profile: a no_progress_<N>w warning
    counted ``weeks`` (N by default); ``changes`` override the start data."""
    stalled = rule_id.startswith("no_progress_")
    warning = EarlyWarning(
        id=1,
        rule_id=rule_id,
        level="progress",
        colour="yellow",
        period="2026-W05",
        evidence=evidence.stall(int(rule_id[12:-1]), weeks) if stalled else evidence.lag(),
    )
    case.start(moment, **{**start_data(warning, None, GUANGSHAN, moment), **changes})


def notice(issued: datetime, phases: int = 0, routing: str = "town") -> dict[str, Any]:
    """The notice as the key office issues it (the hook's number, time and units included)."""
    return {
        "issue_notice": form("issue_notice", routing=routing),
        "notice_issued_at": issued.isoformat(),
        "notice_number": "光重点办预警〔2026〕1号",
        "parts": notice_parts(phases),
        "lead_unit_id": LEAD,
    }


def tv_inquiry(role: str, person: str, held_on: str) -> dict[str, Any]:
    return {"tv_inquiry": form("tv_inquiry", called_role=role, person=person, held_on=held_on)}


def supervise(case: InMemoryCase, moment: datetime) -> None:
    """The supervision office files the matter and records its result (LP20)."""
    assert case.waiting() == ["supervision_file"]
    filed = {
        "supervision_file": form("supervision_file", due_date="2026-03-20"),
        "supervision_number": "光督立〔2026〕1号",
        "supervision_due": "2026-03-20T23:59:59+08:00",
    }
    case.submit(moment, "supervision_file", filed)
    assert case.due("supervision_result") == "2026-03-20T23:59:59+08:00"
    case.submit(moment, "supervision_result", SUPERVISION_RESULT)
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "supervised"


# --- GS1: TV questioning ------------------------------------------------------------------


def test_gs1_two_weeks_call_the_unit_head_before_the_notice_across_national_day(case):
    start(case, bj(2026, 9, 29, 10), "no_progress_2w")
    assert case.instance.data["stall_weeks"] == 2
    assert case.instance.data["tv_inquiry_role"] == "unit_head"
    assert case.waiting() == ["tv_inquiry"]  # before the notice
    # Due with the notice: 3 working days from Tue 29 Sep are 30 Sep, 8 and 9 Oct.
    assert case.due("tv_inquiry") == "2026-10-09T23:59:59+08:00"
    assert case.instance.data["notice_due"] == "2026-10-09T23:59:59+08:00"
    case.submit(bj(2026, 10, 8, 16), "tv_inquiry", tv_inquiry("unit_head", "张明", "2026-10-08"))
    assert case.waiting() == ["issue_notice"]
    assert case.due("issue_notice") == "2026-10-09T23:59:59+08:00"
    case.submit(bj(2026, 10, 9, 10), "issue_notice", notice(bj(2026, 10, 9, 10)))
    assert case.due("respond") == "2026-10-13T23:59:59+08:00"  # Sat 10 Oct worked, 12, 13
    case.submit(bj(2026, 10, 12, 10), "respond", RESPONSE)
    case.submit(bj(2026, 10, 16, 10), "report_outcome", RESOLVED)
    case.submit(bj(2026, 10, 19, 10), "evaluate", ACCEPT)
    assert case.instance.completed
    data = case.instance.data
    assert data["case_outcome"] == "handled"
    assert (data["tv_inquiry"]["person"], data["tv_inquiry"]["held_on"]) == ("张明", "2026-10-08")


def test_gs1_three_weeks_call_the_county_leader_reminded_across_spring_festival(case):
    start(case, bj(2026, 2, 12, 9), "no_progress_3w")
    assert case.instance.data["stall_called"]["name"] == "李明"
    assert case.instance.data["tv_inquiry_role"] == "county_leader"
    assert case.waiting() == ["tv_inquiry"]
    # Fri 13 Feb, Sat 14 Feb (worked), then 24 Feb after the holiday.
    assert case.due("tv_inquiry") == "2026-02-24T23:59:59+08:00"
    assert case.fire(bj(2026, 2, 24, 23, 59, 59)) == []  # the deadline's last second counts
    assert case.fire(bj(2026, 2, 25, 0, 0, 1)) == ["tv_inquiry_overdue"]
    assert case.instance.data["tv_inquiry_overdue"] is True
    assert case.waiting() == ["tv_inquiry"]  # reminded like the notice, still to be held
    assert case.fire(bj(2026, 2, 26, 9)) == []  # it reminds once
    case.submit(
        bj(2026, 2, 26, 10), "tv_inquiry", tv_inquiry("county_leader", "李明", "2026-02-26")
    )
    # The notice keeps its own deadline: it arrives overdue and is reminded in the same step.
    assert case.waiting() == ["issue_notice"]
    assert case.due("issue_notice") == "2026-02-24T23:59:59+08:00"
    assert case.instance.data["notice_overdue"] is True
    assert case.fire(bj(2026, 2, 26, 11)) == []
    case.submit(bj(2026, 2, 26, 15), "issue_notice", notice(bj(2026, 2, 26, 15)))
    assert case.due("respond") == "2026-03-02T23:59:59+08:00"  # 27 Feb, Sat 28 Feb, 2 Mar
    assert case.instance.data["tv_inquiry"]["called_role"] == "county_leader"


def test_gs1_a_longer_stall_at_the_first_threshold_still_calls_the_unit_head(case):
    """The warning's threshold decides: a no_progress_2w warning whose stall has meanwhile
    lasted 3 weeks still calls the unit head (the 3-week warning calls the leader)."""
    start(case, bj(2026, 2, 12, 9), "no_progress_2w", weeks=3)
    assert case.instance.data["evidence"]["weeks"] == 3
    assert case.instance.data["stall_weeks"] == 2
    assert case.instance.data["tv_inquiry_role"] == "unit_head"
    assert case.waiting() == ["tv_inquiry"]


def test_gs1_other_warnings_go_straight_to_the_notice(case):
    start(case, bj(2026, 9, 29, 10))
    assert case.instance.data["stall_weeks"] == 0
    assert case.instance.data["stall_thresholds"] == [2, 3]
    assert case.waiting() == ["issue_notice"]
    assert "tv_inquiry_role" not in case.instance.data


def test_gs1_without_thresholds_a_stall_goes_straight_to_the_notice(case):
    """A jurisdiction that counts no weeks (no_progress_weeks = []) holds no TV questioning."""
    start(case, bj(2026, 9, 29, 10), "no_progress_2w", stall_thresholds=[])
    assert case.waiting() == ["issue_notice"]


# --- the core paths on Guangshan's numbers -------------------------------------------------


def test_lp13_lp17_on_time_and_resolved_across_national_day(case):
    start(case, bj(2026, 9, 29, 10))
    assert case.due("issue_notice") == "2026-10-09T23:59:59+08:00"
    case.submit(bj(2026, 9, 30, 15), "issue_notice", notice(bj(2026, 9, 30, 15)))
    assert case.due("respond") == "2026-10-10T23:59:59+08:00"  # 8, 9, Sat 10 Oct
    assert case.instance.data["outcome_due"] == "2026-10-20T23:59:59+08:00"  # 10 working days
    case.submit(bj(2026, 10, 10, 23, 59, 59), "respond", RESPONSE)  # the last second counts
    case.submit(bj(2026, 10, 20, 18), "report_outcome", RESOLVED)
    assert case.due("evaluate") == "2026-10-23T23:59:59+08:00"
    case.submit(bj(2026, 10, 21, 9), "evaluate", ACCEPT)
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "handled"
    assert "escalation_reason" not in case.instance.data


def test_lp17_late_lead_response_goes_to_county_then_supervision_across_spring_festival(case):
    start(case, bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "issue_notice", notice(bj(2026, 2, 13, 10)))
    assert case.due("respond") == "2026-02-25T23:59:59+08:00"  # Sat 14, 24, 25 Feb
    assert case.fire(bj(2026, 2, 25, 23, 59, 59)) == []
    assert case.fire(bj(2026, 2, 26, 0, 0, 1)) == ["response_late"]
    assert case.instance.data["escalation_reason"] == "response_late"
    assert case.due("county_gov_assign") == "2026-03-02T23:59:59+08:00"  # 27, Sat 28 Feb, 2 Mar
    case.submit(bj(2026, 2, 27, 10), "county_gov_assign", ASSIGN)
    assert case.due("county_gov_handle") == "2026-03-05T23:59:59+08:00"  # 5 working days
    case.submit(bj(2026, 3, 2, 10), "county_gov_handle", TO_SUPERVISION)
    supervise(case, bj(2026, 3, 3, 10))


def test_lp17_lp16_a_late_phase_unit_escalates_its_part_across_spring_festival(case):
    start(case, bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "issue_notice", notice(bj(2026, 2, 13, 10), phases=1))
    case.submit(bj(2026, 2, 24, 9), "respond", RESPONSE, unit=LEAD)
    assert case.fire(bj(2026, 2, 26, 0, 0, 1)) == ["response_late"]
    assert case.waiting_parts() == [("report_outcome", LEAD), ("phase_escalated", PHASE_TOWN)]
    escalated = next(t for t in case.instance.ready_user_tasks() if t.name == "phase_escalated")
    assert escalated.due_working_days == 5  # Guangshan's county coordination days
    assert "escalation_reason" not in case.instance.data
    case.submit(bj(2026, 2, 27, 9), "phase_escalated", {"phase_escalated": form("phase_escalated")})
    case.submit(bj(2026, 3, 2, 9), "report_outcome", RESOLVED, unit=LEAD)
    assert case.waiting() == ["evaluate"]
    town = next(p for p in case.instance.data["parts"] if p["unit_id"] == PHASE_TOWN)
    assert (town["state"], town["escalation"]) == ("escalated", "response_late")


def test_lp17_outcome_not_accepted_goes_to_the_county_government(case):
    start(case, bj(2026, 9, 29, 10))
    case.submit(bj(2026, 9, 30, 15), "issue_notice", notice(bj(2026, 9, 30, 15)))
    case.submit(bj(2026, 10, 9, 10), "respond", RESPONSE)
    case.submit(bj(2026, 10, 19, 10), "report_outcome", NOT_RESOLVED)
    case.submit(bj(2026, 10, 20, 10), "evaluate", ESCALATE)
    assert case.instance.data["escalation_reason"] == "not_accepted"
    assert case.waiting() == ["county_gov_assign"]
    assert case.due("county_gov_assign") == "2026-10-23T23:59:59+08:00"


def test_lp16_routed_case_resolved_by_the_county_government_across_national_day(case):
    start(case, bj(2026, 9, 28, 9))
    assert case.due("issue_notice") == "2026-10-08T23:59:59+08:00"  # 29, 30 Sep, 8 Oct
    routed = notice(bj(2026, 9, 29, 10), routing="county_government")
    case.submit(bj(2026, 9, 29, 10), "issue_notice", routed)
    assert case.instance.data["escalation_reason"] == "routed"
    assert case.due("county_gov_assign") == "2026-10-09T23:59:59+08:00"  # 30 Sep, 8, 9 Oct
    case.submit(bj(2026, 9, 30, 10), "county_gov_assign", ASSIGN)
    assert case.due("county_gov_handle") == "2026-10-13T23:59:59+08:00"  # 8, 9, 10, 12, 13 Oct
    case.submit(bj(2026, 10, 12, 10), "county_gov_handle", COUNTY_RESOLVED)
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "county_resolved"


def test_lp16_onsite_meeting_follow_up_overdue_then_implemented_across_national_day(case):
    start(case, bj(2026, 9, 28, 9))
    case.submit(
        bj(2026, 9, 28, 10),
        "issue_notice",
        notice(bj(2026, 9, 28, 10), routing="county_government"),
    )
    case.submit(bj(2026, 9, 29, 10), "county_gov_assign", ASSIGN)
    follow_up = {
        "unit_code": "T01",
        "matter": "完成临时用地协调",
        "due_date": "2026-10-09",
        "unit_id": LEAD,
        "unit_name": "城关镇",
        "due": "2026-10-09T23:59:59+08:00",
    }
    handled = form(
        "county_gov_handle",
        decision="onsite_meeting",
        meeting_minutes="现场办公会议明确城关镇10月9日前完成临时用地协调。",
        follow_ups=[{k: follow_up[k] for k in ("unit_code", "matter", "due_date")}],
    )
    case.submit(
        bj(2026, 9, 30, 10),
        "county_gov_handle",
        {"county_gov_handle": handled, "follow_ups": [follow_up]},
    )
    assert case.waiting() == ["follow_up_item"]
    assert case.due("follow_up_item") == "2026-10-09T23:59:59+08:00"
    assert case.fire(bj(2026, 10, 10, 0, 0, 1)) == ["follow_up_overdue"]
    assert case.waiting() == ["follow_up_item"]  # reminded, still open
    case.submit(bj(2026, 10, 12, 10), "follow_up_item", {"follow_up_item": form("follow_up_item")})
    assert case.waiting() == ["county_gov_follow_up_check"]
    checked = form("county_gov_follow_up_check", decision="implemented")
    case.submit(
        bj(2026, 10, 13, 10), "county_gov_follow_up_check", {"county_gov_follow_up_check": checked}
    )
    assert case.instance.data["case_outcome"] == "county_resolved"


def test_lp18_long_matter_reports_each_five_working_days_across_national_day(case):
    start(case, bj(2026, 9, 28, 9))
    case.submit(bj(2026, 9, 28, 10), "issue_notice", notice(bj(2026, 9, 28, 10)))
    case.submit(bj(2026, 9, 28, 11), "respond", RESPONSE)
    case.submit(bj(2026, 9, 29, 11), "report_outcome", RESOLVED)
    case.submit(bj(2026, 9, 30, 9), "evaluate", LONG_TERM)
    assert case.waiting() == ["long_progress_report"]
    # 5 working days from Wed 30 Sep: 8, 9, Sat 10, 12, 13 Oct; reminded after the 4th.
    assert case.due("long_progress_report") == "2026-10-13T23:59:59+08:00"
    assert case.instance.data["long_report_remind_at"] == "2026-10-12T23:59:59+08:00"
    assert case.fire(bj(2026, 10, 13, 0, 0, 1)) == ["long_report_remind"]
    report = {"long_progress_report": form("long_progress_report", resolved="yes")}
    case.submit(bj(2026, 10, 13, 10), "long_progress_report", report)
    case.submit(
        bj(2026, 10, 14, 10),
        "accept_long_resolution",
        {"accept_long_resolution": form("accept_long_resolution")},
    )
    assert case.instance.data["case_outcome"] == "handled"


def test_lp20_the_supervision_office_s_own_finding_enters_at_the_filing_across_national_day(case):
    start(case, bj(2026, 9, 29, 9), entry="supervision")
    assert case.waiting() == ["supervision_file"]  # no TV questioning, no notice
    assert "notice_due" not in case.instance.data
    task = next(t for t in case.instance.ready_user_tasks() if t.name == "supervision_file")
    # 10 working days from Tue 29 Sep: 30 Sep, 8, 9, Sat 10, 12–16, 19 Oct.
    assert case.deadline(bj(2026, 9, 29, 9).isoformat(), task.due_working_days) == (
        "2026-10-19T23:59:59+08:00"
    )
    supervise(case, bj(2026, 9, 30, 10))


def test_lp20_a_stall_found_by_the_supervision_office_holds_no_tv_questioning(case):
    """The TV questioning belongs to the warning's path; a filing starts at the filing."""
    start(case, bj(2026, 2, 12, 9), "no_progress_3w", entry="supervision")
    assert case.waiting() == ["supervision_file"]
