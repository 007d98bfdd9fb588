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


@pytest.mark.parametrize(
    ("cycle", "key"),
    [
        ("monthly", "２０２６-11"),  # full-width digits: once stored beside the locked 2026-11
        ("monthly", "2026-１1"),
        ("semimonthly", "2026-03-１"),
        ("weekly", "2026-W１２"),
        ("quarterly", "٢٠٢٦-Q1"),  # Arabic-Indic digits are digits to \d too
    ],
)
def test_period_keys_take_ascii_digits_only(cycle, key):
    with pytest.raises(ValidationError) as info:
        periods.parse(cycle, key)
    assert "半角数字" in info.value.by_field()["period"]


@pytest.mark.parametrize("key", ["0000-01", "0001-01", "1999-12", "2101-01"])
def test_period_years_lie_between_2000_and_2100(key):
    with pytest.raises(ValidationError) as info:
        periods.parse("monthly", key)
    assert info.value.by_field()["period"] == f"“{key}”：年份应在2000年至2100年之间"


def test_any_cycles_key_or_a_bare_year_is_a_period_of_the_feedback_file():
    for key in ["2026", "2026-03", "2026-03-2", "2026-W12", "2026-Q4"]:
        assert periods.check_key(key) == key
    for key in ["２０２６", "2026-13", "0000-01", "2026-W54", "2026-03-3"]:
        with pytest.raises(ValidationError):
            periods.check_key(key)


def test_a_year_is_a_period_of_its_own_for_the_year_end_evaluation():
    year = periods.parse("yearly", "2026")
    assert (year.start, year.end, year.label) == (date(2026, 1, 1), date(2026, 12, 31), "2026年")
    assert periods.containing("yearly", date(2026, 7, 1)) == year
    assert periods.last_ended("yearly", date(2027, 1, 8)) == year
    assert [p.key for p in periods.of_year("yearly", 2026)] == ["2026"]
    with pytest.raises(ValidationError, match="年度期次应如 2026"):
        periods.parse("yearly", "2026-12")
