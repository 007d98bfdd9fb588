"""Issues unresolved too long (LP11-3) and urgent issues past their working days (LP9, X5)."""

from __future__ import annotations

from datetime import date

import pytest

from keyproj.policy import load_profile
from keyproj.rules import issues
from keyproj.services.scan.run import run_scan
from tests.builders.clock import beijing
from tests.builders.rules import found, keys


@pytest.mark.parametrize("profile_name", ["lianping", "guangshan"])
def test_LP11_3_issue_open_exactly_one_month_is_not_late(session, county, profile_name):
    project = county.project()
    issue = county.issue(project, "剩余12户房屋征收补偿协议未签订", date(2026, 1, 5))

    assert found(session, profile_name, date(2026, 2, 5), issues.unresolved) == []
    (warning,) = found(session, profile_name, date(2026, 2, 6), issues.unresolved)

    assert (warning.rule_id, warning.period, warning.level) == (
        "issue_unresolved",
        f"issue-{issue.id}",
        "issue",
    )
    assert warning.evidence["due_on"] == "2026-02-05"
    assert warning.evidence["days_overdue"] == 1
    assert warning.evidence["issue_category"] == "征地拆迁"
    assert "超过1个月（2026-02-05）仍未协调解决" in warning.evidence["summary"]
    assert "负责协调单位：城关镇" in warning.evidence["summary"]


def test_LP11_3_a_month_from_31_january_ends_on_28_february(session, county):
    county.issue(county.project(), "10千伏高压线迁改未完成", date(2026, 1, 31))

    assert found(session, "lianping", date(2026, 2, 28), issues.unresolved) == []
    assert len(found(session, "lianping", date(2026, 3, 1), issues.unresolved)) == 1


def test_HD2_handan_waits_two_months(session, county):
    county.issue(county.project(), "专项债券资金拨付滞后", date(2026, 1, 5))

    assert found(session, "handan", date(2026, 3, 5), issues.unresolved) == []
    assert len(found(session, "handan", date(2026, 3, 6), issues.unresolved)) == 1
    assert len(found(session, "lianping", date(2026, 3, 5), issues.unresolved)) == 1


def test_LP11_3_resolved_issue_and_each_open_issue_counted_on_its_own(session, county):
    project = county.project()
    county.issue(project, "已解决的问题", date(2026, 1, 5), status="resolved")
    first = county.issue(project, "施工许可证办理受阻", date(2026, 1, 6))
    second = county.issue(project, "交通导改方案待审批", date(2026, 1, 7), category="coordination")

    candidates = found(session, "lianping", date(2026, 3, 1), issues.unresolved)
    assert [c.period for c in candidates] == [f"issue-{first.id}", f"issue-{second.id}"]


@pytest.mark.parametrize("profile_name", ["lianping", "alxa_left"])
def test_LP9_urgent_issue_over_national_day_counts_working_days(session, county, profile_name):
    """Found on 30 September 2025: 1–8 October are holidays and Saturday 11 October is a
    make-up working day, so the three working days end on 11 October."""
    project = county.project()
    urgent = county.issue(project, "村民阻工，急需协调", date(2025, 9, 30), urgent=True)
    county.issue(project, "不急的问题", date(2025, 9, 30))

    for today in (date(2025, 10, 9), date(2025, 10, 11)):
        assert found(session, profile_name, today, issues.urgent) == [], today
    (warning,) = found(session, profile_name, date(2025, 10, 12), issues.urgent)

    assert keys([warning]) == [("urgent_issue", f"issue-{urgent.id}", "red")]
    assert warning.level == "urging"  # LP13 重点事项催办
    assert warning.evidence["due_on"] == "2025-10-11"
    assert "3个工作日期限（2025-10-11）已过" in warning.evidence["summary"]


def test_LP9_evidence_shows_the_clause_or_the_local_choice_behind_the_deadline(session, county):
    """The case page's 预警依据 tells a deadline set by a clause from one a county chose."""
    county.issue(county.project(), "村民阻工，急需协调", date(2026, 3, 2), urgent=True)
    today = date(2026, 3, 6)

    (cited,) = found(session, "lianping", today, issues.urgent)
    (chosen,) = found(session, "alxa_left", today, issues.urgent)

    assert cited.evidence["basis"] == "LP9"
    assert chosen.evidence["basis"] == "本地取值：办法未定，取3个工作日"
    assert cited.evidence["requirements"] == chosen.evidence["requirements"] == ["LP9", "LP13"]


def test_LP9_urgent_issue_in_an_ordinary_week(session, county):
    county.issue(county.project(), "高压线迁改", date(2026, 3, 2), urgent=True)  # a Monday

    assert found(session, "lianping", date(2026, 3, 5), issues.urgent) == []  # Thursday: day 3
    assert len(found(session, "lianping", date(2026, 3, 6), issues.urgent)) == 1


def test_X5_a_year_without_holiday_data_is_reported_not_guessed(session, county):
    county.issue(county.project(), "年末急需协调的问题", date(2026, 12, 30), urgent=True)
    today = date(2027, 1, 6)

    result = run_scan(session, load_profile("lianping"), today, beijing(today), start_cases=False)

    assert "urgent_issue" not in result.by_rule
    assert "2027年的节假日安排尚未录入" in result.errors["urgent_issue"]


def test_LP11_3_an_issue_awaiting_the_key_office_to_confirm_its_closing_is_still_unresolved(
    session, county
):
    issue = county.issue(county.project(), "剩余12户房屋征收补偿协议未签订", date(2026, 1, 5))
    issue.status = "close_requested"
    assert len(found(session, "lianping", date(2026, 2, 6), issues.unresolved)) == 1
    issue.status = "resolved"
    assert found(session, "lianping", date(2026, 2, 6), issues.unresolved) == []
