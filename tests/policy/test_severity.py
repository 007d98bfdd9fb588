"""The severity table of each profile (issue 15): every rule is placed, nothing unknown is accepted."""

from __future__ import annotations

from pathlib import Path

import pytest

from keyproj.errors import PolicyError
from keyproj.policy import load_profile
from keyproj.policy.loader import PROFILE_DIR, load_profile_file
from keyproj.policy.model import SEVERITY_RULES
from keyproj.rules import RULES

FIVE = ["alxa_left", "dancheng", "guangshan", "handan", "lianping"]
# Rule families whose ids carry a number or an origin: no_progress_2w, feedback_city_issue.
FAMILIES = {"no_progress", "feedback"}


def test_the_table_names_every_rule_of_the_scan_and_each_family():
    assert set(SEVERITY_RULES) == {rule.name for rule in RULES} | FAMILIES


@pytest.mark.parametrize("name", FIVE)
def test_each_profile_places_a_late_report_as_a_reminder_and_a_missing_one_as_a_case(name):
    profile = load_profile(name)
    assert profile.severity.of("report_overdue") == "reminder"
    assert profile.severity.of("report_missing") == "case"
    assert profile.reporting.grace_working_days >= 1
    assert profile.severity.of("progress_lag") == "case"
    # A warning the office raised by hand from its own supervision always opens a case.
    assert profile.severity.of("supervision_progress") == "case"
    for rule in SEVERITY_RULES:  # each value cites its clause or says why it is local
        assert profile.cite(f"severity.{rule}")


def test_families_follow_their_entry():
    gs, lp = load_profile("guangshan"), load_profile("lianping")
    assert gs.severity.of("no_progress_2w") == gs.severity.of("no_progress_3w") == "case"  # GS1
    assert lp.severity.of("no_progress_2w") == "board"
    assert lp.severity.of("feedback_province_issue") == lp.severity.feedback == "case"  # LP12


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = (PROFILE_DIR / "lianping.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "lianping.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


LAG = 'progress_lag = { value = "case", source = "LP11-1" }'


@pytest.mark.parametrize(
    ("new", "key", "reasons"),
    [
        (
            'progress_lagg = { value = "case", source = "LP11-1" }',
            "severity.progress_lagg",
            ["未知的规则“progress_lagg”", "report_missing"],
        ),
        (
            'progress_lag = { value = "warn", source = "LP11-1" }',
            "severity.progress_lag",
            ["未知的处置方式“warn”", "case（协调处置）", "reminder（提醒责任单位）", "board"],
        ),
        ('progress_lag = { value = "case" }', "severity.progress_lag", ["缺少出处"]),
    ],
)
def test_an_unknown_rule_or_severity_is_refused_naming_the_key(tmp_path, new, key, reasons):
    path = broken(tmp_path, LAG, new)
    with pytest.raises(PolicyError) as info:
        load_profile_file(path)
    assert info.value.key == key
    for reason in reasons:
        assert reason in str(info.value)


def test_a_rule_left_out_of_the_table_is_refused(tmp_path):
    path = broken(tmp_path, LAG + "\n", "")
    with pytest.raises(PolicyError) as info:
        load_profile_file(path)
    assert (info.value.key, "缺少必填的键" in str(info.value)) == ("severity.progress_lag", True)
