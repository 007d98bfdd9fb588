"""Every path of Handan's diagram (handan_case: the core paths plus HD5 提醒函 and HD6 约谈), in
memory, under time-machine, each step round-tripping the stored state.

Before the city government (lane 县政府) coordinates an escalated case, the key office (市发改委)
decides the measure: a numbered reminder letter the lead unit signs (HD5), an interview by the
city government's leader in charge with the HD6 triggers (HD6), or coordination straight away.
Deadlines cross National Day 2026 (1–7 Oct off, Sat 10 Oct worked) and the Spring Festival 2026
(15–23 Feb off; Sat 14 and Sat 28 Feb worked), with Handan's local working days (5 to sign the
letter, 10 for the interview).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.etree import ElementTree

import pytest

from keyproj.engine import CompiledDefinition
from keyproj.policy import load_profile
from tests.builders.clock import bj
from tests.builders.engine import LEAD, PHASE_TOWN, InMemoryCase, compiled_diagram, notice_parts
from tests.builders.forms import form

PROFILE = load_profile("handan")
assert PROFILE.measures is not None
# Handan's own numbers (keyproj/policy/profiles/handan.toml [measures]): 5 and 10 working days.
HANDAN = {
    "reminder_letter_ack_working_days": PROFILE.measures.reminder_letter_ack_working_days,
    "interview_working_days": PROFILE.measures.interview_working_days,
}
MEASURES = ("reminder_letter", "interview", "coordinate")
RESPONSE = {"respond": form("respond")}
RESOLVED = {"report_outcome": form("report_outcome")}
NOT_RESOLVED = {"report_outcome": form("report_outcome", result="not_resolved")}
ACCEPT = {"evaluate": form("evaluate")}
ESCALATE = {"evaluate": form("evaluate", decision="escalate", opinion="未解决，提请市政府协调")}
ASSIGN = {"county_gov_assign": form("county_gov_assign", leader_name="王副市长")}
COUNTY_RESOLVED = {"county_gov_handle": form("county_gov_handle")}
TO_SUPERVISION = {"county_gov_handle": form("county_gov_handle", decision="supervision")}
ACK = {"reminder_letter_ack": form("reminder_letter_ack")}
LETTER = "邯发改提醒〔2026〕1号"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"


@pytest.fixture(scope="module")
def definition() -> CompiledDefinition:
    """Handan's diagram, compiled."""
    return compiled_diagram("handan_case")


def start(case: InMemoryCase, moment: datetime, **overrides: Any) -> None:
    case.start(moment, rule_id="progress_lag", **HANDAN, **overrides)


def notice(issued: datetime, routing: str = "county_department", phases: int = 0) -> dict:
    """The notice as the key office issues it (the hook's number, time and lead unit included)."""
    return {
        "issue_notice": form("issue_notice", routing=routing),
        "notice_issued_at": issued.isoformat(),
        "notice_number": "邯发改预警〔2026〕1号",
        "lead_unit_id": LEAD,
        "parts": notice_parts(phases),
    }


def measure(kind: str) -> dict[str, Any]:
    """The key office's HD5/HD6 decision as the services complete it (hook data included)."""
    if kind == "reminder_letter":
        return {
            "hd_measure": form(
                "hd_measure", measure=kind, letter_text="投资完成率排名后三位，请限期整改。"
            ),
            "reminder_letter_number": LETTER,
        }
    if kind == "interview":
        chosen = form(
            "hd_measure",
            measure=kind,
            triggers=["ledger_date_missed", "leader_request"],
            interviewee_unit_code="LPFG",
            interviewee_person="局长王某",
        )
        return {"hd_measure": chosen, "interviewee_unit_id": LEAD}
    return {"hd_measure": form("hd_measure")}


def interview_record(held_on: str) -> dict[str, Any]:
    """The interview as recorded (the hook resolves each commitment's unit)."""
    rows = [{"matter": "完成施工许可办理", "unit_code": "LPFG", "due_date": "2026-12-31"}]
    return {
        "interview_record": form("interview_record", held_on=held_on, commitments=rows),
        "interview_commitments": [{**rows[0], "unit_id": LEAD, "unit_name": "连平县发改局"}],
    }


def take_measure(case: InMemoryCase, moment: datetime, kind: str) -> None:
    """HD5/HD6: the key office decides the measure at ``moment``; a letter is signed and an
    interview held the same day; then the city government's coordination is due."""
    assert case.waiting() == ["hd_measure"]  # the measure comes before the coordination
    case.submit(moment, "hd_measure", measure(kind))
    if kind == "reminder_letter":
        assert case.waiting() == ["reminder_letter_ack"]
        assert case._ready("reminder_letter_ack", None).unit_id == LEAD  # the lead unit alone
        case.submit(moment, "reminder_letter_ack", ACK)
    elif kind == "interview":
        assert case.waiting() == ["interview_record"]
        case.submit(moment, "interview_record", interview_record(moment.date().isoformat()))
    assert case.waiting() == ["county_gov_assign"]  # coordination is still owed


def supervise(case: InMemoryCase, moment: datetime) -> None:
    """The city government hands the case to supervision, which files it and records a result."""
    case.submit(moment, "county_gov_assign", ASSIGN)
    case.submit(moment, "county_gov_handle", TO_SUPERVISION)
    filed = {
        "supervision_file": form("supervision_file", due_date="2026-12-31"),
        "supervision_due": "2026-12-31T23:59:59+08:00",
    }
    case.submit(moment, "supervision_file", filed)
    case.submit(moment, "supervision_result", {"supervision_result": form("supervision_result")})
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "supervised"


# --- core paths without an escalation: no measure ------------------------------------------


def test_hd_on_time_and_resolved_across_national_day_takes_no_measure(case):
    start(case, bj(2026, 9, 29, 10))
    assert case.due("issue_notice") == "2026-10-09T23:59:59+08:00"  # 3 working days
    case.submit(bj(2026, 9, 30, 15), "issue_notice", notice(bj(2026, 9, 30, 15)))
    assert case.due("respond") == "2026-10-10T23:59:59+08:00"  # Sat 10 Oct is worked
    case.submit(bj(2026, 10, 10, 23, 59, 59), "respond", RESPONSE)
    case.submit(bj(2026, 10, 20, 9), "report_outcome", RESOLVED)
    case.submit(bj(2026, 10, 21, 9), "evaluate", ACCEPT)
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "handled"
    assert "hd_measure" not in case.instance.data


def test_hd_long_matter_accepted_takes_no_measure(case):
    start(case, bj(2026, 9, 24, 10))
    case.submit(bj(2026, 9, 24, 10), "issue_notice", notice(bj(2026, 9, 24, 10)))
    case.submit(bj(2026, 9, 24, 11), "respond", RESPONSE)
    case.submit(bj(2026, 9, 24, 12), "report_outcome", {"report_outcome": form("report_outcome")})
    long_term = form("evaluate", decision="long_term", opinion="征地涉及群众安置，需较长时间跟进")
    case.submit(bj(2026, 9, 25, 9), "evaluate", {"evaluate": long_term})
    assert case.due("long_progress_report") == "2026-10-15T23:59:59+08:00"
    case.submit(
        bj(2026, 10, 13, 9),
        "long_progress_report",
        {"long_progress_report": form("long_progress_report", resolved="yes")},
    )
    case.submit(
        bj(2026, 10, 14, 9),
        "accept_long_resolution",
        {"accept_long_resolution": form("accept_long_resolution")},
    )
    assert case.instance.data["case_outcome"] == "handled"
    assert "hd_measure" not in case.instance.data


def test_hd_a_late_phase_unit_escalates_its_part_only_and_takes_no_measure(case):
    start(case, bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "issue_notice", notice(bj(2026, 2, 13, 10), phases=1))
    case.submit(bj(2026, 2, 24, 9), "respond", RESPONSE, unit=LEAD)
    assert case.fire(bj(2026, 2, 26, 0, 0, 1)) == ["response_late"]
    assert case.waiting_parts() == [("report_outcome", LEAD), ("phase_escalated", PHASE_TOWN)]
    case.submit(
        bj(2026, 2, 27, 9),
        "phase_escalated",
        {"phase_escalated": form("phase_escalated")},
        unit=PHASE_TOWN,
    )
    case.submit(bj(2026, 3, 2, 9), "report_outcome", RESOLVED, unit=LEAD)
    assert case.waiting() == ["evaluate"]
    case.submit(bj(2026, 3, 3, 9), "evaluate", ACCEPT)
    assert case.instance.data["case_outcome"] == "handled"
    assert "hd_measure" not in case.instance.data


def test_hd_a_supervision_filing_enters_at_the_filing(case):
    start(case, bj(2026, 9, 29, 9), entry="supervision")
    assert case.waiting() == ["supervision_file"]
    case.submit(
        bj(2026, 9, 30, 10),
        "supervision_file",
        {
            "supervision_file": form("supervision_file", due_date="2026-10-30"),
            "supervision_due": "2026-10-30T23:59:59+08:00",
        },
    )
    case.submit(
        bj(2026, 10, 9, 10),
        "supervision_result",
        {"supervision_result": form("supervision_result")},
    )
    assert case.instance.data["case_outcome"] == "supervised"


# --- every escalation takes one of the three measures first --------------------------------


@pytest.mark.parametrize("kind", MEASURES)
def test_hd5_hd6_late_lead_response_takes_the_measure_then_supervision(case, kind):
    start(case, bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "issue_notice", notice(bj(2026, 2, 13, 10)))
    assert case.fire(bj(2026, 2, 26, 0, 0, 1)) == ["response_late"]
    assert case.instance.data["escalation_reason"] == "response_late"
    take_measure(case, bj(2026, 2, 26, 10), kind)
    supervise(case, bj(2026, 2, 27, 10))
    assert case.instance.data["hd_measure"]["measure"] == kind


@pytest.mark.parametrize("kind", MEASURES)
def test_hd5_hd6_late_lead_outcome_takes_the_measure_then_the_city_resolves(case, kind):
    start(case, bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "issue_notice", notice(bj(2026, 2, 13, 10)))
    case.submit(bj(2026, 2, 24, 9), "respond", RESPONSE)
    assert case.fire(bj(2026, 3, 6, 8)) == ["outcome_late"]
    take_measure(case, bj(2026, 3, 6, 10), kind)
    case.submit(bj(2026, 3, 9, 10), "county_gov_assign", ASSIGN)
    case.submit(bj(2026, 3, 10, 10), "county_gov_handle", COUNTY_RESOLVED)
    assert case.instance.data["case_outcome"] == "county_resolved"


@pytest.mark.parametrize("kind", MEASURES)
def test_hd5_hd6_outcome_not_accepted_takes_the_measure_then_an_onsite_meeting(case, kind):
    start(case, bj(2026, 9, 28, 9))
    case.submit(bj(2026, 9, 28, 10), "issue_notice", notice(bj(2026, 9, 28, 10)))
    case.submit(bj(2026, 9, 29, 10), "respond", RESPONSE)
    case.submit(bj(2026, 9, 30, 10), "report_outcome", NOT_RESOLVED)
    case.submit(bj(2026, 9, 30, 11), "evaluate", ESCALATE)
    assert case.instance.data["escalation_reason"] == "not_accepted"
    take_measure(case, bj(2026, 9, 30, 15), kind)
    case.submit(bj(2026, 10, 8, 9), "county_gov_assign", ASSIGN)
    item = {"unit_code": "LPFG", "matter": "办结施工许可", "due_date": "2026-10-20"}
    onsite = form(
        "county_gov_handle",
        decision="onsite_meeting",
        meeting_minutes="现场办公会议明确发改局10月20日前办结施工许可。",
        follow_ups=[item],
    )
    follow_up = {
        **item,
        "unit_id": LEAD,
        "unit_name": "连平县发改局",
        "due": "2026-10-20T23:59:59+08:00",
    }
    case.submit(
        bj(2026, 10, 9, 9),
        "county_gov_handle",
        {"county_gov_handle": onsite, "follow_ups": [follow_up]},
    )
    assert case.waiting() == ["follow_up_item"]
    case.submit(bj(2026, 10, 19, 9), "follow_up_item", {"follow_up_item": form("follow_up_item")})
    case.submit(
        bj(2026, 10, 20, 9),
        "county_gov_follow_up_check",
        {"county_gov_follow_up_check": form("county_gov_follow_up_check")},
    )
    assert case.instance.data["case_outcome"] == "county_resolved"


def test_hd_a_notice_routed_to_the_city_government_takes_no_measure(case):
    """LP16 routing is the matter's level, not a unit's failing: no letter, no interview."""
    start(case, bj(2026, 9, 29, 10))
    case.submit(
        bj(2026, 9, 29, 10), "issue_notice", notice(bj(2026, 9, 29, 10), "county_government")
    )
    assert case.instance.data["escalation_reason"] == "routed"
    assert case.waiting() == ["county_gov_assign"]
    # 县府办's 3 working days count from the notice: 30 Sep → 8, 9 Oct (1–7 Oct off).
    assert case.due("county_gov_assign") == "2026-10-09T23:59:59+08:00"
    case.submit(bj(2026, 10, 9, 10), "county_gov_assign", ASSIGN)
    case.submit(bj(2026, 10, 12, 10), "county_gov_handle", COUNTY_RESOLVED)
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "county_resolved"
    assert "hd_measure" not in case.instance.data


# --- HD5: the reminder letter ----------------------------------------------------------------


def escalated(case: InMemoryCase, moment: datetime) -> None:
    """A case whose outcome the key office does not accept at ``moment``: its measure is due."""
    start(case, moment)
    case.submit(moment, "issue_notice", notice(moment))
    case.submit(moment, "respond", RESPONSE)
    case.submit(moment, "report_outcome", NOT_RESOLVED)
    case.submit(moment, "evaluate", ESCALATE)
    assert case.waiting() == ["hd_measure"]


def test_hd5_the_letter_is_signed_within_5_working_days_across_national_day(case):
    escalated(case, bj(2026, 9, 28, 9))
    hd = case._ready("hd_measure", None)
    assert (hd.lane, hd.due_working_days) == ("重点办", 3)  # the key office's 3 working days
    case.submit(bj(2026, 9, 29, 10), "hd_measure", measure("reminder_letter"))
    ack = case._ready("reminder_letter_ack", None)
    assert (ack.lane, ack.unit_id) == ("责任单位", LEAD)
    # 30 Sep, 8, 9, Sat 10 and Mon 12 Oct (1–7 Oct off).
    assert case.due("reminder_letter_ack") == "2026-10-12T23:59:59+08:00"
    assert case.instance.data["reminder_letter_number"] == LETTER
    assert case.fire(bj(2026, 10, 12, 23, 59, 59)) == []  # the deadline's last second counts
    case.submit(bj(2026, 10, 12, 23, 59, 59), "reminder_letter_ack", ACK)
    assert case.waiting() == ["county_gov_assign"]
    assert "reminder_letter_overdue" not in case.instance.data


def test_hd5_an_unsigned_letter_is_reminded_once_and_stays_open_across_spring_festival(case):
    escalated(case, bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "hd_measure", measure("reminder_letter"))
    # Sat 14 Feb worked, 15–23 Feb off: 14, 24, 25, 26, 27 Feb.
    assert case.due("reminder_letter_ack") == "2026-02-27T23:59:59+08:00"
    assert case.fire(bj(2026, 2, 27, 23, 59, 59)) == []
    assert case.fire(bj(2026, 2, 28, 0, 0, 1)) == ["reminder_letter_overdue"]
    assert case.instance.data["reminder_letter_overdue"] is True
    assert case.waiting() == ["reminder_letter_ack"]  # a reminder, not an escalation
    assert case.fire(bj(2026, 3, 9, 9)) == []  # it reminds once
    case.submit(bj(2026, 3, 2, 9), "reminder_letter_ack", ACK)
    # The coordination's 3 working days count from the signature: 3, 4, 5 March.
    assert case.due("county_gov_assign") == "2026-03-05T23:59:59+08:00"


# --- HD6: the interview ---------------------------------------------------------------------


def test_hd6_the_interview_is_held_within_10_working_days_across_national_day(case):
    escalated(case, bj(2026, 9, 28, 9))
    case.submit(bj(2026, 9, 29, 10), "hd_measure", measure("interview"))
    record = case._ready("interview_record", None)
    assert (record.lane, record.unit_id) == ("县政府", None)  # the city government's office
    # 30 Sep, 8, 9, Sat 10, 12–16 and 19 Oct.
    assert case.due("interview_record") == "2026-10-19T23:59:59+08:00"
    triggers = case.instance.data["hd_measure"]["triggers"]
    assert triggers == ["ledger_date_missed", "leader_request"]
    case.submit(bj(2026, 10, 16, 15), "interview_record", interview_record("2026-10-16"))
    assert case.waiting() == ["county_gov_assign"]
    assert case.instance.data["interview_commitments"][0]["unit_id"] == LEAD


def test_hd6_an_interview_not_recorded_in_time_is_reminded_across_spring_festival(case):
    escalated(case, bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 12, 10), "hd_measure", measure("interview"))
    # 13, Sat 14, 24–27 Feb, Sat 28 Feb, 2–4 March (15–23 Feb off).
    assert case.due("interview_record") == "2026-03-04T23:59:59+08:00"
    assert case.fire(bj(2026, 3, 4, 23, 59, 59)) == []
    assert case.fire(bj(2026, 3, 5, 0, 0, 1)) == ["interview_overdue"]
    assert case.instance.data["interview_overdue"] is True
    assert case.waiting() == ["interview_record"]
    case.submit(bj(2026, 3, 6, 10), "interview_record", interview_record("2026-03-06"))
    assert case.waiting() == ["county_gov_assign"]


def test_hd5_hd6_coordinate_goes_straight_to_the_city_government(case):
    escalated(case, bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "hd_measure", measure("coordinate"))
    assert case.waiting() == ["county_gov_assign"]
    # 3 working days from Fri 13 Feb: Sat 14 (worked), then 24 and 25 Feb after the holiday.
    assert case.due("county_gov_assign") == "2026-02-25T23:59:59+08:00"
    assert case.instance.next_timer_at() == datetime.fromisoformat("2026-02-25T23:59:59+08:00")


def test_hd5_hd6_every_element_of_the_diagram_is_drawn(definition):
    """The office edits the diagram in the browser (X3): every node and flow has its shape."""
    root = ElementTree.fromstring(definition.xml.encode("utf-8"))
    process = root.find(f"{{{BPMN}}}process")
    assert process is not None
    skipped = {"laneSet", "lane", "flowNodeRef", "multiInstanceLoopCharacteristics"}
    elements = {
        el.get("id")
        for el in process.iter()
        if el.get("id")
        and el.tag.split("}")[1] not in skipped
        and el is not process
        and el.tag.split("}")[1].endswith(("Task", "Event", "Gateway", "Flow", "subProcess"))
    }
    drawn = {el.get("bpmnElement") for el in root.iter() if el.get("bpmnElement")}
    assert {"hd_measure", "reminder_letter_ack", "interview_record", "f_measure_done"} <= elements
    assert elements - drawn == set()
