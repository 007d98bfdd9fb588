"""Weeks without substantive progress (GS1): 2 weeks call the unit's head, 3 the county leader."""

from __future__ import annotations

from datetime import date

import pytest

from keyproj.errors import PolicyError
from keyproj.policy import load_profile
from keyproj.policy.loader import PROFILE_DIR, load_profile_file
from keyproj.rules import no_progress
from keyproj.services.scan.run import run_scan
from tests.builders.clock import beijing
from tests.builders.rules import found, keys

SATURDAY = date(2026, 4, 18)  # after week 16's Friday report


def weekly(county, project, *figures: tuple[int, str, str], **overrides):  # type: ignore[no-untyped-def]
    """Weekly reports: (ISO week of 2026, cumulative investment 万元, physical progress %)."""
    for week, invested, pct in figures:
        county.report(project, "weekly", f"2026-W{week:02d}", invested, pct, **overrides)


@pytest.fixture
def site(county, session):  # type: ignore[no-untyped-def]
    project = county.project("城关镇滨河公园建设工程", leader_name="李明")
    county.team(project, head="王强")
    return project


def test_GS1_two_weeks_without_progress_call_the_units_head(session, county, site):
    weekly(
        county, site, (10, "1000", "10"), (11, "1100", "11"), (12, "1100", "11"), (13, "1100", "11")
    )

    (warning,) = found(session, "guangshan", SATURDAY, no_progress.stalled)

    assert keys([warning]) == [("no_progress_2w", "2026-W12", "yellow")]
    assert warning.level == "progress"
    assert warning.evidence["called"] == {
        "role": "责任单位主要负责人",
        "unit": "城关镇",
        "name": "王强",
    }
    assert warning.evidence["summary"] == (
        "自2026年第12周起连续2周无实质进度（累计完成投资1,100万元、形象进度11%未增加），"
        "达到连续2周，按规定对责任单位主要负责人（城关镇王强）实行电视问政。"
    )


def test_GS1_one_week_without_progress_is_not_yet_a_warning(session, county, site):
    weekly(county, site, (10, "1000", "10"), (11, "1100", "11"), (12, "1100", "11"))

    assert found(session, "guangshan", SATURDAY, no_progress.stalled) == []


def test_GS1_either_measure_rising_is_progress(session, county, site):
    weekly(
        county, site, (10, "1000", "10"), (11, "1000", "12"), (12, "1100", "12"), (13, "1100", "13")
    )

    assert found(session, "guangshan", SATURDAY, no_progress.stalled) == []


def test_GS1_third_week_escalates_to_the_county_leader_once(session, county, site):
    profile = load_profile("guangshan")
    weekly(
        county, site, (10, "1000", "10"), (11, "1100", "11"), (12, "1100", "11"), (13, "1100", "11")
    )
    first = run_scan(
        session, profile, date(2026, 3, 28), beijing(date(2026, 3, 28)), start_cases=False
    )
    assert first.by_rule.get("no_progress_2w") == 1
    assert "no_progress_3w" not in first.by_rule

    weekly(county, site, (14, "1100", "11"))
    second = run_scan(
        session, profile, date(2026, 4, 4), beijing(date(2026, 4, 4)), start_cases=False
    )
    assert second.by_rule.get("no_progress_3w") == 1
    assert "no_progress_2w" not in second.by_rule  # the same stall: its 2-week warning stands

    candidates = found(session, profile, date(2026, 4, 4), no_progress.stalled)
    escalated = next(c for c in candidates if c.rule_id == "no_progress_3w")
    assert (escalated.period, escalated.colour) == ("2026-W12", "red")
    assert escalated.evidence["called"] == {"role": "分包县领导", "unit": "副县长", "name": "李明"}
    assert "按规定对分包县领导（副县长李明）实行电视问政" in escalated.evidence["summary"]

    weekly(county, site, (15, "1300", "13"), (16, "1300", "13"), (17, "1300", "13"))
    third = run_scan(
        session, profile, date(2026, 4, 25), beijing(date(2026, 4, 25)), start_cases=False
    )
    assert third.by_rule.get("no_progress_2w") == 1  # a new stall after progress resumed
    assert "no_progress_3w" not in third.by_rule


def test_GS1_a_stall_from_the_first_report_counts_and_a_missing_week_is_no_progress(
    session, county, site
):
    weekly(county, site, (10, "500", "5"), (12, "500", "5"))  # week 11 never reported

    (warning,) = found(session, "guangshan", SATURDAY, no_progress.stalled)
    assert (warning.rule_id, warning.period, warning.evidence["weeks"]) == (
        "no_progress_2w",
        "2026-W11",
        2,
    )


def test_GS1_projects_not_started_or_completed_are_not_judged(session, county):
    idle = county.project("未开工项目")
    weekly(
        county,
        idle,
        (10, "0", "0"),
        (11, "0", "0"),
        (12, "0", "0"),
        start_status="not_started",
        started_on=None,
        not_started_reason="征地拆迁工作尚未完成",
    )
    done = county.project("已竣工项目")
    weekly(
        county,
        done,
        (10, "900", "100"),
        (11, "900", "100"),
        (12, "900", "100"),
        start_status="completed",
    )

    assert found(session, "guangshan", SATURDAY, no_progress.stalled) == []


def test_GS1_profiles_without_the_rule_raise_nothing(session, county, site):
    weekly(
        county, site, (10, "1000", "10"), (11, "1000", "10"), (12, "1000", "10"), (13, "1000", "10")
    )

    assert found(session, "lianping", SATURDAY, no_progress.stalled) == []
    assert len(found(session, "guangshan", SATURDAY, no_progress.stalled)) == 2


def test_GS1_weeks_without_progress_need_weekly_reports(tmp_path):
    text = (PROFILE_DIR / "lianping.toml").read_text(encoding="utf-8")
    old = 'no_progress_weeks = { value = [], local = "连平规章未设周无进展问政机制" }'
    assert old in text
    path = tmp_path / "lianping.toml"
    path.write_text(
        text.replace(old, 'no_progress_weeks = { value = [2], source = "GS1" }'), encoding="utf-8"
    )

    with pytest.raises(PolicyError, match=r"reporting\.cycle = weekly"):
        load_profile_file(path)
