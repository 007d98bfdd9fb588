"""LP19, DC7, GS1: on which days of 2026 each profile's bulletins are issued, by the working-day calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from chinese_calendar import constants

from keyproj.calendar import WorkCalendar
from keyproj.policy import load_profile
from keyproj.services.bulletins.issue import due_on

CALENDAR = WorkCalendar.build(
    {d.year for d in constants.holidays}, constants.holidays, constants.workdays
)


def year_of_bulletins(profile_id: str) -> dict[str, date]:
    """Every period whose bulletin falls in 2026, with the day it is issued on."""
    profile = load_profile(profile_id)
    out: dict[str, date] = {}
    day = date(2026, 1, 1)
    while day.year == 2026:
        for period in due_on(profile, CALENDAR, day):
            assert period.key not in out, f"{period.key} issued twice"
            out[period.key] = day
        day += timedelta(days=1)
    return out


def test_LP19_lianping_issues_last_month_by_the_11th_on_a_working_day():
    # The 11th, or the working day before it when the 11th is off: Sun 11 Jan and Sat 10 Jan
    # → Fri 9 Jan; Sat 11 Apr → Fri 10 Apr; Sat 11 Jul → Fri 10 Jul; Sun 11 Oct → Sat 10 Oct,
    # a worked Saturday after National Day.
    assert year_of_bulletins("lianping") == {
        "2025-12": date(2026, 1, 9),
        "2026-01": date(2026, 2, 11),
        "2026-02": date(2026, 3, 11),
        "2026-03": date(2026, 4, 10),
        "2026-04": date(2026, 5, 11),
        "2026-05": date(2026, 6, 11),
        "2026-06": date(2026, 7, 10),
        "2026-07": date(2026, 8, 11),
        "2026-08": date(2026, 9, 11),
        "2026-09": date(2026, 10, 10),
        "2026-10": date(2026, 11, 11),
        "2026-11": date(2026, 12, 11),
    }


def test_DC7_dancheng_issues_after_the_meeting_by_the_10th():
    # Due the 10th (local): Sat 10 Jan → Fri 9 Jan; Sun 10 May → Sat 9 May (worked after
    # Labour Day); Sat 10 Oct is worked; every other 10th of 2026 is a working day.
    days = year_of_bulletins("dancheng")
    assert days["2025-12"] == date(2026, 1, 9)
    assert days["2026-04"] == date(2026, 5, 9)
    assert days["2026-09"] == date(2026, 10, 10)
    assert [d.day for k, d in days.items() if k not in {"2025-12", "2026-04"}] == [10] * 10


def test_GS1_guangshan_issues_each_week_on_the_next_working_day():
    days = year_of_bulletins("guangshan")
    # 2025-W52 (issued Mon 29 Dec 2025) is last year's; 2026-W01 … W52 fall in 2026 and W53
    # (28 Dec – 3 Jan) in 2027: 52 bulletins.
    assert len(days) == 52
    assert days["2026-W01"] == date(2026, 1, 5)  # Mon after the week to Sun 4 Jan
    # Spring Festival, 15–23 Feb off: the weeks to 15 Feb and to 22 Feb both go out Tue 24 Feb.
    assert days["2026-W07"] == days["2026-W08"] == date(2026, 2, 24)
    assert days["2026-W09"] == date(2026, 3, 2)
    # National Day, 1–7 Oct off: the week to Sun 4 Oct goes out Thu 8 Oct.
    assert days["2026-W40"] == date(2026, 10, 8)
    assert days["2026-W41"] == date(2026, 10, 12)
    assert days["2026-W52"] == date(2026, 12, 28)


@pytest.mark.parametrize("profile_id", ["handan", "alxa_left"])
def test_the_other_monthly_profiles_issue_one_a_month(profile_id):
    days = year_of_bulletins(profile_id)
    assert len(days) == 12
    # On a working day of the next month, never before the month reported has ended.
    for key, day in days.items():
        year, month = (int(x) for x in key.split("-"))
        assert (day.year * 12 + day.month) - (year * 12 + month) == 1, key
        assert CALENDAR.is_working_day(day), key


def test_AL3_a_holiday_from_the_months_end_past_the_due_day_defers_the_bulletin():
    # Alxa Left's due day is the 5th. 1–5 May and 1–7 Oct are off: stepping back would land in
    # the month being reported (30 Apr, 30 Sep), so April's goes out Wed 6 May and September's
    # Thu 8 Oct; Thu 5 Feb and Thu 5 Mar are plain working days.
    days = year_of_bulletins("alxa_left")
    assert days["2026-04"] == date(2026, 5, 6)
    assert days["2026-09"] == date(2026, 10, 8)
    assert days["2026-01"] == date(2026, 2, 5)
