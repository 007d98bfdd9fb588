"""HD6's triggers the system finds itself: two rankings in the bottom three (之一), a ledger
start or completion date missed (之二), a leader's instruction past its day (之三); each
proposed once."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from keyproj.codes import InterviewTrigger
from keyproj.db.models import Interview
from keyproj.services.instructions.commands import give_instruction
from keyproj.services.interviews.detect import bottom_twice, ledger_dates_missed
from keyproj.services.interviews.lifecycle import propose
from keyproj.services.interviews.register import settings_of
from tests.builders import factories
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.interviews import HANDAN, NOW, stored_run, unit_id
from tests.builders.notifications import notified

SETTINGS = settings_of(HANDAN)


@pytest.fixture
def departments(county: County) -> County:
    for code, name in (("D02", "市水利局"), ("D03", "市教育局"), ("D04", "市卫健委")):
        factories.unit(county.session, code, name, "county_department")
    return county


def test_hd6_bottom_three_in_two_rankings_of_the_year_is_proposed_with_both_runs(
    session, departments
):
    # Q1: 县交通运输局 80% first; 水利 40%, 教育 50%, 卫健 60% are the bottom three.
    q1 = stored_run(session, "2026-Q1", {"D01": "0.8", "D02": "0.4", "D03": "0.5", "D04": "0.6"})
    # Q2: 卫健 climbs to first; 水利 again last, so 水利 and 教育 were in the bottom three twice.
    q2 = stored_run(session, "2026-Q2", {"D01": "0.7", "D02": "0.3", "D03": "0.5", "D04": "0.9"})
    found = {f.unit_id: f for f in bottom_twice(session, SETTINGS, date(2026, 7, 10))}
    # 卫健 was bottom in Q1 only; 交通 in Q2 only (the other three were below it in Q1).
    assert set(found) == {unit_id(session, "D02"), unit_id(session, "D03")}
    water = found[unit_id(session, "D02")]
    assert water.subject == "2026:2026-Q1+2026-Q2"
    assert [(r["run_id"], r["rank"], r["rate"]) for r in water.evidence["runs"]] == [
        (q1.id, 4, "40.00%"),
        (q2.id, 4, "30.00%"),
    ]
    assert water.reason.startswith(
        "市水利局在2026年2次排名通报中均排在后3位：2026年第1季度第4名（完成率40.00%）、"
        "2026年第2季度第4名（完成率30.00%）。"
    )
    assert "不要求连续" in water.reason


def test_hd6_a_resaved_ranking_counts_once_and_the_newest_run_of_the_period_decides(
    session, departments
):
    stored_run(session, "2026-Q1", {"D01": "0.8", "D02": "0.4", "D03": "0.5", "D04": "0.6"})
    # Q1 saved again after a late report: 水利 now first; the same period is one 通报.
    stored_run(session, "2026-Q1", {"D01": "0.8", "D02": "0.95", "D03": "0.5", "D04": "0.6"})
    stored_run(session, "2026-Q2", {"D01": "0.7", "D02": "0.3", "D03": "0.5", "D04": "0.9"})
    units = {f.unit_id for f in bottom_twice(session, SETTINGS, date(2026, 7, 10))}
    assert unit_id(session, "D02") not in units
    assert unit_id(session, "D03") in units  # 50% in both


def test_hd6_rankings_of_two_years_are_not_two_of_one_year(session, departments):
    stored_run(session, "2025-Q4", {"D01": "0.8", "D02": "0.4", "D03": "0.5", "D04": "0.6"})
    stored_run(session, "2026-Q1", {"D01": "0.7", "D02": "0.3", "D03": "0.5", "D04": "0.9"})
    assert list(bottom_twice(session, SETTINGS, date(2026, 4, 10))) == []


def test_hd6_a_missed_ledger_start_is_late_the_day_after_and_a_reported_start_is_not(
    session, county
):
    late = county.project("城关镇未开工项目", planned_start=date(2026, 3, 1))
    begun = county.project("城关镇已开工项目", planned_start=date(2026, 3, 1))
    county.report(begun, "monthly", "2026-03", start_status="started")
    county.report(late, "monthly", "2026-03", start_status="not_started", started_on=None)
    # A draft saying it started is no reported start.
    county.report(late, "monthly", "2026-04", status="draft", start_status="started")
    assert list(ledger_dates_missed(session, SETTINGS, date(2026, 3, 1))) == []
    found = list(ledger_dates_missed(session, SETTINGS, date(2026, 3, 2)))
    assert [(f.project_ids, f.subject) for f in found] == [
        ([late.id], f"project:{late.id}:start:2026-03-01")
    ]
    assert found[0].unit_id == late.lead_unit_id
    assert "台账计划2026-03-01开工" in found[0].reason
    assert "2026-03进度报告为“未开工”" in found[0].reason


def test_hd6_a_missed_completion_is_proposed_unless_completion_was_reported(session, county):
    open_ = county.project(
        "城关镇未竣工项目", planned_start=date(2025, 3, 1), planned_completion=date(2026, 4, 30)
    )
    done = county.project(
        "城关镇已竣工项目", planned_start=date(2025, 3, 1), planned_completion=date(2026, 4, 30)
    )
    county.report(open_, "monthly", "2026-04", start_status="started")
    county.report(done, "monthly", "2026-04", start_status="completed")
    found = list(ledger_dates_missed(session, SETTINGS, date(2026, 5, 6)))
    assert [(f.project_ids, f.evidence["which"]) for f in found] == [([open_.id], "completion")]


def test_hd6_proposals_are_stored_once_and_the_key_office_is_told(session, county):
    county.with_people("zdb")
    county.project("城关镇未开工项目", planned_start=date(2026, 3, 1))
    made = propose(session, HANDAN, date(2026, 5, 6), NOW, None)
    assert [(r.trigger, r.state.value, r.created_by_id) for r in made] == [
        (InterviewTrigger.LEDGER_DATE_MISSED, "proposed", None)
    ]
    assert propose(session, HANDAN, date(2026, 5, 7), NOW, None) == []
    assert session.scalar(select(func.count()).select_from(Interview)) == 1
    told = notified(session, "interview_proposed")
    assert list(told) == ["zdb"]
    assert "城关镇未开工项目" in told["zdb"][0].body


def test_hd6_a_leaders_instruction_past_its_day_unanswered_is_proposed(session, county):
    county.with_warning_case()
    county.link_leader("leader01")
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    now = county.at(bj(2026, 2, 14, 9))
    text = "请城关镇三日内拿出解决方案"
    row = give_instruction(
        session, county.people["leader01"], county.case.id, text, "2026-02-20", now
    )
    later = give_instruction(
        session, county.people["leader01"], county.case.id, "月底前开工", "2026-02-28", now
    )
    session.commit()
    assert propose(session, HANDAN, date(2026, 2, 20), NOW, None) == []
    made = propose(session, HANDAN, date(2026, 2, 21), NOW, None)
    assert [(r.trigger, r.unit.code, [p.id for p in r.projects]) for r in made] == [
        (InterviewTrigger.REQUIREMENT_NOT_ACTED, "T01", [county.projects["plant"].id])
    ]
    assert made[0].evidence == {
        "instruction_id": row.id,
        "case_id": county.case.id,
        "leader": "李挂钩",
        "text": "请城关镇三日内拿出解决方案",
        "due_on": "2026-02-20",
    }
    assert later.id != row.id
    assert "请城关镇三日内拿出解决方案" in made[0].reason
