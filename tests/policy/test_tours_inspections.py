"""The `[tours]` (DC4, GS2) and `[inspections]` (GS5) sections: what the seeds state is cited,
the rest local; a broken section is refused naming its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from keyproj.errors import PolicyError
from keyproj.policy import load_profile
from keyproj.policy.loader import PROFILE_DIR, load_profile_file


def test_dc4_gs2_tour_cadence_and_criteria():
    dc, gs = load_profile("dancheng"), load_profile("guangshan")
    assert (dc.tours.every_months, gs.tours.every_months) == (2, 1)  # type: ignore[union-attr]
    assert [(c.label, c.weight) for c in gs.tours.criteria] == [  # type: ignore[union-attr]
        ("形象进度", 30),
        ("投资完成", 30),
        ("现场管理", 20),
        ("问题解决", 20),
    ]
    assert gs.cite("tours.criteria").startswith("本地取值")
    assert (gs.tours.feeds_evaluation, gs.cite("tours.feeds_evaluation")) == (True, "GS2")  # type: ignore[union-attr]
    assert dc.tours.feeds_evaluation is False  # type: ignore[union-attr]
    assert load_profile("lianping").tours is None


def test_gs5_six_groups_weekly_and_findings_beside_the_ranking_as_a_local_choice():
    gs = load_profile("guangshan")
    rules = gs.inspections
    assert rules is not None
    assert (rules.group_count, rules.every_weeks, rules.groups[5]) == (6, 1, "县百城提质办")
    assert gs.cite("inspections.group_count") == "GS5"
    assert gs.cite("inspections.findings_beside_ranking").startswith("本地取值")
    assert load_profile("dancheng").inspections is None


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        (
            '{ key = "problems", label = "问题解决", weight = 20 }',
            '{ key = "problems", label = "问题解决", weight = 10 }',
            "tours",
            "total 100",
        ),
        (
            "group_count = { value = 6,",
            "group_count = { value = 5,",
            "inspections",
            "groups must name each",
        ),
    ],
)
def test_a_broken_section_is_refused_naming_it(tmp_path: Path, old, new, key, reason):
    text = (PROFILE_DIR / "guangshan.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "guangshan.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_profile_file(path)
    assert info.value.key == key
    assert reason in str(info.value)
