"""What a compiled agenda adds from the supervision figures: GS2's speakers from the ranking,
AL3's slow projects for the banner government (hand-computed from tests.builders.rankings)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from chinese_calendar import constants

from keyproj.calendar import WorkCalendar
from keyproj.policy import load_profile
from keyproj.services.meetings import schedule
from keyproj.services.meetings.compiling import compile_agenda
from keyproj.services.meetings.planning import ask_units, open_meeting
from tests.builders.county import County
from tests.builders.rankings import handan_departments

CALENDAR = WorkCalendar.build(
    {d.year for d in constants.holidays}, constants.holidays, constants.workdays
)
NOW = datetime(2026, 4, 1, 1, tzinfo=UTC)


def _compiled(county: County, profile: str, key: str, day: date) -> dict:
    handan_departments(county.with_people("zdb"))
    policy = load_profile(profile)
    meeting = open_meeting(county.session, policy, CALENDAR, key, schedule.Slot(day, day), NOW)
    ask_units(county.session, policy, meeting, NOW)
    compiled = compile_agenda(county.session, policy, county.people["zdb"], meeting.id, NOW)
    assert compiled.agenda is not None
    return compiled.agenda


def test_gs2_report_meeting_has_the_rankings_top_two_and_bottom_two_speak(county: County):
    # March 2026 rates: 市城管局 110%, 县交通运输局 80%, 市教育局 and 市卫健委 50% (tied 3rd),
    # 市水利局 40%. Bottom two: fewer than two units below — the tied pair and the last.
    agenda = _compiled(county, "guangshan", "report", date(2026, 4, 10))
    assert agenda["period"] == "2026年3月"
    assert [(s["unit"], s["place"], s["rank"]) for s in agenda["speakers"]] == [
        ("市城管局", "top", 1),
        ("县交通运输局", "top", 2),
        ("市教育局", "bottom", 3),
        ("市卫健委", "bottom", 3),
        ("市水利局", "bottom", 5),
    ]
    assert agenda["slow"] == []  # Guangshan's report meeting lists no slow projects


def test_al3_joint_dispatch_lists_the_slow_projects_for_the_banner_government(county: County):
    # Against the plan to March: 240 ÷ 300 = 80% yellow; 100 ÷ 400 = 25%, 250 ÷ 500 and
    # 100 ÷ 200 = 50% red; 330 ÷ 300 green; 市水利局's February-only project is not reported.
    agenda = _compiled(county, "alxa_left", "joint_dispatch", date(2026, 4, 7))
    assert agenda["speakers"] is None
    assert [(p["unit"], p["colour"]) for p in agenda["slow"]] == [
        ("县交通运输局", "黄色"),
        ("市水利局", "红色"),
        ("市教育局", "红色"),
        ("市卫健委", "红色"),
    ]
