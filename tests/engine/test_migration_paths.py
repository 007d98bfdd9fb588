"""Moving a running instance to another version of its diagram (X3), in memory.

The notice is issued on Wed 30 Sep 2026; National Day (1–7 Oct) is off and Sat 10 Oct is worked:
3 working days end on Sat 10 Oct, 5 on Tue 13 Oct.
"""

from __future__ import annotations

import pytest

from keyproj.engine import compile_definition
from keyproj.engine.migration import MigrationRefused, migrate, plan_migration
from tests.builders.clock import bj
from tests.builders.diagrams import core, response_in, without_county_gov_assign
from tests.builders.engine import LEAD, PHASE_DEPT, PHASE_TOWN
from tests.builders.forms import form
from tests.engine.test_unit_parts_paths import RESOLVED, RESPONSE, notice

FIVE_DAYS = compile_definition(response_in(5), "warning_case")


def issued(case):
    case.start(bj(2026, 9, 29, 10))
    case.submit(bj(2026, 9, 30, 15), "issue_notice", notice(bj(2026, 9, 30, 15)))


def move(case, target):
    """Migrate the case's instance as the services do, then round-trip it."""
    case._instance, plan = migrate(case.instance, target, case.deadline)
    case.definition = target
    case.round_trip()
    return plan


def test_x3_lp17_a_moved_case_counts_the_new_response_days_from_its_notice_not_from_now(case):
    issued(case)
    case.at(bj(2026, 10, 9, 16))  # the move happens days after the notice
    data = case.instance.data
    plan = move(case, FIVE_DAYS)
    assert case.instance.data == data  # the case's data as it stood (notice date and all)
    assert {(d.key, d.before, d.after, d.anchor) for d in plan.deadlines} == {
        (
            "response_due",
            "2026-10-10T23:59:59+08:00",
            "2026-10-13T23:59:59+08:00",
            "notice_issued_at",
        )
    }
    # Each unit's own part: the case-level copy of the date guards nothing any more.
    assert sorted(d.part_unit_id for d in plan.deadlines) == [LEAD, PHASE_TOWN, PHASE_DEPT]
    assert case.due("respond", LEAD) == "2026-10-13T23:59:59+08:00"
    # The old deadline passes without escalating; the new one escalates the late lead (LP16).
    assert case.fire(bj(2026, 10, 12, 9)) == []
    case.submit(bj(2026, 10, 12, 10), "respond", RESPONSE, unit=PHASE_TOWN)
    assert case.fire(bj(2026, 10, 14, 0, 0, 1)) == ["response_late"]
    assert case.waiting() == ["county_gov_assign"]


def test_x3_a_part_that_already_responded_keeps_its_dates_the_others_are_recounted(case):
    issued(case)
    case.submit(bj(2026, 10, 9, 9), "respond", RESPONSE, unit=LEAD)
    plan = move(case, FIVE_DAYS)
    assert sorted(d.part_unit_id for d in plan.deadlines) == [PHASE_TOWN, PHASE_DEPT]
    assert case.due("report_outcome", LEAD) == "2026-10-20T23:59:59+08:00"  # LP17: 10, unchanged
    assert case.due("respond", PHASE_TOWN) == "2026-10-13T23:59:59+08:00"


def test_x3_a_case_past_its_units_round_has_no_deadline_to_recount(case):
    case.start(bj(2026, 9, 29, 10))
    case.submit(bj(2026, 9, 30, 15), "issue_notice", notice(bj(2026, 9, 30, 15), phases=0))
    case.submit(bj(2026, 10, 9, 9), "respond", RESPONSE)
    case.submit(bj(2026, 10, 9, 10), "report_outcome", RESOLVED)
    assert case.waiting() == ["evaluate"]
    plan = move(case, FIVE_DAYS)
    assert plan.movable
    assert plan.deadlines == []
    case.submit(bj(2026, 10, 10, 9), "evaluate", {"evaluate": form("evaluate")})
    assert case.instance.data["case_outcome"] == "handled"


def test_x3_a_case_waiting_on_a_removed_node_is_refused_and_untouched(case):
    case.start(bj(2026, 9, 29, 10))
    routed = notice(bj(2026, 9, 30, 15))
    routed["issue_notice"] = form("issue_notice", routing="county_government")
    case.submit(bj(2026, 9, 30, 15), "issue_notice", routed)
    assert case.waiting() == ["county_gov_assign"]
    before = case.instance.digest()
    target = compile_definition(without_county_gov_assign(), "warning_case")
    blockers = plan_migration(case.instance, target).blockers
    # The task and its reminder timer, both waiting, both gone.
    assert [(b.element_id, b.name) for b in blockers] == [
        ("county_gov_assign", "县府办提请分管领导协调（LP16）"),
        ("county_gov_assign_overdue", "交办逾期"),
    ]
    assert all("正在等待" in b.reason for b in blockers)
    with pytest.raises(MigrationRefused):
        migrate(case.instance, target, case.deadline)
    assert case.instance.digest() == before


def test_x3_a_completed_node_changed_refuses_the_move(case):
    issued(case)
    changed = core().replace(
        '<spiffworkflow:property name="form" value="issue_notice" />',
        '<spiffworkflow:property name="form" value="respond" />',
    )
    [blocker] = plan_migration(case.instance, compile_definition(changed, "warning_case")).blockers
    assert blocker.element_id == "issue_notice"
    assert "已完成" in blocker.reason


def test_x3_a_deadline_counted_from_now_cannot_be_re_anchored(case):
    issued(case)
    part_script = "response_due = working_deadline(notice_issued_at, 5)\noutcome_due = working_deadline(notice_issued_at, outcome_working_days)\nrespond = None"
    changed = response_in(5).replace(
        part_script, part_script.replace("notice_issued_at, 5", "now(), 5", 1)
    )
    assert changed != response_in(5)
    blockers = plan_migration(case.instance, compile_definition(changed, "warning_case")).blockers
    assert [b.element_id for b in blockers] == ["part_deadlines"]  # once, not once per unit
    assert "起算" in blockers[0].reason


def test_x3_a_renamed_waiting_task_moves_and_keeps_its_task(case):
    issued(case)
    renamed = compile_definition(
        core().replace('name="受理并开展协调"', 'name="受理"'), "warning_case"
    )
    ids = [t.task_id for t in case.instance.ready_user_tasks()]
    plan = move(case, renamed)
    assert plan.movable
    assert not plan.deadlines
    assert [t.task_id for t in case.instance.ready_user_tasks()] == ids
    assert {t.title for t in case.instance.ready_user_tasks()} == {"受理"}
