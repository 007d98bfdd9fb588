"""Long matters (LP18 动态报告) and the key office's evaluation deadline, in memory.

LP18: units report coordination within 10 working days; 复杂及需较长时间跟进的工作 report
dynamically. The key office may put a matter on long-term follow-up: the lead unit then
reports every ``long_report_working_days`` (a local number), is reminded before each
deadline and flagged when late (the task stays open), until the key office accepts it resolved.

Deadlines cross Mid-Autumn and National Day 2026 (25–27 Sep and 1–7 Oct off; Sun 20 Sep and
Sat 10 Oct worked; chinesecalendar's 2026 schedule) and the
Spring Festival 2026 (15–23 Feb off; Sat 14 Feb and Sat 28 Feb worked).
"""

from __future__ import annotations

from datetime import datetime

from tests.builders.clock import bj
from tests.builders.engine import LEAD, InMemoryCase, notice_parts
from tests.builders.forms import form

LEAD_UNIT = LEAD  # the lead unit of notice_parts()
LONG_TERM = {
    "evaluate": form("evaluate", decision="long_term", opinion="征地涉及群众安置，需较长时间跟进")
}
ACCEPT = {"accept_long_resolution": form("accept_long_resolution")}
NOT_ACCEPTED = {
    "accept_long_resolution": form(
        "accept_long_resolution", decision="not_accepted", opinion="安置协议尚未全部签订"
    )
}


def report(resolved: str) -> dict[str, object]:
    return {"long_progress_report": form("long_progress_report", resolved=resolved)}


def to_evaluation(
    case: InMemoryCase, day: datetime, lead: int | None = LEAD_UNIT, **start: object
) -> None:
    """Start on ``day`` and take the case through the notice and the unit's round that day."""
    case.start(day, **start)
    notice = {
        "issue_notice": form("issue_notice"),
        "notice_issued_at": day.isoformat(),
        "notice_number": "连重点办预警〔2026〕1号",
        "parts": notice_parts(phases=0),
        **({"lead_unit_id": lead} if lead is not None else {}),
    }
    case.submit(day, "issue_notice", notice)
    case.submit(day, "respond", {"respond": form("respond")})
    case.submit(day, "report_outcome", {"report_outcome": form("report_outcome", result="partly")})
    assert case.waiting() == ["evaluate"]


def report_task(case: InMemoryCase):
    return next(t for t in case.instance.ready_user_tasks() if t.name == "long_progress_report")


def test_lp18_long_matter_two_cycles_one_late_then_accepted_across_national_day(case):
    to_evaluation(case, bj(2026, 9, 24, 10))
    case.submit(bj(2026, 9, 25, 9), "evaluate", LONG_TERM)
    assert case.waiting() == ["long_progress_report"]
    assert report_task(case).unit_id == LEAD_UNIT  # the lead unit alone reports
    data = case.instance.data
    assert data["long_cycle"] == 1
    # 10 working days from Fri 25 Sep (Mid-Autumn): 28–30 Sep, 8, 9, Sat 10 (worked), 12–15 Oct.
    assert case.due("long_progress_report") == "2026-10-15T23:59:59+08:00"
    assert data["long_report_remind_at"] == "2026-10-14T23:59:59+08:00"  # 1 working day before
    assert case.fire(bj(2026, 10, 13, 9)) == []
    case.submit(bj(2026, 10, 13, 10), "long_progress_report", report("no"))

    # Cycle 2 counts from the first report: due Tue 27 Oct, reminded after Mon 26 Oct.
    assert case.waiting() == ["long_progress_report"]
    assert case.instance.data["long_cycle"] == 2
    assert case.due("long_progress_report") == "2026-10-27T23:59:59+08:00"
    assert case.fire(bj(2026, 10, 26, 23, 59, 59)) == []
    assert case.fire(bj(2026, 10, 27, 0, 0, 1)) == ["long_report_remind"]
    assert case.waiting() == ["long_progress_report"]
    assert case.fire(bj(2026, 10, 28, 0, 0, 1)) == ["long_report_overdue"]
    assert case.waiting() == ["long_progress_report"]  # late: flagged, not taken away
    case.submit(bj(2026, 10, 28, 10), "long_progress_report", report("yes"))

    assert case.waiting() == ["accept_long_resolution"]
    case.submit(bj(2026, 10, 29, 9), "accept_long_resolution", ACCEPT)
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "handled"
    assert "escalation_reason" not in case.instance.data


def test_lp18_resolution_not_accepted_loops_again_across_spring_festival(case):
    to_evaluation(case, bj(2026, 2, 5, 10))
    case.submit(bj(2026, 2, 6, 9), "evaluate", LONG_TERM)
    # From Fri 6 Feb: 9–13 Feb, Sat 14 (worked), 24–27 Feb.
    assert case.due("long_progress_report") == "2026-02-27T23:59:59+08:00"
    assert case.fire(bj(2026, 2, 27, 0, 0, 1)) == ["long_report_remind"]
    assert case.fire(bj(2026, 2, 28, 0, 0, 1)) == ["long_report_overdue"]
    case.submit(bj(2026, 3, 2, 9), "long_progress_report", report("yes"))
    case.submit(bj(2026, 3, 3, 10), "accept_long_resolution", NOT_ACCEPTED)

    # Back in the loop: a new cycle, whose timers fire again (once per pass, not once per case).
    assert case.waiting() == ["long_progress_report"]
    assert case.instance.data["long_cycle"] == 2
    assert case.due("long_progress_report") == "2026-03-17T23:59:59+08:00"
    assert case.fire(bj(2026, 3, 17, 0, 0, 1)) == ["long_report_remind"]
    assert case.fire(bj(2026, 3, 18, 0, 0, 1)) == ["long_report_overdue"]
    assert case.waiting() == ["long_progress_report"]
    case.submit(bj(2026, 3, 18, 10), "long_progress_report", report("yes"))
    case.submit(bj(2026, 3, 19, 10), "accept_long_resolution", ACCEPT)
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "handled"


def test_lp18_profile_numbers_drive_the_report_cycle(case):
    """Guangshan reports every 5 working days, reminded 2 before (numbers from the case data)."""
    days = {"long_report_working_days": 5, "long_remind_working_days_before": 2}
    to_evaluation(case, bj(2026, 2, 5, 10), lead=None, **days)
    case.submit(bj(2026, 2, 6, 9), "evaluate", LONG_TERM)
    assert case.due("long_progress_report") == "2026-02-13T23:59:59+08:00"
    assert case.instance.data["long_report_remind_at"] == "2026-02-11T23:59:59+08:00"
    assert report_task(case).unit_id is None  # no lead unit recorded: the lane's units


def test_evaluation_overdue_is_flagged_and_the_task_stays_open_across_spring_festival(case):
    to_evaluation(case, bj(2026, 2, 12, 10))
    # 3 working days from Thu 12 Feb: Fri 13, Sat 14 (worked), Tue 24 after the holiday.
    assert case.due("evaluate") == "2026-02-24T23:59:59+08:00"
    assert case.fire(bj(2026, 2, 24, 23, 59, 59)) == []
    assert case.fire(bj(2026, 2, 25, 0, 0, 1)) == ["evaluate_overdue"]
    flagged = case.instance.workflow.get_tasks(spec_name="flag_evaluate_overdue")[0]
    assert flagged.data["evaluate_overdue"] is True
    assert case.waiting() == ["evaluate"]  # a reminder, not an escalation
    case.submit(bj(2026, 2, 25, 10), "evaluate", {"evaluate": form("evaluate")})
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "handled"


def test_evaluation_on_time_fires_nothing(case):
    to_evaluation(case, bj(2026, 9, 24, 10))
    # 3 working days from Thu 24 Sep: Mid-Autumn (25–27 Sep) is off, so Mon 28 to Wed 30.
    assert case.due("evaluate") == "2026-09-30T23:59:59+08:00"
    case.submit(bj(2026, 9, 30, 23, 59, 59), "evaluate", {"evaluate": form("evaluate")})
    assert case.instance.completed
    assert case.instance.next_timer_at() is None
