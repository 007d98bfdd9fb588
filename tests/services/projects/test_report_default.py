"""Issue 15: a new report defaults to the newest ended period not yet reported, never one under way."""

from __future__ import annotations

from datetime import date

import pytest

from keyproj.policy import load_profile
from keyproj.services.projects.reports import default_period


@pytest.mark.parametrize(
    ("name", "today", "expected"),
    [
        ("lianping", date(2026, 5, 20), "2026-04"),  # May runs until the 31st
        ("lianping", date(2026, 6, 1), "2026-05"),  # May ended yesterday
        ("handan", date(2026, 6, 3), "2026-05"),  # HD2: May's report is due on 5 June
        ("alxa_left", date(2026, 5, 14), "2026-04-2"),  # AL6: the first half ends on the 15th
        ("alxa_left", date(2026, 5, 16), "2026-05-1"),
        ("guangshan", date(2026, 5, 15), "2026-W19"),  # GS1: Friday of week 20, still under way
    ],
)
def test_issue15_the_default_is_the_newest_ended_period(name, today, expected):
    assert default_period(load_profile(name), today, set(), 6) == expected


def test_issue15_a_reported_period_is_passed_over_for_the_next_older_one():
    lianping = load_profile("lianping")
    assert default_period(lianping, date(2026, 5, 20), {"2026-04"}, 6) == "2026-03"


def test_issue15_no_default_rather_than_the_period_under_way():
    lianping = load_profile("lianping")
    reported = {"2026-04", "2026-03", "2026-02", "2026-01", "2025-12"}
    assert default_period(lianping, date(2026, 5, 20), reported, 6) is None
