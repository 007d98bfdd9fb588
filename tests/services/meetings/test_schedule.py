"""A year's meetings of each profile fall on their cadence days across the 2026 holidays
(AL3, HD4, DC3, GS1, GS2, GS6), hand-listed against the State Council's 2026 arrangement."""

from __future__ import annotations

from datetime import date

import pytest
from chinese_calendar import constants

from keyproj.calendar import WorkCalendar
from keyproj.policy import load_profile
from keyproj.policy.meetings import MeetingSeries
from keyproj.services.meetings.schedule import ask_on, due_on, remind_on, year_schedule

CALENDAR = WorkCalendar.build(
    {d.year for d in constants.holidays}, constants.holidays, constants.workdays
)


def _series(profile: str, key: str) -> MeetingSeries:
    meetings = load_profile(profile).meetings
    assert meetings is not None
    return meetings.series[key]


def _held(profile: str, key: str) -> list[str]:
    return [s.on.strftime("%m-%d") for s in year_schedule(_series(profile, key), CALENDAR, 2026)]


def test_dc3_first_monday_of_each_month_moves_past_qingming_labour_and_national_day():
    # 6 Apr (清明 4–6), 4 May (劳动节 1–5) and 5 Oct (国庆 1–7) are holidays: the meeting is
    # held on the first working day after them; every other first Monday stays.
    assert _held("dancheng", "dispatch") == [
        "01-05", "02-02", "03-02", "04-07", "05-06", "06-01",
        "07-06", "08-03", "09-07", "10-08", "11-02", "12-07",
    ]  # fmt: skip
    october = year_schedule(_series("dancheng", "dispatch"), CALENDAR, 2026)[9]
    assert (october.nominal, october.on, october.moved) == (
        date(2026, 10, 5),
        date(2026, 10, 8),
        True,
    )


def test_dc3_agenda_is_asked_around_the_20th_and_due_a_week_before_the_meeting():
    series = _series("dancheng", "dispatch")
    # The 20 January is a Tuesday: asked that day, due 26 January for the meeting of 2 February.
    assert ask_on(series, CALENDAR, date(2026, 2, 2)) == date(2026, 1, 20)
    assert due_on(series, date(2026, 2, 2)) == date(2026, 1, 26)
    assert remind_on(series, date(2026, 2, 2)) == date(2026, 1, 24)
    # 20 February falls in the Spring Festival (15–23 Feb): asked on the worked Saturday 14 Feb.
    assert ask_on(series, CALENDAR, date(2026, 3, 2)) == date(2026, 2, 14)
    # The October meeting moved to the 8th: asked on the worked Sunday 20 September.
    assert ask_on(series, CALENDAR, date(2026, 10, 8)) == date(2026, 9, 20)
    assert due_on(series, date(2026, 10, 8)) == date(2026, 10, 1)


def test_al3_monthly_joint_dispatch_meeting_on_the_5th_or_the_next_working_day():
    assert _held("alxa_left", "joint_dispatch") == [
        "01-05", "02-05", "03-05", "04-07", "05-06", "06-05",
        "07-06", "08-05", "09-07", "10-08", "11-05", "12-07",
    ]  # fmt: skip


def test_hd4_three_levels_monthly_two_monthly_and_quarterly_held_on_worked_weekends_too():
    # 10 January is a Saturday → Monday 12th; 10 October is a worked Saturday (国庆调休): kept.
    assert _held("handan", "department") == [
        "01-12", "02-10", "03-10", "04-10", "05-11", "06-10",
        "07-10", "08-10", "09-10", "10-10", "11-10", "12-10",
    ]  # fmt: skip
    assert _held("handan", "leader") == ["03-16", "05-15", "07-15", "09-15", "11-16"]
    # 20 September is a worked Sunday: the quarter's meeting stays on it.
    assert _held("handan", "mayor") == ["03-20", "06-22", "09-20", "12-21"]


def test_gs1_weekly_meetings_on_mondays_two_spring_festival_mondays_held_as_one():
    held = year_schedule(_series("guangshan", "weekly"), CALENDAR, 2026)
    days = [s.on for s in held]
    assert len(held) == 51  # 52 Mondays; 16 and 23 February both fall in the Spring Festival
    feb = next(s for s in held if s.on == date(2026, 2, 24))
    assert (feb.nominal, feb.merged) == (date(2026, 2, 23), (date(2026, 2, 16),))
    assert date(2026, 4, 7) in days
    assert date(2026, 4, 6) not in days
    assert date(2026, 10, 8) in days
    assert date(2026, 10, 5) not in days
    assert all(d.weekday() == 0 for d in days if d not in {date(2026, 2, 24), date(2026, 4, 7),
               date(2026, 5, 6), date(2026, 10, 8)})  # fmt: skip


def test_gs2_monthly_topic_meeting_and_two_monthly_report_meeting_with_speakers():
    assert _held("guangshan", "topic") == [
        "01-26", "02-25", "03-25", "04-27", "05-25", "06-25",
        "07-27", "08-25", "09-28", "10-26", "11-25", "12-25",
    ]  # fmt: skip
    assert _held("guangshan", "report") == ["02-10", "04-10", "06-10", "08-10", "10-10", "12-10"]
    assert _series("guangshan", "report").ranking_speakers
    assert load_profile("guangshan").cite("meetings.series.report.every") == "GS2"


def test_gs6_joint_approval_meeting_every_two_weeks_from_its_first_wednesday():
    assert _held("guangshan", "joint_approval") == [
        "01-07", "01-21", "02-04", "02-24", "03-04", "03-18", "04-01", "04-15", "04-29",
        "05-13", "05-27", "06-10", "06-24", "07-08", "07-22", "08-05", "08-19", "09-02",
        "09-16", "09-30", "10-14", "10-28", "11-11", "11-25", "12-09", "12-23",
    ]  # fmt: skip
    # The year before the anchor keeps the same fortnights: 24 December 2025 was one.
    last = year_schedule(_series("guangshan", "joint_approval"), CALENDAR, 2025)[-1]
    assert last.on == date(2025, 12, 24)


def test_lianping_holds_no_periodic_dispatch_meeting():
    # LP16: on-site meetings are called for a problem, not on a cadence.
    assert load_profile("lianping").meetings is None


def test_a_cadence_missing_its_day_is_refused():
    with pytest.raises(ValueError, match="monthly_weekday needs"):
        MeetingSeries.model_validate(
            {"name": "例会", "chair": "县长", "level": "county", "cadence": "monthly_weekday",
             "nth": 1, "holiday": "keep"}
        )  # fmt: skip
