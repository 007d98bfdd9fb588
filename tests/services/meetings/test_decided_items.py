"""The meeting hands its decided items to the decisions service (issue 14): each runs as a case
of its own, listed under the meeting, whose origin names the meeting and its kind (GS6: an
approval meeting)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from chinese_calendar import constants

from keyproj.calendar import WorkCalendar
from keyproj.policy import load_profile
from keyproj.services.decisions.items import items_for
from keyproj.services.meetings import holding, schedule
from keyproj.services.meetings.planning import open_meeting
from tests.builders.county import County

CALENDAR = WorkCalendar.build(
    {d.year for d in constants.holidays}, constants.holidays, constants.workdays
)
NOW = datetime(2026, 2, 24, 7, tzinfo=UTC)
ITEM = {
    "matter": "办理施工许可",
    "owner_unit_code": "D01",
    "due_on": "2026-03-10",
    "acceptance": "取得施工许可证",
}


def test_gs6_a_joint_approval_meetings_deadlines_go_out_as_approval_meeting_items(county: County):
    county.with_people("zdb")
    guangshan = load_profile("guangshan")
    day = date(2026, 2, 24)  # the fortnight of 18 February, moved past the Spring Festival
    meeting = open_meeting(
        county.session,
        guangshan,
        CALENDAR,
        "joint_approval",
        schedule.Slot(date(2026, 2, 18), day),
        NOW,
    )
    held = holding.hold(
        county.session,
        guangshan,
        county.people["zdb"],
        meeting.id,
        [],
        "研究施工许可办理。",
        [ITEM],
        NOW,
    )
    [item] = held.decided
    assert (item.origin_kind, item.origin_ref_id) == ("approval_meeting", meeting.id)
    assert item.origin_title == "2026年02月24日联审联批工作会议"
    assert (item.matter, item.due_on, item.owner_unit.code) == (
        "办理施工许可",
        date(2026, 3, 10),
        "D01",
    )
    assert item.case_id is not None  # its case runs on the decided-item diagram
    listed = items_for(county.session, county.people["zdb"], "approval_meeting", meeting.id)
    assert [i.id for i in listed] == [item.id]


def test_dc3_a_dispatch_meetings_items_are_meeting_items_and_none_means_no_call(county: County):
    county.with_people("zdb")
    dancheng = load_profile("dancheng")
    slot = schedule.Slot(date(2026, 3, 2), date(2026, 3, 2))
    meeting = open_meeting(county.session, dancheng, CALENDAR, "dispatch", slot, NOW)
    on_the_day = datetime(2026, 3, 2, 7, tzinfo=UTC)
    holding.hold(
        county.session, dancheng, county.people["zdb"], meeting.id, [], "通报进度。", [], on_the_day
    )
    assert items_for(county.session, county.people["zdb"], "meeting", meeting.id) == []
    other = open_meeting(
        county.session,
        dancheng,
        CALENDAR,
        "dispatch",
        schedule.Slot(date(2026, 4, 6), date(2026, 4, 7)),
        NOW,
    )
    later = datetime(2026, 4, 7, 7, tzinfo=UTC)
    holding.hold(
        county.session,
        dancheng,
        county.people["zdb"],
        other.id,
        [],
        "通报进度。",
        [{**ITEM, "due_on": "2026-04-30"}],
        later,
    )
    [item] = items_for(county.session, county.people["zdb"], "meeting", other.id)
    assert (item.origin_kind, item.matter) == ("meeting", "办理施工许可")
