"""The decided item's diagram (bpmn/decided_item.bpmn) in memory: the owner's task with its
deadline, the reminder before it and the overdue flag at it (both leave the task open), the
office's 督办 task, acceptance or a new deadline (GS6), the state round-tripped at every step.

The deadlines cross National Day 2026 (1–7 Oct off; Sat 10 Oct worked) and the Spring Festival
2026 (15–23 Feb off; Sat 14 Feb worked), as the services compute them (decisions.deadlines).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from chinese_calendar import constants

from keyproj.calendar import WorkCalendar
from keyproj.engine import CompiledDefinition
from keyproj.services.decisions.deadlines import item_deadlines
from tests.builders.clock import FrozenClock, bj
from tests.builders.engine import Deadline, InMemoryCase, compiled_diagram
from tests.builders.forms import form

OWNER = 21
CALENDAR = WorkCalendar.build(
    {d.year for d in constants.holidays}, constants.holidays, constants.workdays
)


@pytest.fixture
def case(deadline: Deadline, clock: FrozenClock) -> InMemoryCase:
    """A decided item's case, not yet started."""
    return InMemoryCase(decided_item(), deadline, clock)


def decided_item() -> CompiledDefinition:
    return compiled_diagram("decided_item")


def item_start(due_on: date, accountable: bool = False) -> dict[str, Any]:
    """The start data the services give an item's case (two working days' reminder)."""
    return {
        "entry": "decided_item",
        "owner_unit_id": OWNER,
        "matter": "完成供电线路迁改",
        "item_round": 1,
        "item_overdue_count": 0,
        "decided_item_accountability": accountable,
        **item_deadlines(CALENDAR, due_on, 2),
    }


def test_the_owner_is_reminded_on_the_second_working_day_before_across_national_day(case):
    case.start(bj(2026, 9, 28, 10), **item_start(date(2026, 10, 9)))
    assert case.waiting() == ["carry_out_item"]
    [task] = case.instance.ready_user_tasks()
    assert (task.unit_id, case.due("carry_out_item")) == (OWNER, "2026-10-09T23:59:59+08:00")
    assert case.fire(bj(2026, 9, 30, 8, 59)) == []
    assert case.fire(bj(2026, 9, 30, 9, 0, 1)) == ["item_remind"]  # Wednesday 30 September
    assert case.waiting() == ["carry_out_item"]
    assert case.instance.data["item_reminded_round"] == 1


def test_the_reminder_before_the_spring_festival_falls_on_its_working_saturday(case):
    case.start(bj(2026, 2, 10, 10), **item_start(date(2026, 2, 25)))
    assert case.fire(bj(2026, 2, 14, 9, 0, 1)) == ["item_remind"]  # Saturday 14 February


def test_past_the_deadline_the_item_is_flagged_and_goes_to_the_office(case):
    case.start(bj(2026, 9, 28, 10), **item_start(date(2026, 10, 9)))
    case.fire(bj(2026, 9, 30, 9, 1))
    assert case.fire(bj(2026, 10, 9, 23, 59, 59)) == []  # the deadline's last second counts
    assert case.fire(bj(2026, 10, 10, 0, 0, 1)) == ["item_overdue"]
    assert case.waiting() == ["carry_out_item", "item_overdue_review"]
    data = case.instance.data
    assert (data["escalation_reason"], data["item_overdue_round"]) == ("item_overdue", 1)
    case.submit(
        bj(2026, 10, 12, 10),
        "item_overdue_review",
        {"item_overdue_review": form("item_overdue_review")},
    )
    case.submit(bj(2026, 10, 13, 10), "carry_out_item", {"carry_out_item": form("carry_out_item")})
    case.submit(bj(2026, 10, 13, 15), "accept_item", {"accept_item": form("accept_item")})
    assert case.instance.completed
    assert case.instance.data["case_outcome"] == "item_done"


def test_gs6_not_accepted_goes_back_with_the_new_deadline_and_its_reminder(case):
    case.start(bj(2026, 9, 28, 10), **item_start(date(2026, 10, 9)))
    case.submit(bj(2026, 10, 8, 10), "carry_out_item", {"carry_out_item": form("carry_out_item")})
    assert case.waiting() == ["accept_item"]
    refused = form(
        "accept_item", decision="not_accepted", opinion="未通过验收", new_due_date="2026-10-23"
    )
    # What the hook adds: the new deadline and its reminder (Wednesday 21 October).
    case.submit(
        bj(2026, 10, 8, 15),
        "accept_item",
        {"accept_item": refused, **item_deadlines(CALENDAR, date(2026, 10, 23), 2)},
    )
    assert case.waiting() == ["carry_out_item"]
    assert case.due("carry_out_item") == "2026-10-23T23:59:59+08:00"
    assert case.instance.data["item_round"] == 2
    assert case.fire(bj(2026, 10, 10, 0, 0, 1)) == []  # the old deadline no longer runs
    assert case.fire(bj(2026, 10, 21, 9, 0, 1)) == ["item_remind"]
    assert case.fire(bj(2026, 10, 24, 0, 0, 1)) == ["item_overdue"]
    assert case.instance.data["item_overdue_round"] == 2
    assert not case.instance.completed
