"""Working-day calendar (X5): holidays, make-up days, Beijing dates, missing years, imports."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from keyproj.errors import CalendarYearMissing
from keyproj.services.reference import calendar as calendar_service
from tests.builders.clock import bj


@pytest.fixture
def cal(session):
    return calendar_service.load_calendar(session)


def test_x5_national_day_2025_deadline_counts_the_make_up_saturday(cal):
    # Oct 1–8 are holidays; Saturday Oct 11 is a make-up working day.
    assert cal.deadline(bj(2025, 9, 30, 10), 3) == bj(2025, 10, 11, 23, 59, 59)
    assert cal.deadline(bj(2025, 9, 30, 10), 3).isoformat() == "2025-10-11T23:59:59+08:00"


def test_x5_national_day_2025_days(cal):
    assert cal.is_working_day(date(2025, 9, 28))  # Sunday make-up day
    assert not any(cal.is_working_day(date(2025, 10, d)) for d in range(1, 9))
    assert cal.is_working_day(date(2025, 10, 9))


def test_x5_spring_festival_2026_with_make_up_saturdays(cal):
    assert cal.is_working_day(date(2026, 2, 14))  # Saturday before the festival
    assert cal.is_working_day(date(2026, 2, 28))  # Saturday after it
    assert not any(cal.is_working_day(date(2026, 2, d)) for d in range(15, 24))
    assert cal.deadline(bj(2026, 2, 13, 9), 3).isoformat() == "2026-02-25T23:59:59+08:00"


def test_x5_notice_on_a_holiday_counts_from_the_next_working_day(cal):
    # chinesecalendar's own find_workday miscounts from a holiday; ours must not.
    assert cal.deadline(bj(2026, 2, 17, 9), 1) == bj(2026, 2, 24, 23, 59, 59)
    assert cal.deadline(bj(2026, 2, 17, 9), 10) == bj(2026, 3, 6, 23, 59, 59)  # Sat 28 Feb counts


def test_x5_notice_day_itself_does_not_count(cal):
    # Monday notice, 3 working days → Thursday, whatever the hour.
    assert cal.deadline(bj(2026, 3, 9, 0, 0), 3) == bj(2026, 3, 12, 23, 59, 59)
    assert cal.deadline(bj(2026, 3, 9, 23, 59), 3) == bj(2026, 3, 12, 23, 59, 59)
    assert cal.deadline(bj(2026, 3, 9, 10), 0) == bj(2026, 3, 9, 23, 59, 59)


def test_x5_utc_input_is_read_as_its_beijing_date(cal):
    # 2026-02-12 16:30 UTC is already Friday 13 February in Beijing.
    late_utc = datetime(2026, 2, 12, 16, 30, tzinfo=UTC)
    assert cal.deadline(late_utc, 3) == bj(2026, 2, 25, 23, 59, 59)
    # Taking the UTC date (Thursday 12th) would have given the 24th.
    assert cal.deadline(bj(2026, 2, 12, 9), 3) == bj(2026, 2, 24, 23, 59, 59)
    new_york = timezone(timedelta(hours=-5))
    assert cal.deadline(datetime(2025, 9, 29, 12, tzinfo=new_york), 3).date() == date(2025, 10, 11)


def test_x5_naive_input_is_refused(cal):
    with pytest.raises(ValueError, match="time zone"):
        cal.deadline(datetime(2026, 3, 9, 10), 3)


def test_x5_missing_year_names_the_year_and_how_to_add_it(cal):
    with pytest.raises(CalendarYearMissing) as info:
        cal.deadline(bj(2026, 12, 28, 9), 5)
    assert info.value.year == 2027
    assert "2027年" in str(info.value)
    assert "keyproj calendar import" in str(info.value)


def test_x5_administrator_correction_changes_deadlines(session):
    calendar_service.set_day(session, date(2026, 3, 10), "holiday", "临时放假")
    session.commit()
    cal = calendar_service.load_calendar(session)
    assert not cal.is_working_day(date(2026, 3, 10))
    assert cal.deadline(bj(2026, 3, 9, 10), 3) == bj(2026, 3, 13, 23, 59, 59)
    calendar_service.set_day(session, date(2026, 3, 10), "normal")
    session.commit()
    assert calendar_service.load_calendar(session).is_working_day(date(2026, 3, 10))


def test_x5_init_does_not_overwrite_corrections(engine, session):
    from keyproj.services.reference.setup import init_database

    calendar_service.set_day(session, date(2026, 3, 10), "holiday", "临时放假")
    session.commit()
    init_database(engine)
    assert not calendar_service.load_calendar(session).is_working_day(date(2026, 3, 10))


def test_working_days_between_counts_after_start_up_to_end(cal):
    assert cal.working_days_between(date(2025, 9, 30), date(2025, 10, 11)) == 3
    assert cal.working_days_between(date(2025, 10, 11), date(2025, 9, 30)) == -3
