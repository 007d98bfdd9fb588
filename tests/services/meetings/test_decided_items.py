"""The meeting hands its decided items to the decisions service through the agreed call
(issue 14): the origin names the meeting and its kind (GS6: an approval meeting). Until the
decisions service is merged, a test-only stand-in module records the call."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from chinese_calendar import constants

from keyproj.calendar import WorkCalendar
from keyproj.policy import load_profile
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


@dataclass(frozen=True)
class Origin:
    kind: str
    ref_id: int
    title: str
    chair_unit_id: int | None


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, list[dict[str, str]]]]:
    calls: list[tuple[Any, list[dict[str, str]]]] = []

    def record_items(
        _s: object, _p: object, _v: object, origin: Origin, rows: list[dict[str, str]], _n: object
    ) -> list[str]:
        calls.append((origin, rows))
        return ["item"]

    fake = types.ModuleType("keyproj.services.decisions.items")
    setattr(fake, "DecisionOrigin", Origin)  # noqa: B010  (a module built at run time)
    setattr(fake, "record_items", record_items)  # noqa: B010
    monkeypatch.setitem(sys.modules, "keyproj.services.decisions.items", fake)
    return calls


def test_gs6_a_joint_approval_meetings_deadlines_go_out_as_approval_meeting_items(
    county: County, recorded
):
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
    assert held.decided == ["item"]
    [(origin, rows)] = recorded
    assert origin == Origin("approval_meeting", meeting.id, "2026年02月24日联审联批工作会议", None)
    assert rows == [ITEM]


def test_dc3_a_dispatch_meetings_items_are_meeting_items_and_none_means_no_call(
    county: County, recorded
):
    county.with_people("zdb")
    dancheng = load_profile("dancheng")
    slot = schedule.Slot(date(2026, 3, 2), date(2026, 3, 2))
    meeting = open_meeting(county.session, dancheng, CALENDAR, "dispatch", slot, NOW)
    holding.hold(
        county.session, dancheng, county.people["zdb"], meeting.id, [], "通报进度。", [], NOW
    )
    assert recorded == []
    other = open_meeting(
        county.session,
        dancheng,
        CALENDAR,
        "dispatch",
        schedule.Slot(date(2026, 4, 6), date(2026, 4, 7)),
        NOW,
    )
    holding.hold(
        county.session, dancheng, county.people["zdb"], other.id, [], "通报进度。", [ITEM], NOW
    )
    assert recorded[0][0].kind == "meeting"
