"""The county government's paths through the services (LP16), on SQLite and PostgreSQL: the
notice routed to it, the leader in charge, an on-site meeting's follow-up items in their owners'
inboxes, overdue reminders, and every path replays (X4)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from keyproj.db.models import Case
from keyproj.errors import ValidationError
from keyproj.services.cases.views.county_gov import county_gov_part
from keyproj.services.cases.views.inbox import InboxFilters, inbox_page
from keyproj.services.notifications import inbox as notifications
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.notifications import notified

MINUTES = "现场办公会议明确：石桥镇10月9日前完成临时用地协调，发改局10月20日前办结审批。"


def items(first: str = "2026-10-09", second: str = "2026-10-20") -> list[dict[str, Any]]:
    """Two follow-up items: the town of Shiqiao (T02, not a responsible unit of the case) and
    the department D01."""
    return [
        {"unit_code": "T02", "matter": "完成临时用地协调", "due_date": first},
        {"unit_code": "D01", "matter": "办结项目审批", "due_date": second},
    ]


def routed(c: County) -> None:
    """The key office routes the notice to the county government; 县府办 names the leader."""
    c.start(bj(2026, 9, 28, 9))
    c.submit("zdb", "issue_notice", bj(2026, 9, 28, 10), routing="county_government")
    assert c.waiting() == ["county_gov_assign"]
    c.submit("xfb", "county_gov_assign", bj(2026, 9, 29, 10), leader_name="王副县长")


def meeting(c: County, follow_ups: list[dict[str, Any]]) -> None:
    c.submit(
        "xfb",
        "county_gov_handle",
        bj(2026, 9, 30, 10),
        decision="onsite_meeting",
        meeting_minutes=MINUTES,
        follow_ups=follow_ups,
    )


def test_lp16_routed_case_is_resolved_by_the_county_government_without_supervision(county):
    routed(county)
    county.submit("xfb", "county_gov_handle", bj(2026, 9, 30, 10))
    county.session.refresh(county.case)
    assert (county.case.status, county.case.outcome) == ("closed", "county_resolved")
    assert county.warning.status == "county_resolved"
    part = county_gov_part(county.session, county.case.id, county.at(bj(2026, 9, 30, 11)))
    assert part is not None
    assert (part.leader_name, part.decision) == ("王副县长", "已协调解决，办结")
    county.assert_replays()


def test_lp16_follow_up_items_reach_their_owners_inboxes_with_their_deadlines(county):
    county.with_people("shiqiao")
    routed(county)
    meeting(county, items())
    assert county.waiting() == ["follow_up_item", "follow_up_item"]
    now = county.at(bj(2026, 9, 30, 11))
    [row] = inbox_page(county.session, county.people["shiqiao"], InboxFilters(), now).rows
    assert (row.name, row.case_id) == ("follow_up_item", county.case.id)
    assert row.deadline.due_at == bj(2026, 10, 9, 23, 59, 59)  # the item's day, end of day
    [dept] = inbox_page(county.session, county.people["dept"], InboxFilters(), now).rows
    assert dept.deadline.due_at == bj(2026, 10, 20, 23, 59, 59)
    part = county_gov_part(county.session, county.case.id, now)
    assert part is not None
    assert part.meeting_minutes == MINUTES
    assert [(i.owner, i.state) for i in part.items] == [
        ("石桥镇", "open"),
        ("县交通运输局", "open"),
    ]
    county.assert_replays()


def test_lp16_an_overdue_item_is_flagged_and_reminded_but_stays_open(county):
    county.with_people("shiqiao")
    routed(county)
    meeting(county, items())
    county.sweep(bj(2026, 10, 10, 9))
    assert county.waiting() == ["follow_up_item", "follow_up_item"]  # nothing moved on
    part = county_gov_part(county.session, county.case.id, county.at(bj(2026, 10, 10, 9)))
    assert part is not None
    assert [i.state_label for i in part.items] == ["已逾期", "落实中"]
    notifications.dispatch_case_events(county.session, county.at(bj(2026, 10, 10, 9, 5)))
    county.session.commit()
    overdue = notified(county.session, "task_overdue")
    # 县府办 and the overdue item's owner (both of 石桥镇's liaisons), not the other item's owner.
    assert sorted(overdue) == ["other", "shiqiao", "xfb"]
    assert "已超过办理期限（2026-10-09 23:59）" in overdue["xfb"][0].body
    county.assert_replays()


def test_lp16_an_overdue_item_is_reminded_once_when_a_later_item_falls_due(county):
    county.with_people("shiqiao")
    routed(county)
    meeting(county, items())
    county.sweep(bj(2026, 10, 10, 9))  # 石桥镇's item is overdue
    notifications.dispatch_case_events(county.session, county.at(bj(2026, 10, 10, 9, 5)))
    county.session.commit()
    county.sweep(bj(2026, 10, 21, 9))  # the department's item is overdue too
    notifications.dispatch_case_events(county.session, county.at(bj(2026, 10, 21, 9, 5)))
    county.session.commit()
    overdue = notified(county.session, "task_overdue")
    assert len(overdue["shiqiao"]) == 1  # its own item, once
    assert len(overdue["dept"]) == 1
    assert len(overdue["xfb"]) == 2  # 县府办: each item once


def test_lp16_every_item_done_then_the_check_closes_or_hands_over(county):
    county.with_people("shiqiao")
    routed(county)
    meeting(county, items())
    county.submit("dept", "follow_up_item", bj(2026, 10, 12, 9))
    assert county.waiting() == ["follow_up_item"]
    county.submit("shiqiao", "follow_up_item", bj(2026, 10, 13, 9), report="临时用地协调完成")
    assert county.waiting() == ["county_gov_follow_up_check"]
    part = county_gov_part(county.session, county.case.id, county.at(bj(2026, 10, 13, 10)))
    assert part is not None
    assert [(i.state, i.report) for i in part.items] == [
        ("done", "临时用地协调完成"),
        ("done", "补偿款已拨付到位，征地工作完成"),
    ]
    county.submit(
        "xfb", "county_gov_follow_up_check", bj(2026, 10, 14, 9), decision="not_implemented"
    )
    assert county.waiting() == ["supervision_file"]
    county.assert_replays()


def test_lp16_an_unknown_owner_unit_is_refused_by_its_item_and_nothing_is_written(county):
    routed(county)
    before = county.case.event_count
    bad = items()
    bad[1]["unit_code"] = "X99"
    with pytest.raises(ValidationError) as refused:
        meeting(county, bad)
    county.session.rollback()
    [error] = refused.value.errors
    assert (error.field, error.label) == ("follow_ups[1].unit_code", "纪要事项第2项·责任单位")
    assert str(error) == "纪要事项第2项·责任单位：未知单位“X99”"
    case = county.session.scalars(select(Case).where(Case.id == county.case.id)).one()
    assert case.event_count == before
    assert county.waiting() == ["county_gov_handle"]


def test_lp16_a_deadline_before_today_is_refused(county):
    routed(county)
    with pytest.raises(ValidationError) as refused:
        meeting(county, items(first="2026-09-29"))
    county.session.rollback()
    assert [e.field for e in refused.value.errors] == ["follow_ups[0].due_date"]


def test_lp16_county_tasks_are_reminded_when_overdue(county):
    routed(county)
    due = county.task("county_gov_handle").due_at
    # Assigned on 29 Sep: 10 working days over National Day (1–7 Oct off, Sat 10 Oct worked).
    assert due == bj(2026, 10, 19, 23, 59, 59)
    county.sweep(bj(2026, 10, 20, 9))
    assert county.waiting() == ["county_gov_handle"]
    notifications.dispatch_case_events(county.session, county.at(bj(2026, 10, 20, 9, 5)))
    county.session.commit()
    [note] = notified(county.session, "task_overdue")["xfb"]
    assert note.title == "逾期提醒：县政府协调处置（LP16）"
    county.assert_replays()
