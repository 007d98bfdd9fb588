"""Reporting periods and due days per profile (LP8, AL6, HD2, GS1)."""

from __future__ import annotations

from datetime import date

import pytest

from keyproj import periods
from keyproj.errors import ValidationError
from keyproj.policy import load_profile


@pytest.mark.parametrize(
    ("profile", "key", "due"),
    [
        ("lianping", "2026-03", date(2026, 3, 25)),  # LP8: before the 25th
        ("handan", "2026-03", date(2026, 4, 5)),  # HD2: by the 5th of the next month
        ("handan", "2026-12", date(2027, 1, 5)),
        ("alxa_left", "2026-03-1", date(2026, 3, 14)),  # AL6: the 14th …
        ("alxa_left", "2026-03-2", date(2026, 3, 28)),  # … and the 28th
        ("guangshan", "2026-W12", date(2026, 3, 20)),  # GS1: weekly, Friday
    ],
)
def test_due_dates_follow_the_profile(profile, key, due):
    reporting = load_profile(profile).reporting
    assert periods.due_date(periods.parse(reporting.cycle, key), reporting) == due


def test_periods_of_a_year_cover_it_once():
    assert len(periods.of_year("monthly", 2026)) == 12
    assert len(periods.of_year("semimonthly", 2026)) == 24
    assert len(periods.of_year("quarterly", 2026)) == 4
    weeks = periods.of_year("weekly", 2026)
    assert weeks[0].key == "2026-W01"
    assert weeks[-1].key == "2026-W53"
    assert periods.containing("weekly", date(2027, 1, 1)).key == "2026-W53"


def test_labels_are_chinese():
    assert periods.parse("semimonthly", "2026-02-2").label == "2026年2月下半月"
    assert periods.parse("semimonthly", "2026-02-2").end == date(2026, 2, 28)
    assert periods.parse("weekly", "2026-W07").label == "2026年第7周"


def test_bad_keys_are_explained():
    with pytest.raises(ValidationError, match="2026-03-1"):
        periods.parse("semimonthly", "2026-03")
    with pytest.raises(ValidationError, match="没有第53周"):
        periods.parse("weekly", "2025-W53")
