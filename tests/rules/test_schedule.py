"""Ledger start and completion dates missed (HD6, AL7, LP7) and the AL2 start rate."""

from __future__ import annotations

from datetime import date

import pytest

from keyproj.rules import schedule
from tests.builders.rules import found, keys


@pytest.mark.parametrize("profile_name", ["handan", "alxa_left"])
def test_HD6_planned_start_passed_without_a_start(session, county, profile_name):
    project = county.project(planned_start=date(2026, 3, 1), planned_completion=date(2027, 6, 30))
    county.report(
        project,
        "monthly",
        "2026-02",
        start_status="not_started",
        started_on=None,
        not_started_reason="施工图设计审查未完成",
        expected_start=date(2026, 4, 15),
    )

    assert found(session, profile_name, date(2026, 3, 1), schedule.start_overdue) == []
    (warning,) = found(session, profile_name, date(2026, 3, 2), schedule.start_overdue)

    assert keys([warning]) == [("start_overdue", "2026-03-01", "red")]
    assert warning.level == "progress"
    assert warning.evidence["days_overdue"] == 1
    assert warning.evidence["summary"] == (
        "计划于2026-03-01开工，已逾期1天仍未开工；未开工原因：施工图设计审查未完成；"
        "预计开工：2026-04-15。"
    )


def test_AL7_a_reported_start_or_a_construction_stage_means_started(session, county):
    reported = county.project("已报开工", planned_start=date(2026, 3, 1))
    county.report(reported, "monthly", "2026-03", started_on=date(2026, 3, 3))
    county.project("阶段为主体施工", planned_start=date(2026, 3, 1), stage="under_construction")
    county.project("未到开工日期", planned_start=date(2026, 5, 1))

    assert found(session, "lianping", date(2026, 4, 1), schedule.start_overdue) == []


@pytest.mark.parametrize("profile_name", ["handan", "lianping"])
def test_HD6_planned_completion_passed_without_completion(session, county, profile_name):
    late = county.project(
        "逾期未竣工", planned_start=date(2025, 3, 1), planned_completion=date(2026, 6, 30)
    )
    county.report(late, "monthly", "2026-06", "900", "95")
    done = county.project(
        "已竣工", planned_start=date(2025, 3, 1), planned_completion=date(2026, 6, 30)
    )
    county.report(done, "monthly", "2026-06", "1000", "100", start_status="completed")
    county.project("验收中", planned_completion=date(2026, 6, 30), stage="acceptance")

    assert found(session, profile_name, date(2026, 6, 30), schedule.completion_overdue) == []
    (warning,) = found(session, profile_name, date(2026, 7, 3), schedule.completion_overdue)
    assert (warning.project_id, warning.period) == (late.id, "2026-06-30")
    assert warning.evidence["summary"] == "计划于2026-06-30竣工，已逾期3天仍未竣工。"


def _year_of_projects(county, started: int, total: int = 10) -> None:
    """``total`` projects due to start this year, ``started`` of them by 10 June."""
    for n in range(total):
        project = county.project(f"项目{n:02d}", nature="new", planned_start=date(2026, 5, 1))
        if n < started:
            county.report(project, "semimonthly", "2026-06-1", started_on=date(2026, 6, 10))
    county.project("前期项目", nature="preliminary")  # not due to start: not counted


def test_AL2_exactly_seventy_percent_by_30_june_is_on_target(session, county):
    _year_of_projects(county, started=7)

    assert found(session, "alxa_left", date(2026, 7, 1), schedule.start_rate) == []


def test_AL2_start_rate_below_target_is_a_portfolio_warning(session, county):
    _year_of_projects(county, started=6)

    assert found(session, "alxa_left", date(2026, 6, 30), schedule.start_rate) == []  # not yet
    (warning,) = found(session, "alxa_left", date(2026, 7, 1), schedule.start_rate)

    assert warning.project_id is None  # for the key office, not one project
    assert keys([warning]) == [("start_rate", "2026-06-30", "yellow")]  # 0.6 ÷ 0.7 = 0.857
    evidence = warning.evidence
    assert (evidence["projects"], evidence["started"], evidence["start_rate"]) == (10, 6, "0.6000")
    assert [p["name"] for p in evidence["not_started"]] == [f"项目{n:02d}" for n in range(6, 10)]
    assert "开工率60.0%，低于70.0%的目标" in evidence["summary"]


def test_AL2_each_passed_checkpoint_is_judged_as_of_its_day(session, county):
    _year_of_projects(county, started=8)  # 80%: enough for June, not for September's 90%

    candidates = found(session, "alxa_left", date(2026, 10, 1), schedule.start_rate)
    assert [c.period for c in candidates] == ["2026-09-30"]
    assert found(session, "lianping", date(2026, 10, 1), schedule.start_rate) == []  # no targets


def test_AL2_dancheng_year_end_target_is_judged_in_january(session, county):
    _year_of_projects(county, started=9)

    (warning,) = found(session, "dancheng", date(2027, 1, 1), schedule.start_rate)
    assert (warning.period, warning.colour) == ("2026-12-31", "blue")  # 90% of 100%
