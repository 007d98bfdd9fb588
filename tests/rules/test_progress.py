"""Progress against the plan to date (LP11-1, LP7, HD3) and central-funds projects (LP11-2)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from keyproj.policy import load_profile
from keyproj.rules import progress
from keyproj.services.scan.run import run_scan
from tests.builders.clock import beijing
from tests.builders.rules import found, keys

MONTHLY = [  # Jan–Apr: 1000 万元 a month, 10 points of physical progress a month
    ("2026-01", "1000", "10"),
    ("2026-02", "1000", "20"),
    ("2026-03", "1000", "30"),
    ("2026-04", "1000", "40"),
]
TODAY = date(2026, 4, 1)  # March has ended: its report is judged (issue 15)
UNDER_WAY = date(2026, 3, 26)  # March has not ended


@pytest.mark.parametrize(
    ("annual", "pct", "expected"),
    [
        ("2100", "30", [("progress_lag", "2026-03", "yellow")]),  # exactly 70%: yellow band
        ("2099", "30", [("progress_lag", "2026-03", "red")]),  # just below 70%: red
        ("2700", "30", []),  # exactly 90%: blue, not a warning colour
        ("3300", "33", []),  # ahead of plan: green
        ("3000", "20", [("progress_lag", "2026-03", "red")]),  # physical progress 2/3 of plan
    ],
)
def test_LP11_1_lag_colour_follows_the_profile_bands(session, county, annual, pct, expected):
    project = county.project()
    county.plan(project, 2026, MONTHLY)
    county.report(project, "monthly", "2026-02", "1500", "15")
    county.report(project, "monthly", "2026-03", annual, pct)

    assert keys(found(session, "lianping", TODAY, progress.lagging)) == expected


@pytest.mark.parametrize("rule", [progress.lagging, progress.central_funds])
def test_LP11_a_report_of_a_period_under_way_raises_no_lag_until_the_period_ends(
    session, county, rule
):
    """Issue 15: a March report filed on 26 March is not held against all of March's plan."""
    project = county.project("中央预算内投资项目", central_funds=True, level="central_budget")
    county.plan(project, 2026, MONTHLY)
    county.report(project, "monthly", "2026-02", "2000", "20")  # on plan to February
    county.report(project, "monthly", "2026-03", "2100", "21")  # a part-month's work

    assert found(session, "lianping", UNDER_WAY, rule) == []
    (warning,) = found(session, "lianping", TODAY, rule)
    assert (warning.period, warning.evidence["report_period"]) == ("2026-03", "2026-03")


def test_LP11_a_period_under_way_is_judged_by_the_newest_ended_report(session, county):
    """Issue 15: while March runs, February's report (behind its plan) is the one judged."""
    project = county.project()
    county.plan(project, 2026, MONTHLY)
    county.report(project, "monthly", "2026-02", "1000", "10")  # half of February's plan
    county.report(project, "monthly", "2026-03", "3000", "30")  # caught up, March not over

    (warning,) = found(session, "lianping", UNDER_WAY, progress.lagging)
    assert (warning.period, warning.colour) == ("2026-02", "red")
    assert found(session, "lianping", TODAY, progress.lagging) == []


def test_LP11_1_evidence_quotes_plan_and_actual_figures(session, county):
    project = county.project()
    county.plan(project, 2026, MONTHLY)
    county.report(project, "monthly", "2026-03", "2100", "21")

    (warning,) = found(session, "lianping", TODAY, progress.lagging)

    assert warning.level == "progress"
    assert warning.project_id == project.id
    evidence = warning.evidence
    assert json.loads(json.dumps(evidence)) == evidence  # plain JSON: Decimals became strings
    assert evidence["planned_investment"] == "3000.0000"
    assert evidence["completed_investment"] == "2100.0000"
    assert evidence["investment_ratio"] == "0.7000"
    assert evidence["progress_ratio"] == "0.7000"
    assert evidence["requirements"][0] == "LP11-1"
    assert evidence["basis"].startswith("LP11-1")
    assert "2026年3月建设进度滞后于序时进度（黄色）" in evidence["summary"]
    assert "序时计划3,000万元" in evidence["summary"]


def test_LP11_1_zero_plan_to_date_raises_nothing(session, county):
    """A project planned to start in April has nothing planned by March: nothing can lag."""
    project = county.project()
    county.plan(project, 2026, [("2026-03", "0", "0"), ("2026-04", "5000", "20")])
    county.report(
        project,
        "monthly",
        "2026-03",
        start_status="not_started",
        started_on=None,
        not_started_reason="施工招标正在进行",
    )

    assert found(session, "lianping", TODAY, progress.lagging) == []


def test_LP7_project_not_started_against_a_plan_that_expected_work_is_red(session, county):
    project = county.project()
    county.plan(project, 2026, MONTHLY)
    county.report(
        project,
        "monthly",
        "2026-03",
        start_status="not_started",
        started_on=None,
        not_started_reason="征地拆迁工作尚未完成",
    )

    (warning,) = found(session, "lianping", TODAY, progress.lagging)
    assert warning.colour == "red"
    assert warning.evidence["ratio"] == "0.0000"


def test_LP11_1_completed_project_and_project_without_plan_raise_nothing(session, county):
    done = county.project("已竣工项目")
    county.plan(done, 2026, MONTHLY)
    county.report(done, "monthly", "2026-03", "500", "100", start_status="completed")
    unplanned = county.project("无计划项目")  # LP6's business, not a lag
    county.report(unplanned, "monthly", "2026-03", "0", "0")

    assert found(session, "lianping", TODAY, progress.lagging) == []


def test_GS7_weekly_report_is_measured_pro_rata_within_the_month_and_warned_once_a_month(
    session, county
):
    profile = load_profile("guangshan")
    project = county.project()
    county.plan(project, 2026, [("2026-03", "3100", "31"), ("2026-04", "3000", "61")])
    # Week 11 ends on 15 March: 15 of March's 31 days are gone, so 1500 万元 and 15% are due.
    county.report(project, "weekly", "2026-W11", "1050", "15")

    (warning,) = found(session, profile, date(2026, 3, 16), progress.lagging)
    assert (warning.period, warning.colour) == ("2026-03", "yellow")
    assert warning.evidence["planned_investment"] == "1500.0000"
    assert warning.evidence["planned_progress_pct"] == "15.0000"
    assert warning.evidence["report_period"] == "2026-W11"

    first = run_scan(
        session, profile, date(2026, 3, 16), beijing(date(2026, 3, 16)), start_cases=False
    )
    assert first.by_rule["progress_lag"] == 1
    county.report(project, "weekly", "2026-W12", "1100", "16")  # worse, still March
    second = run_scan(
        session, profile, date(2026, 3, 23), beijing(date(2026, 3, 23)), start_cases=False
    )
    assert second.found_by_rule["progress_lag"] == 1
    assert "progress_lag" not in second.by_rule  # one progress warning per project a month


def test_AL6_semimonthly_report_against_a_quarterly_plan(session, county):
    project = county.project(total_investment=Decimal(30000))
    county.plan(
        project, 2026, [("2026-Q1", "9000", "30"), ("2026-Q2", "9000", "60")], kind="quarterly"
    )
    # The first half of March ends on day 74 of the quarter's 90: 7400 万元 are due.
    county.report(project, "semimonthly", "2026-03-1", "5180", "30")

    (warning,) = found(session, "alxa_left", date(2026, 3, 16), progress.lagging)
    assert (warning.period, warning.colour) == ("2026-03", "yellow")
    assert warning.evidence["planned_investment"] == "7400.0000"
    assert warning.evidence["investment_ratio"] == "0.7000"


@pytest.mark.parametrize("profile_name", ["lianping", "handan"])
@pytest.mark.parametrize(
    ("annual", "expected"),
    [
        ("2850", [("central_funds", "2026-03", "blue")]),  # 95%: below the ministries' 100%
        ("3000", []),  # exactly on plan
        ("1800", [("central_funds", "2026-03", "red")]),
    ],
)
def test_LP11_2_central_funds_project_below_the_required_ratio(
    session, county, profile_name, annual, expected
):
    central = county.project("中央预算内投资项目", central_funds=True, level="central_budget")
    county.plan(central, 2026, MONTHLY)
    county.report(central, "monthly", "2026-03", annual, "30")
    ordinary = county.project("县级项目")
    county.plan(ordinary, 2026, MONTHLY)
    county.report(ordinary, "monthly", "2026-03", annual, "30")

    candidates = found(session, profile_name, TODAY, progress.central_funds)
    assert keys(candidates) == expected
    assert all(c.project_id == central.id for c in candidates)
    if expected:
        assert "未达到100.0%的要求" in candidates[0].evidence["summary"]
