"""Handan's department meetings (HD4 (一) 责任部门（单位）月调度): each responsible unit with
projects under way holds its own monthly meeting, opened by the daily beat on the county's
dates, recorded by its own staff with its decided items, which it follows up itself; the key
office and leaders see every one, a unit its own."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest
from pydantic import ValidationError as ProfileError
from sqlalchemy import select

from keyproj.codes import MeetingState
from keyproj.db.models import Case, Meeting, Unit
from keyproj.errors import NotFound, PermissionDenied
from keyproj.paging import Paging
from keyproj.policy import load_profile
from keyproj.policy.meetings import MeetingSeries
from keyproj.services.cases.repository import open_task_rows
from keyproj.services.decisions.items import item_of
from keyproj.services.meetings import compiling, holding
from keyproj.services.meetings.planning import daily_beat, reschedule
from keyproj.services.meetings.views import meeting_view, meetings_page, year_view
from keyproj.services.reference.calendar import load_calendar
from tests.builders.clock import bj
from tests.builders.county import County

HANDAN = load_profile("handan")
# HD4 as tests/services/meetings/test_schedule.py has it: the 10th, a weekend to the Monday,
# the worked Saturday of 10 October kept.
HANDAN_DAYS = [
    "01-12", "02-10", "03-10", "04-10", "05-11", "06-10",
    "07-10", "08-10", "09-10", "10-10", "11-10", "12-10",
]  # fmt: skip
ITEM = {
    "matter": "协调解决施工用电",
    "owner_unit_code": "D01",
    "due_on": "2026-03-20",
    "acceptance": "施工用电接通",
}


@pytest.fixture
def handan(county: County) -> County:
    """城关镇 (the plant) and 石桥镇 (the bridge) lead projects; 县交通运输局 leads none."""
    county.under("handan")
    county.with_projects("plant", "bridge").with_people("zdb", "town", "other", "dept")
    return county.committed()


def beat_year(county: County) -> None:
    """The daily beat on the first of January to November 2026, twice each (it opens once);
    from November it sees past 10 December (the calendar holds no 2027 yet)."""
    calendar = load_calendar(county.session)
    for month in range(1, 12):
        today = date(2026, month, 1)
        for _ in range(2):
            daily_beat(county.session, HANDAN, calendar, today, bj(2026, month, 1, 1))
    county.session.commit()


def department_meetings(county: County) -> dict[str, list[str]]:
    held: dict[str, list[str]] = defaultdict(list)
    rows = county.session.execute(
        select(Unit.code, Meeting.held_on)
        .join(Unit, Unit.id == Meeting.host_unit_id)
        .where(Meeting.series == "department")
        .order_by(Unit.code, Meeting.held_on)
    )
    for code, day in rows:
        if day.year == 2026:
            held[code].append(f"{day:%m-%d}")
    return dict(held)


def own_meeting(county: County, unit_code: str, day: str = "2026-03-10") -> Meeting:
    return county.session.scalars(
        select(Meeting)
        .join(Unit, Unit.id == Meeting.host_unit_id)
        .where(Unit.code == unit_code, Meeting.held_on == date.fromisoformat(day))
    ).one()


def test_hd4_each_department_gets_its_own_meeting_on_a_year_of_handan_dates(handan):
    beat_year(handan)
    # Two departments with projects, twelve meetings each; 县交通运输局 leads none, holds none.
    assert department_meetings(handan) == {"T01": HANDAN_DAYS, "T02": HANDAN_DAYS}
    county_wide = handan.session.scalars(
        select(Meeting.series).where(Meeting.host_unit_id.is_(None)).distinct()
    ).all()
    assert sorted(county_wide) == ["leader", "mayor"]  # the leaders' meetings stay the county's
    march = own_meeting(handan, "T01")
    assert (march.chair, march.state) == ("项目责任部门（单位）主要负责同志", "planned")


def test_hd4_a_department_records_its_meeting_and_follows_up_its_own_decisions(handan):
    beat_year(handan)
    meeting = own_meeting(handan, "T01")
    town = handan.people["town"]
    page = meeting_view(handan.session, HANDAN, town, meeting.id)
    assert (page.may_hold, page.may_ask, page.may_compile) == (True, False, False)
    assert [p.code for p in page.host_projects] == [handan.projects["plant"].code]
    assert page.follow_up is not None
    assert page.follow_up.text == "逾期议定事项由召开会议的责任部门（单位）督办"
    moment = handan.at(bj(2026, 3, 10, 11))
    attendance = [{"unit_code": "T01", "person": "王镇长", "status": "present"}]
    held = holding.hold(
        handan.session, HANDAN, town, meeting.id, attendance, "研究施工用电。", [ITEM], moment
    )
    handan.session.commit()
    [item] = held.decided
    assert item.origin_title == "2026年03月10日城关镇责任部门（单位）月调度"
    assert (item.owner_unit.code, item.chair_unit_id) == ("D01", town.unit_id)
    # The key office sees the department's meeting and its item; the owner sees its item.
    office = meeting_view(handan.session, HANDAN, handan.people["zdb"], meeting.id)
    assert ([i.id for i in office.decided], office.may_hold) == ([item.id], False)
    assert item_of(handan.session, handan.people["dept"], item.id).id == item.id
    handan.sweep(bj(2026, 3, 21, 0, 0, 1))
    [review] = [
        r for r in open_task_rows(handan.session, item.case_id) if r.name == "item_overdue_review"
    ]
    assert [c.unit_id for c in review.candidates] == [town.unit_id]
    handan.assert_replays(handan.session.get_one(Case, item.case_id))


def test_hd4_a_unit_cannot_record_or_see_another_units_meeting(handan):
    beat_year(handan)
    theirs = own_meeting(handan, "T01")
    with pytest.raises(NotFound):
        holding.hold(
            handan.session,
            HANDAN,
            handan.people["other"],
            theirs.id,
            [],
            "越权记录。",
            [],
            bj(2026, 3, 10, 11),
        )
    handan.session.rollback()
    # The key office sees it but records only the county's meetings, not a department's.
    with pytest.raises(PermissionDenied, match="只能由召开会议的部门"):
        holding.hold(
            handan.session,
            HANDAN,
            handan.people["zdb"],
            theirs.id,
            [],
            "代为记录。",
            [],
            bj(2026, 3, 10, 11),
        )
    handan.session.rollback()
    assert handan.session.get_one(Meeting, theirs.id).state == "planned"
    # Nor does it compile a department's agenda, which is the department's own projects.
    theirs.state = MeetingState.COLLECTING  # asked: a county meeting's agenda would now be compiled
    handan.session.commit()
    with pytest.raises(PermissionDenied, match="不由重点办汇总"):
        compiling.compile_agenda(
            handan.session, HANDAN, handan.people["zdb"], theirs.id, bj(2026, 3, 9, 11)
        )
    handan.session.rollback()
    assert (theirs.state, theirs.agenda) == ("collecting", None)
    other = handan.people["other"]
    listed = meetings_page(handan.session, other, Paging(1, 100), 2026, "department")
    assert {m.host_unit_id for m in listed.items} == {other.unit_id}
    [series] = [
        s
        for s in year_view(handan.session, HANDAN, load_calendar(handan.session), other, 2026)
        if s.key == "department"
    ]
    assert len(series.meetings) == 12
    assert {r.meeting.host_unit_id for r in series.meetings if r.meeting} == {other.unit_id}


def test_hd4_only_a_department_series_is_held_per_unit():
    base = HANDAN.meetings.series["department"].model_dump() if HANDAN.meetings else {}
    with pytest.raises(ProfileError, match="only a department series"):
        MeetingSeries.model_validate({**base, "level": "county"})
    with pytest.raises(ProfileError, match="each holding unit itself"):
        MeetingSeries.model_validate({**base, "follow_up_office": "县委督查中心"})


def test_hd4_a_department_sets_its_own_meetings_day_and_place_and_no_other_unit(handan):
    beat_year(handan)
    theirs = own_meeting(handan, "T01")
    calendar = load_calendar(handan.session)
    form = {"held_on": "2026-03-11", "starts_at": "15:00", "place": "城关镇政府三楼会议室"}
    with pytest.raises(NotFound):
        reschedule(handan.session, HANDAN, calendar, handan.people["other"], theirs.id, form)
    with pytest.raises(PermissionDenied):
        reschedule(handan.session, HANDAN, calendar, handan.people["zdb"], theirs.id, form)
    moved = reschedule(handan.session, HANDAN, calendar, handan.people["town"], theirs.id, form)
    assert (moved.held_on, moved.place) == (date(2026, 3, 11), "城关镇政府三楼会议室")
