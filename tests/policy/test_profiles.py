"""Policy profiles: the five jurisdictions load with their numbers; broken or uncited files are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from keyproj.errors import PolicyError
from keyproj.policy import available_profiles, load_profile
from keyproj.policy.loader import PROFILE_DIR, load_profile_file

FIVE = ["alxa_left", "dancheng", "guangshan", "handan", "lianping"]


def test_five_jurisdictions_are_shipped_and_load_under_their_names():
    assert available_profiles() == FIVE
    assert [load_profile(name).profile.id for name in FIVE] == FIVE


def test_lp_numbers():
    lp = load_profile("lianping")
    assert (lp.reporting.cycle, lp.reporting.due_days) == ("monthly", [25])  # LP8
    assert lp.cite("reporting.due_days").startswith("LP8")
    assert lp.deadlines.notice_working_days == 3
    assert lp.cite("deadlines.notice_working_days") == "LP13"
    assert (lp.deadlines.response_working_days, lp.deadlines.outcome_working_days) == (
        3,
        10,
    )  # LP17
    assert lp.deadlines.handling_report_working_days == 10  # LP18
    assert lp.warnings.unresolved_issue_months == 1  # LP11
    assert lp.warnings.spot_check_min_investment_wan == 50000  # LP10: 5亿元
    assert lp.bulletin.due_day_of_month == 11  # LP19: 每月11日前, on or before the 11th


def test_al_hd_gs_numbers():
    al, hd, gs = load_profile("alxa_left"), load_profile("handan"), load_profile("guangshan")
    assert (al.reporting.cycle, al.reporting.due_days) == ("semimonthly", [14, 28])  # AL6
    assert al.reporting.sign_off_by_unit_head
    assert al.reporting.start_report_same_day  # AL6, AL7
    assert [(t.by, t.rate) for t in al.starts.targets] == [
        ("06-30", 0.7),
        ("09-30", 0.9),
        ("10-31", 1.0),
    ]
    assert (hd.reporting.due_days, hd.reporting.due_in_next_month) == ([5], True)  # HD2
    assert hd.ranking.bottom_n == 3
    assert hd.cite("ranking.bottom_n") == "HD5"
    assert gs.reporting.cycle == "weekly"
    assert gs.warnings.no_progress_weeks == [2, 3]  # GS1
    assert (gs.ranking.top_n, gs.ranking.bottom_n) == (2, 2)  # GS2
    assert (
        sum(
            (
                al.scoring.procedures,
                al.scoring.start_rate,
                al.scoring.milestones,
                al.scoring.reporting,
                al.scoring.issue_handling,
            )
        )
        == 100
    )  # AL12


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = (PROFILE_DIR / "lianping.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "lianping.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        (
            'notice_working_days = { value = 3, source = "LP13" }',
            'notice_wd = { value = 3, source = "LP13" }',
            "deadlines.notice_wd",
            "未知的键",
        ),
        (
            'notice_working_days = { value = 3, source = "LP13" }',
            'notice_working_days = { value = "3", source = "LP13" }',
            "deadlines.notice_working_days",
            "integer",
        ),
        (
            'notice_working_days = { value = 3, source = "LP13" }',
            "notice_working_days = { value = 3 }",
            "deadlines.notice_working_days",
            "缺少出处",
        ),
        (
            'notice_working_days = { value = 3, source = "LP13" }',
            'notice_working_days = { value = 3, source = "第十三条" }',
            "deadlines.notice_working_days",
            "不是条款编号",
        ),
        (
            'cycle = { value = "monthly", source = "LP8" }',
            'cycle = { value = "daily", source = "LP8" }',
            "reporting.cycle",
            "daily",
        ),
        (
            'diagram = { value = "warning_case",',
            'diagram = { value = "Warning Case!",',
            "process.diagram",
            "pattern",
        ),
        (
            'issue_handling = { value = 15, local = "同上" }',
            'issue_handling = { value = 16, local = "同上" }',
            "scoring",
            "add up to 101",
        ),
    ],
)
def test_broken_profile_names_the_file_and_the_key(tmp_path, old, new, key, reason):
    path = broken(tmp_path, old, new)
    with pytest.raises(PolicyError) as info:
        load_profile_file(path)
    assert info.value.path == str(path)
    assert info.value.key == key
    assert reason in str(info.value)
    assert str(path) in str(info.value)


def test_unknown_profile_name_lists_the_known_ones():
    with pytest.raises(PolicyError, match="lianping"):
        load_profile("nowhere")


def test_a_countys_own_profile_file_is_read_from_its_path(tmp_path):
    """A county copies a shipped profile and changes it (issue 15: automatic first notices)."""
    text = (PROFILE_DIR / "lianping.toml").read_text(encoding="utf-8")
    own = tmp_path / "示范县.toml"
    own.write_text(
        text.replace("auto_notice = { value = false", "auto_notice = { value = true"),
        encoding="utf-8",
    )
    assert load_profile(str(own)).triage.auto_notice is True
    assert load_profile("lianping").triage.auto_notice is False
    with pytest.raises(PolicyError, match="政策配置文件不存在"):
        load_profile(str(tmp_path / "missing.toml"))


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        (  # a handling level outside the three of LP14–16
            'value = { lead_unit_kind = "town", handling = "town" }',
            'value = { lead_unit_kind = "town", handling = "village" }',
            "routing.rows.town_led.handling",
            "village",
        ),
        (  # a unit kind that is not a code of keyproj.codes
            'value = { lead_unit_kind = "town", handling = "town" }',
            'value = { lead_unit_kind = "township", handling = "town" }',
            "routing.rows.town_led",
            "未知的代码“township”",
        ),
        (  # an issue category that is not a code
            'value = { issue_category = "land", handling = "town" }',
            'value = { issue_category = "landslide", handling = "town" }',
            "routing.rows.local_land",
            "未知的代码“landslide”",
        ),
        (  # a row without its clause or local reason
            'value = { issue_category = "land", handling = "town" }\nsource = "LP14-2"',
            'value = { issue_category = "land", handling = "town" }',
            "routing.rows.local_land",
            "缺少出处",
        ),
        (  # no default row
            "[routing.rows.default]",
            "[routing.rows.fallback]",
            "routing",
            "缺少默认行",
        ),
    ],
)
def test_LP14_LP16_a_bad_routing_table_is_refused_naming_the_key(tmp_path, old, new, key, reason):
    path = broken(tmp_path, old, new)
    with pytest.raises(PolicyError) as info:
        load_profile_file(path)
    assert info.value.key == key
    assert reason in str(info.value)


def test_LP14_LP16_lianping_rows_cite_their_clauses_and_the_default_is_local():
    lp = load_profile("lianping")
    assert lp.cite("routing.rows.town_led") == "LP14-1"
    assert lp.cite("routing.rows.local_land") == "LP14-2"
    assert lp.cite("routing.rows.approval") == "LP15-2"
    assert lp.cite("routing.rows.cross_department").startswith("LP16-2 / 本地取值：")
    assert lp.cite("routing.rows.default").startswith("本地取值：")
    assert list(lp.routing.rows)[-1] == "default"


def test_each_profile_names_the_diagram_its_cases_run_on():
    for name in available_profiles():
        profile = load_profile(name)
        assert (PROFILE_DIR.parents[2] / "bpmn" / f"{profile.process.diagram}.bpmn").is_file()
        assert profile.cite("process.diagram")


def test_hd6_only_handan_sets_interviews_and_its_numbers_cite_the_clause():
    interviews = load_profile("handan").interviews
    assert interviews is not None
    assert (interviews.bottom_places, interviews.rankings, interviews.ledger_grace_days) == (
        3,
        2,
        0,
    )
    hd = load_profile("handan")
    assert hd.cite("interviews.bottom_places").startswith("HD6")
    assert hd.cite("interviews.rankings").startswith("HD6")
    assert hd.cite("interviews.reminder_days_before").startswith("本地取值：")
    others = [n for n in available_profiles() if n != "handan"]
    assert [load_profile(n).interviews for n in others] == [None] * len(others)
