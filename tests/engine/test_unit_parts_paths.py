"""Lead and phase units each answer for their own part (LP13, LP17, LP16), in memory.

The notice names one lead and two phase units; each gets its own 受理 and 成效 tasks on its
own deadlines. National Day 2026 (1–7 Oct off, Sat 10 Oct worked) and the Spring Festival
2026 (15–23 Feb off; Sat 14 Feb and Sat 28 Feb worked) fall inside the deadlines.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from keyproj.engine import CaseInstance
from tests.builders.clock import bj
from tests.builders.engine import LEAD, PHASE_DEPT, PHASE_TOWN, notice_parts, start_data
from tests.builders.forms import form

RESPONSE = {"respond": form("respond")}
RESOLVED = {"report_outcome": form("report_outcome")}
ACCEPT = {"evaluate": form("evaluate")}
PHASE_HANDLED = {"phase_escalated": form("phase_escalated")}
PARTS = [("respond", LEAD), ("respond", PHASE_TOWN), ("respond", PHASE_DEPT)]


def notice(issued: datetime, phases: int = 2) -> dict[str, Any]:
    return {
        "issue_notice": form("issue_notice"),
        "notice_issued_at": issued.isoformat(),
        "notice_number": "连重点办预警〔2026〕1号",
        "parts": notice_parts(phases),
    }


def outcome(unit: int, evidence: str) -> dict[str, Any]:
    return {"report_outcome": form("report_outcome", evidence=evidence)}


def part_of(case, unit: int) -> dict[str, Any]:
    """A unit's part as the round left it in the case data."""
    return next(p for p in case.instance.data["parts"] if p["unit_id"] == unit)


def test_lp13_lp17_every_unit_on_time_across_national_day_2026_then_evaluate(case):
    case.start(bj(2026, 9, 29, 10))
    case.submit(bj(2026, 9, 30, 15), "issue_notice", notice(bj(2026, 9, 30, 15)))
    assert case.waiting_parts() == PARTS  # LP13: one task per unit, lead first
    for unit in (LEAD, PHASE_TOWN, PHASE_DEPT):  # LP17: 3 working days, 1–7 Oct off
        assert case.due("respond", unit) == "2026-10-10T23:59:59+08:00"
    case.submit(bj(2026, 10, 9, 9), "respond", RESPONSE, unit=PHASE_TOWN)
    assert case.waiting_parts() == [
        ("respond", LEAD),
        ("report_outcome", PHASE_TOWN),
        ("respond", PHASE_DEPT),
    ]
    assert case.due("report_outcome", PHASE_TOWN) == "2026-10-20T23:59:59+08:00"  # LP17: 10
    case.submit(bj(2026, 10, 10, 23, 59, 59), "respond", RESPONSE, unit=LEAD)  # last second
    case.submit(bj(2026, 10, 10, 12), "respond", RESPONSE, unit=PHASE_DEPT)
    case.submit(bj(2026, 10, 15, 9), "report_outcome", outcome(LEAD, "牵头单位：用地已报批"), LEAD)
    case.submit(
        bj(2026, 10, 16, 9), "report_outcome", outcome(PHASE_TOWN, "元善镇：征地已完成"), PHASE_TOWN
    )
    assert case.waiting_parts() == [("report_outcome", PHASE_DEPT)]  # the round waits for all
    case.submit(
        bj(2026, 10, 20, 18),
        "report_outcome",
        outcome(PHASE_DEPT, "自然资源局：已出证"),
        PHASE_DEPT,
    )
    assert case.waiting() == ["evaluate"]
    # The lead's outcome is the round's; each unit's own forms stay in its own part.
    assert case.instance.data["report_outcome"]["evidence"] == "牵头单位：用地已报批"
    assert part_of(case, PHASE_TOWN)["report_outcome"]["evidence"] == "元善镇：征地已完成"
    assert part_of(case, PHASE_DEPT)["state"] == "reported"
    case.submit(bj(2026, 10, 21, 9), "evaluate", ACCEPT)
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "handled"
    assert "escalation_reason" not in case.instance.data


def test_lp17_lp16_a_late_phase_unit_escalates_only_its_own_part(case):
    case.start(bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "issue_notice", notice(bj(2026, 2, 13, 10)))
    assert case.due("respond", PHASE_DEPT) == "2026-02-25T23:59:59+08:00"  # Spring Festival
    case.submit(bj(2026, 2, 24, 9), "respond", RESPONSE, unit=LEAD)
    case.submit(bj(2026, 2, 24, 10), "respond", RESPONSE, unit=PHASE_TOWN)
    assert case.fire(bj(2026, 2, 25, 23, 59, 59)) == []  # the deadline is inclusive
    assert case.instance.fire_due_timers(case.at(bj(2026, 2, 26, 0, 0, 1))) == ["response_late"]
    assert [(f.name, f.unit_id) for f in case.instance.last_fired] == [
        ("response_late", PHASE_DEPT)
    ]
    case.round_trip()
    assert case.waiting_parts() == [
        ("report_outcome", LEAD),
        ("report_outcome", PHASE_TOWN),
        ("phase_escalated", PHASE_DEPT),  # LP16(四): the county government, for that part only
    ]
    assert "escalation_reason" not in case.instance.data  # the case itself is not escalated
    case.submit(bj(2026, 2, 27, 9), "phase_escalated", PHASE_HANDLED, unit=PHASE_DEPT)
    case.submit(bj(2026, 3, 2, 9), "report_outcome", outcome(LEAD, "牵头单位：已协调"), LEAD)
    case.submit(
        bj(2026, 3, 3, 9), "report_outcome", outcome(PHASE_TOWN, "元善镇：已协调"), PHASE_TOWN
    )
    assert case.waiting() == ["evaluate"]
    late = part_of(case, PHASE_DEPT)
    assert (late["state"], late["escalation"]) == ("escalated", "response_late")
    assert late["phase_escalated"]["note"] == PHASE_HANDLED["phase_escalated"]["note"]
    assert part_of(case, LEAD)["state"] == "reported"


def test_lp17_a_late_phase_outcome_names_its_unit(case):
    case.start(bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "issue_notice", notice(bj(2026, 2, 13, 10), phases=1))
    for unit in (LEAD, PHASE_TOWN):
        case.submit(bj(2026, 2, 24, 9), "respond", RESPONSE, unit=unit)
    assert case.due("report_outcome", PHASE_TOWN) == "2026-03-05T23:59:59+08:00"
    case.submit(bj(2026, 3, 5, 9), "report_outcome", RESOLVED, unit=LEAD)
    fired = case.instance.fire_due_timers(case.at(bj(2026, 3, 6, 8)))
    assert fired == ["outcome_late"]
    assert [(f.name, f.unit_id) for f in case.instance.last_fired] == [("outcome_late", PHASE_TOWN)]
    case.round_trip()
    assert case.waiting_parts() == [("phase_escalated", PHASE_TOWN)]


def test_lp17_lp16_a_late_lead_unit_escalates_the_whole_case(case):
    case.start(bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "issue_notice", notice(bj(2026, 2, 13, 10)))
    case.submit(bj(2026, 2, 24, 10), "respond", RESPONSE, unit=PHASE_TOWN)
    fired = case.instance.fire_due_timers(case.at(bj(2026, 2, 26, 9)))
    assert fired == ["response_late"]
    # The lead's lateness ends the round before the late phase unit's own timer is reached.
    assert [(f.name, f.unit_id) for f in case.instance.last_fired] == [("response_late", LEAD)]
    case.round_trip()
    assert case.instance.data["escalation_reason"] == "response_late"
    assert case.waiting() == ["county_gov_assign"]  # the round is cancelled, every part with it


def test_lp17_a_late_lead_outcome_cancels_the_parts_still_running(case):
    case.start(bj(2025, 9, 30, 10))
    case.submit(bj(2025, 9, 30, 15), "issue_notice", notice(bj(2025, 9, 30, 15)))
    for unit in (LEAD, PHASE_TOWN, PHASE_DEPT):
        case.submit(bj(2025, 10, 9, 9), "respond", RESPONSE, unit=unit)
    case.submit(bj(2025, 10, 20, 9), "report_outcome", RESOLVED, unit=PHASE_TOWN)
    case.submit(bj(2025, 10, 21, 9), "report_outcome", RESOLVED, unit=PHASE_DEPT)
    assert case.fire(bj(2025, 10, 22, 0, 0, 1)) == ["outcome_late"]
    assert case.instance.data["escalation_reason"] == "outcome_late"
    assert case.waiting() == ["county_gov_assign"]
    # No part's timer is left: the only one waiting is 县府办's own deadline (LP16).
    due = case.instance.next_timer_at()
    assert due is not None
    assert due == datetime.fromisoformat(case.due("county_gov_assign"))


def test_the_digest_of_a_round_does_not_depend_on_subprocess_ids(case, definition, deadline):
    """Replay rebuilds the parts with fresh ids; the state hash must still match (X4)."""
    case.start(bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "issue_notice", notice(bj(2026, 2, 13, 10)))
    started = case.at(bj(2026, 2, 12, 9))
    again = CaseInstance.start(definition, start_data(bj(2026, 2, 12, 9)), deadline, started)
    ready = again.ready_user_tasks()[0]
    again.complete(ready.task_id, notice(bj(2026, 2, 13, 10)), case.at(bj(2026, 2, 13, 10)))
    assert again.digest() == case.instance.digest()
    ours, theirs = again.workflow.subprocesses, case.instance.workflow.subprocesses
    assert len(ours) == len(theirs) == 3
    assert not set(ours) & set(theirs)
