"""Every path of the warning-case diagram (X1, LP13–LP20), in memory, under time-machine.

Deadlines cross National Day 2025 (1–8 Oct off; Sun 28 Sep and Sat 11 Oct worked) and the
Spring Festival 2026 (15–23 Feb off; Sat 14 Feb and Sat 28 Feb worked).
"""

from __future__ import annotations

from datetime import datetime

from tests.builders.clock import bj
from tests.builders.engine import notice_parts
from tests.builders.forms import form

NOTICE = {"issue_notice": form("issue_notice")}
RESPONSE = {"respond": form("respond")}
RESOLVED = {"report_outcome": form("report_outcome")}
NOT_RESOLVED = {"report_outcome": form("report_outcome", result="not_resolved")}
ACCEPT = {"evaluate": form("evaluate")}
ESCALATE = {"evaluate": form("evaluate", decision="escalate", opinion="未解决，提请县政府协调")}
ASSIGN = {"county_gov_assign": form("county_gov_assign")}
COUNTY = {"county_gov_handle": form("county_gov_handle", decision="supervision")}
SUPERVISION_RESULT = {"supervision_result": form("supervision_result")}


def notice(issued: datetime) -> dict[str, object]:
    """The notice naming only a lead unit: one part, which answers for the whole case (LP13)."""
    return {
        **NOTICE,
        "notice_issued_at": issued.isoformat(),
        "notice_number": "连重点办预警〔2025〕1号",
        "parts": notice_parts(phases=0),
    }


def supervise(case, moment: datetime) -> None:
    """County government (LP16) hands it over, the supervision office files it and records the
    result."""
    assert case.waiting() == ["county_gov_assign"]
    case.submit(moment, "county_gov_assign", ASSIGN)
    assert case.waiting() == ["county_gov_handle"]
    case.submit(moment, "county_gov_handle", COUNTY)
    assert case.waiting() == ["supervision_file"]
    filed = {
        "supervision_file": form("supervision_file", due_date="2025-12-31"),
        "supervision_due": "2025-12-31T23:59:59+08:00",
    }
    case.submit(moment, "supervision_file", filed)
    assert case.waiting() == ["supervision_result"]
    assert case.due("supervision_result") == "2025-12-31T23:59:59+08:00"
    case.submit(moment, "supervision_result", SUPERVISION_RESULT)
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "supervised"


def test_lp13_lp17_on_time_and_resolved_across_national_day(case):
    case.start(bj(2025, 9, 30, 10))
    assert case.waiting() == ["issue_notice"]
    assert case.due("issue_notice") == "2025-10-11T23:59:59+08:00"  # LP13: 3 working days
    case.submit(bj(2025, 9, 30, 15), "issue_notice", notice(bj(2025, 9, 30, 15)))
    assert case.waiting() == ["respond"]
    assert case.due("respond") == "2025-10-11T23:59:59+08:00"  # LP17: 3 working days
    assert case.instance.data["outcome_due"] == "2025-10-21T23:59:59+08:00"  # LP17: 10
    case.submit(bj(2025, 10, 11, 23, 59, 59), "respond", RESPONSE)  # the last second counts
    assert case.waiting() == ["report_outcome"]
    assert case.fire(bj(2025, 10, 21, 18)) == []
    case.submit(bj(2025, 10, 21, 18), "report_outcome", RESOLVED)
    assert case.waiting() == ["evaluate"]
    case.submit(bj(2025, 10, 22, 9), "evaluate", ACCEPT)
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "handled"
    assert "escalation_reason" not in case.instance.data


def test_lp17_late_response_escalates_to_county_and_supervision_across_spring_festival(case):
    case.start(bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "issue_notice", notice(bj(2026, 2, 13, 10)))
    assert case.due("respond") == "2026-02-25T23:59:59+08:00"
    assert case.fire(bj(2026, 2, 25, 23, 59, 59)) == []  # not yet: the deadline is inclusive
    assert case.fire(bj(2026, 2, 26, 0, 0, 1)) == ["response_late"]
    assert case.instance.data["escalation_reason"] == "response_late"
    supervise(case, bj(2026, 2, 27, 10))


def test_lp17_late_outcome_escalates(case):
    case.start(bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "issue_notice", notice(bj(2026, 2, 13, 10)))
    assert (
        case.instance.data["outcome_due"] == "2026-03-05T23:59:59+08:00"
    )  # 10, two Saturdays worked
    case.submit(bj(2026, 2, 24, 9), "respond", RESPONSE)
    assert case.waiting() == ["report_outcome"]
    assert case.fire(bj(2026, 3, 6, 8)) == ["outcome_late"]
    assert case.instance.data["escalation_reason"] == "outcome_late"
    supervise(case, bj(2026, 3, 6, 10))


def test_outcome_not_accepted_escalates(case):
    case.start(bj(2025, 9, 30, 10))
    case.submit(bj(2025, 9, 30, 15), "issue_notice", notice(bj(2025, 9, 30, 15)))
    case.submit(bj(2025, 10, 9, 10), "respond", RESPONSE)
    case.submit(bj(2025, 10, 20, 10), "report_outcome", NOT_RESOLVED)
    case.submit(bj(2025, 10, 21, 10), "evaluate", ESCALATE)
    assert case.instance.data["escalation_reason"] == "not_accepted"
    supervise(case, bj(2025, 10, 22, 10))


def test_lp13_late_notice_is_reminded_not_dropped(case):
    case.start(bj(2025, 9, 30, 10))
    assert case.fire(bj(2025, 10, 12, 9)) == ["notice_overdue"]
    assert case.instance.workflow.get_tasks(spec_name="remind_notice")[0].data["notice_overdue"]
    assert case.waiting() == ["issue_notice"]  # still waiting: a reminder, not an escalation
    case.submit(bj(2025, 10, 13, 9), "issue_notice", notice(bj(2025, 10, 13, 9)))
    assert case.waiting() == ["respond"]
    assert case.due("respond") == "2025-10-16T23:59:59+08:00"


def test_submission_after_the_deadline_finds_the_task_gone(case):
    """The deadline race: a submission first fires due timers, so a late one cannot slip in."""
    case.start(bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "issue_notice", notice(bj(2026, 2, 13, 10)))
    now = case.at(bj(2026, 2, 26, 9))
    case.instance.fire_due_timers(now)
    assert "respond" not in case.waiting()
    assert case.waiting() == ["county_gov_assign"]


def test_profile_numbers_drive_the_deadlines(case):
    """One diagram serves every jurisdiction: the working days come from the case data."""
    case.start(bj(2025, 9, 30, 10), notice_working_days=5, response_working_days=2)
    assert case.due("issue_notice") == "2025-10-14T23:59:59+08:00"
    case.submit(bj(2025, 9, 30, 15), "issue_notice", notice(bj(2025, 9, 30, 15)))
    assert case.due("respond") == "2025-10-10T23:59:59+08:00"


# --- LP20: the supervision office's own filings and the filing's deadline ------------------


def filing(due_date: str) -> dict[str, object]:
    """The 督查立项 as the services complete it: the form and its end-of-day Beijing deadline."""
    return {
        "supervision_file": form("supervision_file", due_date=due_date),
        "supervision_number": "连督立〔2026〕1号",
        "supervision_due": f"{due_date}T23:59:59+08:00",
    }


def filing_due(case, ready: datetime) -> str:
    """The 督查立项's deadline as the services set it: working days from when it became ready."""
    task = next(t for t in case.instance.ready_user_tasks() if t.name == "supervision_file")
    return case.deadline(ready.isoformat(), task.due_working_days)


def test_lp20_a_filing_of_the_supervision_office_enters_at_the_filing_across_national_day(case):
    case.start(bj(2026, 9, 29, 9), entry="supervision")
    assert case.waiting() == ["supervision_file"]  # no LP13 notice, no triage
    assert "notice_due" not in case.instance.data
    # LP20: 10 working days from readiness; 1–7 Oct 2026 off, Sat 10 Oct worked.
    assert filing_due(case, bj(2026, 9, 29, 9)) == "2026-10-19T23:59:59+08:00"
    case.submit(bj(2026, 9, 30, 10), "supervision_file", filing("2026-09-30"))
    assert case.waiting() == ["supervision_result"]
    assert case.fire(bj(2026, 9, 30, 23, 59, 59)) == []  # the deadline's last second counts
    assert case.fire(bj(2026, 10, 1, 0, 0, 1)) == ["supervision_overdue"]
    # Non-interrupting: the matter turned overdue and the result is still awaited.
    assert case.instance.data["supervision_overdue"] is True
    assert case.waiting() == ["supervision_result"]
    assert case.fire(bj(2026, 10, 8, 9)) == []  # it reminds once
    case.submit(bj(2026, 10, 9, 10), "supervision_result", SUPERVISION_RESULT)
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "supervised"


def test_lp20_an_escalated_filing_past_its_deadline_stays_open_across_spring_festival(case):
    case.start(bj(2026, 2, 12, 9))
    case.submit(bj(2026, 2, 13, 10), "issue_notice", notice(bj(2026, 2, 13, 10)))
    assert case.fire(bj(2026, 2, 26, 0, 0, 1)) == ["response_late"]
    case.submit(bj(2026, 2, 26, 10), "county_gov_assign", ASSIGN)
    case.submit(bj(2026, 2, 26, 11), "county_gov_handle", COUNTY)
    assert case.waiting() == ["supervision_file"]
    case.submit(bj(2026, 2, 27, 10), "supervision_file", filing("2026-03-06"))
    assert case.due("supervision_result") == "2026-03-06T23:59:59+08:00"
    assert case.fire(bj(2026, 3, 7, 0, 0, 1)) == ["supervision_overdue"]
    assert case.waiting() == ["supervision_result"]
    case.submit(bj(2026, 3, 9, 10), "supervision_result", SUPERVISION_RESULT)
    assert case.instance.data["case_outcome"] == "supervised"


def test_lp20_a_found_problem_filed_before_spring_festival_gets_its_working_days(case):
    case.start(bj(2026, 2, 13, 9), entry="supervision")
    # Sat 14 Feb worked, 15–23 Feb off, Sat 28 Feb worked: the 10th working day is 5 March.
    assert filing_due(case, bj(2026, 2, 13, 9)) == "2026-03-05T23:59:59+08:00"
    case.submit(bj(2026, 3, 5, 10), "supervision_file", filing("2026-03-20"))
    case.submit(bj(2026, 3, 20, 23, 59, 59), "supervision_result", SUPERVISION_RESULT)
    assert case.instance.completed
    assert "supervision_overdue" not in case.instance.data
