"""A missing annual plan (LP6, HD1) and reports not in by their due day (LP8, AL6, HD2, GS1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from keyproj.rules import plans, reports
from keyproj.services.projects.plans import PlanData, PlanPeriodData, draft_version
from tests.builders.clock import beijing
from tests.builders.rules import found, keys

PLAN_ROWS = [("2026-04", "1000", "10")]


@pytest.mark.parametrize("profile_name", ["lianping", "guangshan"])
def test_LP6_plan_is_due_one_month_after_approval(session, county, profile_name):
    project = county.project(approved_on=date(2026, 3, 10))

    assert found(session, profile_name, date(2026, 4, 10), plans.missing) == []
    (warning,) = found(session, profile_name, date(2026, 4, 11), plans.missing)

    assert keys([warning]) == [("plan_missing", "2026", "yellow")]
    assert warning.level == "urging"
    assert warning.project_id == project.id
    assert warning.evidence["due_on"] == "2026-04-10"
    assert "2026年度建设计划应于2026-04-10前报送" in warning.evidence["summary"]

    county.plan(project, 2026, PLAN_ROWS)
    assert found(session, profile_name, date(2026, 4, 11), plans.missing) == []


def test_LP6_a_plan_not_yet_approved_does_not_count(session, county):
    project = county.project(approved_on=date(2026, 3, 10))
    rows = [PlanPeriodData("2026-04", Decimal("1000"), Decimal("10"))]
    draft_version(session, None, project, 2026, PlanData(Decimal("1000"), rows), "monthly")

    assert len(found(session, "lianping", date(2026, 4, 11), plans.missing)) == 1


def test_LP6_project_approved_last_year_files_this_years_plan_within_january(session, county):
    county.project(approved_on=date(2025, 6, 1))

    assert found(session, "lianping", date(2026, 2, 1), plans.missing) == []
    assert found(session, "lianping", date(2026, 2, 2), plans.missing)[0].evidence["due_on"] == (
        "2026-02-01"
    )


def test_HD1_handan_plan_is_not_due_before_the_end_of_february(session, county):
    county.project(approved_on=date(2026, 1, 5))

    assert found(session, "handan", date(2026, 2, 28), plans.missing) == []
    assert len(found(session, "handan", date(2026, 3, 1), plans.missing)) == 1
    assert len(found(session, "lianping", date(2026, 2, 6), plans.missing)) == 1


def test_LP6_project_without_approval_date_or_in_use_is_not_asked(session, county):
    county.project(approved_on=None)
    county.project("已投用项目", approved_on=date(2026, 1, 5), stage="in_use")

    assert found(session, "lianping", date(2026, 6, 1), plans.missing) == []


# --- reports ------------------------------------------------------------------------------


def test_LP8_monthly_report_is_due_by_the_25th(session, county):
    project = county.project()
    county.report(project, "monthly", "2026-02")

    assert found(session, "lianping", date(2026, 3, 25), reports.overdue) == []  # February's done
    (warning,) = found(session, "lianping", date(2026, 3, 26), reports.overdue)

    assert keys([warning]) == [("report_overdue", "2026-03", "yellow")]
    assert warning.level == "urging"
    assert warning.evidence["report_status"] == "missing"
    assert warning.evidence["days_late"] == 1
    assert (
        warning.evidence["summary"]
        == "2026年3月月报应于2026-03-25前报送，未报送（截至2026-03-26）。"
    )


def test_LP8_report_in_by_midnight_of_the_due_day_is_on_time_a_minute_later_is_late(
    session, county
):
    on_time, late = county.project("按时"), county.project("逾期")
    county.report(on_time, "monthly", "2026-03", submitted=beijing(date(2026, 3, 25), 23, 59))
    county.report(late, "monthly", "2026-03", submitted=beijing(date(2026, 3, 26), 0, 1))

    (warning,) = found(session, "lianping", date(2026, 3, 30), reports.overdue)
    assert warning.project_id == late.id
    assert warning.colour == "blue"
    assert "于2026-03-26报送，逾期1天" in warning.evidence["summary"]


def test_AL6_report_waiting_for_the_heads_signature_is_not_submitted(session, county):
    project = county.project()
    county.report(project, "semimonthly", "2026-03-1", status="pending_sign_off")
    draft = county.project("草稿")
    county.report(draft, "semimonthly", "2026-03-1", status="draft")

    candidates = found(session, "alxa_left", date(2026, 3, 15), reports.overdue)  # due 14th
    assert keys(candidates) == [("report_overdue", "2026-03-1", "yellow")] * 2
    summaries = sorted(c.evidence["summary"] for c in candidates)
    assert summaries == [
        "2026年3月上半月半月报应于2026-03-14前报送，仍为草稿，未报送（截至2026-03-15）。",
        "2026年3月上半月半月报应于2026-03-14前报送，待单位负责人签字，未报送（截至2026-03-15）。",
    ]


def test_GS1_weekly_report_is_due_on_friday(session, county):
    project = county.project()
    county.report(project, "weekly", "2026-W11")

    assert found(session, "guangshan", date(2026, 3, 20), reports.overdue) == []  # Friday
    (warning,) = found(session, "guangshan", date(2026, 3, 21), reports.overdue)
    assert warning.period == "2026-W12"
    assert warning.evidence["due_on"] == "2026-03-20"


def test_HD2_handan_reports_the_month_by_the_5th_of_the_next(session, county):
    county.project()

    assert [c.period for c in found(session, "handan", date(2026, 3, 5), reports.overdue)] == [
        "2026-01"
    ]
    assert [c.period for c in found(session, "handan", date(2026, 3, 6), reports.overdue)] == [
        "2026-02"
    ]


def test_LP8_project_listed_after_the_period_or_in_use_is_not_asked(session, county):
    county.project("三月新列项目", approved_on=date(2026, 4, 2))
    county.project("已投用项目", stage="in_use")

    assert found(session, "lianping", date(2026, 3, 26), reports.overdue) == []
