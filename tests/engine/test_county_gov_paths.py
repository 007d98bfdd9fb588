"""The county government's paths of the warning-case diagram (LP16), in memory, under time-machine.

LP16: the county government coordinates what the notice routes to it and what the units could not
solve; 县府办 asks the leader in charge to coordinate; an especially major matter gets an on-site
office meeting whose minutes' follow-up items 县府办 supervises. Deadlines cross National Day 2026
(1–7 Oct off, Sat 10 Oct worked) and the Spring Festival 2026 (15–23 Feb off; Sat 14 and 28 Feb
worked). Every step round-trips the stored state (InMemoryCase).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.builders.clock import bj
from tests.builders.engine import follow_up_item, notice_parts, onsite_meeting
from tests.builders.forms import form

ASSIGN = {"county_gov_assign": form("county_gov_assign")}
RESOLVED = {"county_gov_handle": form("county_gov_handle")}
TO_SUPERVISION = {"county_gov_handle": form("county_gov_handle", decision="supervision")}


def notice(issued: datetime, routing: str = "county_government") -> dict[str, Any]:
    """The notice as the key office issues it (the hook's number and time included)."""
    return {
        "issue_notice": form("issue_notice", routing=routing),
        "notice_issued_at": issued.isoformat(),
        "notice_number": "连重点办预警〔2026〕1号",
        "parts": notice_parts(phases=0),  # the lead unit answers alone (LP13)
    }


def check(decision: str) -> dict[str, Any]:
    """县府办's check of the minutes' implementation."""
    return {"county_gov_follow_up_check": form("county_gov_follow_up_check", decision=decision)}


def routed(case, moment: datetime) -> None:
    """Start a case and issue a notice routed to the county government at ``moment``."""
    case.start(moment)
    case.submit(moment, "issue_notice", notice(moment))


def items_waiting(case) -> list[tuple[int | None, str]]:
    """(owner unit, deadline) of each follow-up item waiting for its owner."""
    return [
        (t.unit_id, t.due_at.isoformat() if t.due_at else "")
        for t in case.instance.ready_user_tasks()
        if t.name == "follow_up_item"
    ]


def report(case, moment: datetime, unit_id: int) -> None:
    """The owner unit reports its item done (the item is found by its unit)."""
    now = case.at(moment)
    case.instance.fire_due_timers(now)
    task = next(
        t
        for t in case.instance.ready_user_tasks()
        if t.name == "follow_up_item" and t.unit_id == unit_id
    )
    case.instance.complete(task.task_id, {"follow_up_item": form("follow_up_item")}, now)
    case.round_trip()


def test_lp16_notice_routed_to_county_government_skips_the_unit_round(case):
    routed(case, bj(2026, 9, 29, 10))
    assert case.waiting() == ["county_gov_assign"]  # no respond / report_outcome round
    assert case.instance.data["escalation_reason"] == "routed"
    assert case.due("county_gov_assign") == "2026-10-09T23:59:59+08:00"  # 3 days over National Day
    case.submit(bj(2026, 9, 30, 10), "county_gov_assign", ASSIGN)
    assert case.waiting() == ["county_gov_handle"]
    assert case.due("county_gov_handle") == "2026-10-20T23:59:59+08:00"  # 10 working days


def test_lp16_other_routings_still_go_to_the_unit_round(case):
    case.start(bj(2026, 9, 29, 10))
    case.submit(bj(2026, 9, 29, 10), "issue_notice", notice(bj(2026, 9, 29, 10), "town"))
    assert case.waiting() == ["respond"]
    assert "escalation_reason" not in case.instance.data


def test_lp16_county_government_resolves_and_closes_without_supervision(case):
    routed(case, bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "county_gov_assign", ASSIGN)
    assert case.due("county_gov_handle") == "2026-03-05T23:59:59+08:00"  # over Spring Festival
    case.submit(bj(2026, 2, 24, 10), "county_gov_handle", RESOLVED)
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "county_resolved"
    assert case.waiting() == []  # no supervision filing


def test_lp16_county_government_hands_over_to_supervision(case):
    routed(case, bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "county_gov_assign", ASSIGN)
    case.submit(bj(2026, 2, 24, 10), "county_gov_handle", TO_SUPERVISION)
    assert case.waiting() == ["supervision_file"]


def test_lp16_onsite_meeting_items_run_in_parallel_and_an_overdue_one_stays_open(case):
    routed(case, bj(2026, 9, 28, 9))
    case.submit(bj(2026, 9, 29, 10), "county_gov_assign", ASSIGN)
    town, dept = follow_up_item(5, "T01", "2026-10-09"), follow_up_item(6, "D01", "2026-10-20")
    case.submit(bj(2026, 9, 30, 10), "county_gov_handle", onsite_meeting(town, dept))
    assert items_waiting(case) == [
        (5, "2026-10-09T23:59:59+08:00"),
        (6, "2026-10-20T23:59:59+08:00"),
    ]
    assert case.fire(bj(2026, 10, 9, 23, 59, 59)) == []  # the last second still counts
    assert case.fire(bj(2026, 10, 10, 0, 0, 1)) == ["follow_up_overdue"]
    assert len(items_waiting(case)) == 2  # overdue, reminded, still open until done
    report(case, bj(2026, 10, 12, 10), 6)
    assert items_waiting(case) == [(5, "2026-10-09T23:59:59+08:00")]
    assert "county_gov_follow_up_check" not in case.waiting()  # not before every item is done
    report(case, bj(2026, 10, 13, 10), 5)
    assert case.waiting() == ["county_gov_follow_up_check"]
    case.submit(bj(2026, 10, 14, 10), "county_gov_follow_up_check", check("implemented"))
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "county_resolved"


def test_lp16_each_overdue_item_fires_its_own_timer(case):
    routed(case, bj(2026, 9, 28, 9))
    case.submit(bj(2026, 9, 29, 10), "county_gov_assign", ASSIGN)
    first, second = follow_up_item(5, "T01", "2026-10-09"), follow_up_item(6, "D01", "2026-10-12")
    case.submit(bj(2026, 9, 30, 10), "county_gov_handle", onsite_meeting(first, second))
    assert case.fire(bj(2026, 10, 10, 9)) == ["follow_up_overdue"]
    assert case.fire(bj(2026, 10, 13, 9)) == ["follow_up_overdue"]  # the second item's, later
    assert case.instance.next_timer_at() is None


def test_lp16_follow_up_not_implemented_goes_to_supervision(case):
    routed(case, bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "county_gov_assign", ASSIGN)
    case.submit(
        bj(2026, 2, 13, 11),
        "county_gov_handle",
        onsite_meeting(follow_up_item(5, "T01", "2026-03-02")),
    )
    report(case, bj(2026, 2, 27, 10), 5)
    case.submit(bj(2026, 3, 2, 10), "county_gov_follow_up_check", check("not_implemented"))
    assert case.waiting() == ["supervision_file"]
    assert not case.instance.completed


def test_lp16_county_tasks_overdue_timers_remind_and_keep_the_task(case):
    routed(case, bj(2026, 2, 12, 9))
    # Fri 13 and the worked Sat 14 Feb, then the Spring Festival: the third day is Tue 24 Feb.
    assert case.due("county_gov_assign") == "2026-02-24T23:59:59+08:00"
    assert case.fire(bj(2026, 2, 24, 23, 59, 59)) == []
    assert case.fire(bj(2026, 2, 25, 9)) == ["county_gov_assign_overdue"]
    assert case.waiting() == ["county_gov_assign"]  # reminded, not moved on
    case.submit(bj(2026, 2, 25, 10), "county_gov_assign", ASSIGN)
    assert case.due("county_gov_handle") == "2026-03-10T23:59:59+08:00"  # Sat 28 Feb worked
    assert case.fire(bj(2026, 3, 11, 9)) == ["county_gov_handle_overdue"]
    assert case.waiting() == ["county_gov_handle"]
    case.submit(bj(2026, 3, 11, 10), "county_gov_handle", RESOLVED)
    assert case.instance.data["case_outcome"] == "county_resolved"


def test_lp16_escalated_case_reaches_the_county_path(case):
    """A unit that did not respond in time (LP17) is escalated to 县府办's assignment."""
    case.start(bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "issue_notice", notice(bj(2026, 2, 13, 10), "town"))
    assert case.fire(bj(2026, 2, 26, 0, 0, 1)) == ["response_late"]
    assert case.waiting() == ["county_gov_assign"]
    assert case.due("county_gov_assign") == "2026-03-02T23:59:59+08:00"  # from the escalation
