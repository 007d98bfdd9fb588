"""A Dancheng county whose February dispatch meeting has asked its units for agenda items (DC3)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from keyproj.policy import load_profile
from keyproj.services.meetings.planning import daily_beat
from keyproj.services.reference.calendar import load_calendar
from tests.builders.county import County

ASK_DAY = datetime(2026, 1, 20, 1, tzinfo=UTC)  # 20 January 2026, 09:00 in Beijing


def dancheng_asked(county: County) -> County:
    """Two towns' projects, the plant's leader with an account, the meeting of 2 February asked."""
    county.with_projects("plant", "bridge").with_people("town", "other", "dept")
    county.report(county.projects["plant"], "monthly", "2026-01", annual="300")
    county.link_leader("leader01", county.projects["plant"])
    profile = load_profile("dancheng")
    daily_beat(county.session, profile, load_calendar(county.session), date(2026, 1, 20), ASK_DAY)
    return county.committed()
