"""The `[composite]` section (GS2): the seed says the tours count, the weights and the scale are
local choices with their reasons; a broken section is refused naming its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from keyproj.errors import PolicyError
from keyproj.policy import load_profile
from keyproj.policy.loader import PROFILE_DIR, available_profiles, load_profile_file


def test_gs2_guangshan_counts_tours_in_both_evaluations_with_local_weights():
    gs = load_profile("guangshan")
    rules = gs.composite
    assert rules is not None
    assert (rules.investment_weight, rules.tours_weight, rules.full_marks_rate) == (70, 30, 1.0)
    assert rules.counts("half_year")
    assert rules.counts("year_end")
    assert gs.cite("composite.counts_in") == "GS2"
    assert "主要考核投资目标完成情况" in gs.cite("composite.investment_weight")
    assert gs.cite("composite.tours_weight").startswith("本地取值")


def test_profiles_whose_seed_does_not_count_tours_have_no_composite():
    others = [name for name in available_profiles() if name != "guangshan"]
    assert others
    assert all(load_profile(name).composite is None for name in others)


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("tours_weight = { value = 30,", "tours_weight = { value = 40,", "add up to 100, not 110"),
        (
            'counts_in = { value = ["half_year", "year_end"]',
            'counts_in = { value = ["half_year", "half_year"]',
            "each evaluation once",
        ),
        (
            'counts_in = { value = ["half_year", "year_end"]',
            "counts_in = { value = []",
            "at least 1",
        ),
    ],
)
def test_a_broken_composite_is_refused_naming_it(tmp_path: Path, old, new, reason):
    text = (PROFILE_DIR / "guangshan.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "guangshan.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_profile_file(path)
    assert info.value.key.startswith("composite")
    assert reason in str(info.value)
