"""Guangshan's cases through the services (GS1), on SQLite and PostgreSQL: a stalled project's
TV questioning (电视问政) before the notice, proposed from the warning, reminded when overdue and
told on the case page; a plain warning's core path on Guangshan's own diagram; each replays (X4)."""

from __future__ import annotations

from datetime import datetime

import pytest

from keyproj.db.models import ProcessDefinition
from keyproj.services.cases import audit as case_audit
from keyproj.services.cases.repository import open_task_rows
from keyproj.services.cases.start import Matter, start_matters
from keyproj.services.cases.views.form_defaults import form_defaults
from keyproj.services.cases.views.pages import case_detail, task_detail
from keyproj.services.notifications import inbox as notifications
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.notifications import notified

PROGRAMME = "光山电视台《问政光山》"


@pytest.fixture
def guangshan(county: County) -> County:
    """The county's plant project, its people and its warning case, run under Guangshan's
    profile (and so its diagram)."""
    return county.under("guangshan")


def proposal(c: County, moment: datetime) -> dict[str, object]:
    """What the TV questioning's form offers the key office when it opens the task."""
    detail = task_detail(c.session, c.people["zdb"], c.task("tv_inquiry").id, c.at(moment))
    return form_defaults(detail)


def told(c: County, moment: datetime) -> list[str]:
    """The TV questioning as the case page's timeline tells it."""
    detail = case_detail(c.session, c.people["zdb"], c.case.id, c.at(moment))
    return [e.text for e in detail.timeline.entries if e.text and "电视问政" in e.text]


def test_gs1_a_two_week_stall_questions_the_unit_head_before_the_notice(guangshan):
    c = guangshan.with_stall(2).committed()
    c.start(bj(2026, 2, 12, 9))
    diagram = c.session.get(ProcessDefinition, c.case.definition_id)
    assert diagram is not None
    assert diagram.key == "guangshan_case"
    assert c.waiting() == ["tv_inquiry"]
    task = c.task("tv_inquiry")
    assert task.lane == "重点办"
    # With the notice's deadline: Fri 13, Sat 14 Feb (worked), Tue 24 Feb after the holiday.
    assert task.due_at == bj(2026, 2, 24, 23, 59, 59)
    assert proposal(c, bj(2026, 2, 12, 10)) == {
        "called_role": "unit_head",
        "person": "张明",
        "person_title": "城关镇主要负责人",
    }
    c.submit(
        "zdb",
        "tv_inquiry",
        bj(2026, 2, 13, 20),
        person_title="城关镇主要负责人",
        held_on="2026-02-13",
        programme=PROGRAMME,
    )
    assert c.waiting() == ["issue_notice"]
    assert c.task("issue_notice").due_at == bj(2026, 2, 24, 23, 59, 59)
    assert told(c, bj(2026, 2, 13, 21)) == [
        f"2026年2月13日，{PROGRAMME}对城关镇主要负责人张明（责任单位主要负责人）实行电视问政。"
    ]
    c.submit("zdb", "issue_notice", bj(2026, 2, 24, 10), drop=("phase_unit_codes",))
    assert c.waiting() == ["respond"]
    c.assert_replays()


def test_gs1_a_three_week_stall_questions_the_county_leader_reminded_when_overdue(guangshan):
    c = guangshan.with_stall(3).committed()
    c.start(bj(2026, 2, 12, 9))
    assert proposal(c, bj(2026, 2, 12, 10)) == {
        "called_role": "county_leader",
        "person": "李明",
        "person_title": "副县长",
    }
    c.sweep(bj(2026, 2, 25, 9))  # past 24 Feb: reminded, not taken away
    assert c.waiting() == ["tv_inquiry"]
    detail = case_detail(c.session, c.people["zdb"], c.case.id, c.at(bj(2026, 2, 25, 9)))
    assert "tv_inquiry" in detail.flagged
    whats = [e.what for e in detail.timeline.entries]
    assert "电视问政逾期，已发出提醒，任务仍待办理" in whats
    notifications.dispatch_case_events(c.session, c.at(bj(2026, 2, 25, 9, 5)))
    c.session.commit()
    [note] = notified(c.session, "task_overdue")["zdb"]
    assert "组织电视问政" in note.title
    c.submit(
        "zdb",
        "tv_inquiry",
        bj(2026, 2, 26, 20),
        called_role="county_leader",
        person="李明",
        person_title="副县长",
        held_on="2026-02-26",
        programme=PROGRAMME,
        commitments="一周内协调解决施工用电，恢复正常施工。",
    )
    assert c.waiting() == ["issue_notice"]
    assert told(c, bj(2026, 2, 26, 21)) == [
        f"2026年2月26日，{PROGRAMME}对副县长李明（分包县领导）实行电视问政。"
    ]
    # The notice arrives past its own deadline (24 Feb): its reminder fires in that same step,
    # logged on the timeline and flagged on the case like any other.
    detail = case_detail(c.session, c.people["zdb"], c.case.id, c.at(bj(2026, 2, 26, 21)))
    assert "issue_notice" in detail.flagged
    assert "通知逾期，已发出提醒，任务仍待办理" in [e.what for e in detail.timeline.entries]
    c.assert_replays()


def test_a_plain_warning_runs_the_core_path_on_guangshans_diagram(guangshan):
    c = guangshan
    c.start(bj(2026, 9, 29, 10))
    assert c.waiting() == ["issue_notice"]  # no TV questioning
    assert c.task("issue_notice").due_at == bj(2026, 10, 9, 23, 59, 59)  # 30 Sep, 8, 9 Oct
    c.submit("zdb", "issue_notice", bj(2026, 9, 30, 15), drop=("phase_unit_codes",))
    assert c.task("respond").due_at == bj(2026, 10, 10, 23, 59, 59)  # Sat 10 Oct worked
    c.answer_round(bj(2026, 10, 9, 10), bj(2026, 10, 16, 10))
    assert c.waiting() == ["evaluate"]
    c.submit("zdb", "evaluate", bj(2026, 10, 19, 10))
    c.session.refresh(c.case)
    assert (c.case.status, c.case.outcome) == ("closed", "handled")
    assert c.warning.status == "handled"
    c.assert_replays()


def test_gs1_a_matter_joining_a_stall_to_another_warning_still_holds_the_questioning(guangshan):
    """LP13 groups a project's warnings into one notice; the stall need not come first."""
    lag = guangshan.warning
    c = guangshan.with_stall(3).committed()
    matter = Matter((lag, c.warning), bj(2026, 2, 12, 9))
    [case] = start_matters(c.session, [matter], c.profile, c.at(bj(2026, 2, 12, 10)))
    c.session.commit()
    assert case.warning_id == lag.id
    assert [row.name for row in open_task_rows(c.session, case.id)] == ["tv_inquiry"]
    detail = task_detail(
        c.session,
        c.people["zdb"],
        open_task_rows(c.session, case.id)[0].id,
        c.at(bj(2026, 2, 12, 11)),
    )
    assert form_defaults(detail)["person"] == "李明"  # the 3-week warning calls the leader
    report = case_audit.replay_case(c.session, case.id)
    assert report.first_mismatch is None
    assert report.final_matches_stored
