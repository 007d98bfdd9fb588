"""Decided items (议定事项) as cases: recorded with their owner unit and deadline, reminded before
it, overdue after it (escalated to the office; AL13 一是 on the owner's record where the profile
says so), accepted or returned with a new deadline (GS6), and replayed (X4)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from keyproj.codes import DecidedItemState, NotificationKind
from keyproj.db.models import AccountabilityRecord, Case, DecidedItem, EarlyWarning
from keyproj.errors import PermissionDenied, ValidationError
from keyproj.services.cases import commands as cases
from keyproj.services.cases.repository import open_task_rows
from keyproj.services.decisions.items import items_for
from keyproj.services.notifications.events import dispatch_case_events
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.decisions import record, row
from tests.builders.forms import form
from tests.builders.notifications import notified


@pytest.fixture
def county(county: County) -> County:
    """The plant project, the key office, two people of its lead town 城关镇 and one of 石桥镇."""
    return county.with_projects("plant").with_people("zdb", "town", "other", "xfb").committed()


def tasks(county: County, item: DecidedItem) -> list[tuple[str, list[int]]]:
    """The item's open tasks with their candidate units."""
    rows = open_task_rows(county.session, item.case_id)
    return sorted((r.name, sorted(c.unit_id for c in r.candidates)) for r in rows)


def submit(county: County, who: str, item: DecidedItem, name: str, moment, **changes):
    [task] = [r for r in open_task_rows(county.session, item.case_id) if r.name == name]
    result = cases.complete_task(
        county.session,
        county.people[who],
        task.id,
        form(name, **changes),
        county.profile,
        county.at(moment),
    )
    county.session.commit()
    return result


def reload(county: County, item: DecidedItem) -> DecidedItem:
    county.session.expire_all()
    return county.session.get_one(DecidedItem, item.id)


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def sweep(county: County, moment: datetime) -> None:
    """The worker's sweep; the test's own session ends its reading first (SQLite locks)."""
    county.session.commit()
    county.sweep(moment)


def town_id(county: County) -> int:
    return county.people["town"].unit_id


def test_an_item_goes_to_its_owner_units_inbox_with_its_deadline(county):
    [item] = record(county, bj(2026, 9, 28, 10), row(project_code=county.projects["plant"].code))
    assert (item.state, item.position, item.due_on.isoformat()) == ("in_progress", 1, "2026-10-09")
    assert tasks(county, item) == [("carry_out_item", [town_id(county)])]
    [task] = open_task_rows(county.session, item.case_id)
    assert iso(task.due_at) == "2026-10-09T15:59:59+00:00"  # 23:59:59 Beijing time
    dispatch_case_events(county.session, bj(2026, 9, 28, 11))
    assert sorted(notified(county.session, NotificationKind.TASK_READY)) == ["town"]


def test_the_reminder_comes_two_working_days_before_across_national_day(county):
    # Due Friday 9 October 2026: the 8th is one working day before, 1–7 October are the
    # holiday, so the second working day before is Wednesday 30 September.
    [item] = record(county, bj(2026, 9, 28, 10))
    case = county.session.get_one(Case, item.case_id)
    assert iso(case.next_timer_at) == "2026-09-30T01:00:00+00:00"  # 09:00 Beijing time
    sweep(county, bj(2026, 9, 30, 8, 59))
    assert reload(county, item).state == "in_progress"
    dispatch_case_events(county.session, bj(2026, 9, 30, 9))
    assert notified(county.session, NotificationKind.TASK_DUE_SOON) == {}
    sweep(county, bj(2026, 9, 30, 9, 0, 1))
    dispatch_case_events(county.session, bj(2026, 9, 30, 9, 1))
    assert sorted(notified(county.session, NotificationKind.TASK_DUE_SOON)) == ["town"]
    assert tasks(county, item) == [("carry_out_item", [town_id(county)])]  # it only reminds
    county.assert_replays(case)


def test_the_reminder_skips_the_spring_festival_to_its_working_saturday(county):
    # Due Wednesday 25 February 2026: the 24th is one working day before, 15–23 February are
    # the holiday, and Saturday 14 February is a working day: the second before.
    [item] = record(county, bj(2026, 2, 10, 10), row(due_on="2026-02-25"))
    case = county.session.get_one(Case, item.case_id)
    assert iso(case.next_timer_at) == "2026-02-14T01:00:00+00:00"


def test_al13_an_item_past_its_deadline_is_escalated_and_held_against_its_owner(county):
    county.under("alxa_left")
    [item] = record(county, bj(2026, 9, 28, 10))
    sweep(county, bj(2026, 9, 30, 9, 1))  # the reminder
    sweep(county, bj(2026, 10, 9, 23, 59, 59))  # the deadline's last second still counts
    assert reload(county, item).state == "in_progress"
    sweep(county, bj(2026, 10, 10, 0, 0, 1))
    item = reload(county, item)
    assert (item.state, iso(item.overdue_at)) == ("overdue", "2026-10-09T16:00:01+00:00")
    zdb_units = [county.people["zdb"].unit_id]
    assert tasks(county, item) == [
        ("carry_out_item", [town_id(county)]),  # still the owner's to do
        ("item_overdue_review", zdb_units),  # the office's 督办
    ]
    [record_] = county.session.scalars(select(AccountabilityRecord)).all()
    assert (record_.unit_id, record_.failure, record_.case_id) == (
        town_id(county),
        "meeting_decision_late",
        item.case_id,
    )
    assert record_.measure == "旗委诫勉谈话、通报批评"
    dispatch_case_events(county.session, bj(2026, 10, 10, 8))
    assert sorted(notified(county.session, NotificationKind.TASK_OVERDUE)) == ["town", "zdb"]
    escalated = notified(county.session, NotificationKind.ITEM_OVERDUE)
    assert sorted(escalated) == ["zdb"]  # the key office; no chairing unit was named
    assert escalated["zdb"][0].body == (
        "2026年9月重点项目联席会议议定的事项“完成污水处理厂供电线路迁改”（责任单位：城关镇，"
        "落实期限：2026-10-09）已逾期未完成，请督办。"
    )
    assert notified(county.session, NotificationKind.ESCALATED) == {}
    county.assert_replays(county.session.get_one(Case, item.case_id))


def test_an_item_past_its_deadline_elsewhere_holds_no_one_accountable(county):
    [item] = record(county, bj(2026, 9, 28, 10))  # Lianping: no AL13
    sweep(county, bj(2026, 10, 10, 0, 0, 1))
    assert reload(county, item).state == "overdue"
    assert county.session.scalars(select(AccountabilityRecord)).all() == []


def test_an_accepted_item_is_done_and_its_case_closed(county):
    [item] = record(county, bj(2026, 9, 28, 10))
    assert submit(county, "town", item, "carry_out_item", bj(2026, 10, 8, 10)).accepted
    assert (reload(county, item).report or "").startswith("供电线路迁改方案")
    assert submit(county, "zdb", item, "accept_item", bj(2026, 10, 8, 15)).accepted
    item = reload(county, item)
    assert (item.state, iso(item.done_at)) == ("done", "2026-10-08T07:00:00+00:00")
    case = county.session.get_one(Case, item.case_id)
    assert (case.status, case.outcome) == ("closed", "item_done")
    warning = county.session.get_one(EarlyWarning, item.warning_id)
    assert (warning.source, warning.status) == ("decision", "item_done")
    county.assert_replays(case)


def test_a_reported_item_waits_for_acceptance_and_no_longer_runs_late(county):
    [item] = record(county, bj(2026, 9, 28, 10))
    submit(county, "town", item, "carry_out_item", bj(2026, 10, 8, 10))
    assert reload(county, item).state == "reported"
    assert DecidedItemState.REPORTED.label == "待验收"
    sweep(county, bj(2026, 10, 10, 0, 0, 1))  # past the deadline: the report came in time
    assert reload(county, item).state == "reported"
    assert [name for name, _ in tasks(county, item)] == ["accept_item"]


def test_a_report_after_a_refusal_waits_for_acceptance_again(county):
    [item] = record(county, bj(2026, 9, 28, 10))
    submit(county, "town", item, "carry_out_item", bj(2026, 10, 8, 10))
    submit(
        county,
        "zdb",
        item,
        "accept_item",
        bj(2026, 10, 8, 15),
        decision="not_accepted",
        opinion="线路未通过供电公司验收",
        new_due_date="2026-10-23",
    )
    assert reload(county, item).state == "rejected"
    submit(county, "town", item, "carry_out_item", bj(2026, 10, 20, 10))
    assert reload(county, item).state == "reported"


def test_gs6_an_item_not_accepted_goes_back_with_a_new_deadline(county):
    [item] = record(county, bj(2026, 9, 28, 10))
    submit(county, "town", item, "carry_out_item", bj(2026, 10, 8, 10))
    with pytest.raises(ValidationError, match="未通过的，须明确新的落实期限"):
        submit(county, "zdb", item, "accept_item", bj(2026, 10, 8, 15), decision="not_accepted")
    county.session.rollback()
    submit(
        county,
        "zdb",
        item,
        "accept_item",
        bj(2026, 10, 8, 15),
        decision="not_accepted",
        opinion="线路未通过供电公司验收",
        new_due_date="2026-10-23",
    )
    item = reload(county, item)
    assert (item.state, item.due_on.isoformat()) == ("rejected", "2026-10-23")
    assert item.rejection_reason == "线路未通过供电公司验收"
    [task] = open_task_rows(county.session, item.case_id)
    assert (task.name, iso(task.due_at)) == ("carry_out_item", "2026-10-23T15:59:59+00:00")
    sweep(county, bj(2026, 10, 24, 0, 0, 1))
    assert reload(county, item).state == "overdue"
    county.assert_replays(county.session.get_one(Case, item.case_id))


def test_every_refused_cell_is_named_and_nothing_is_saved(county):
    rows = [
        row(),
        row(owner_unit_code="X99", due_on="2026-09-01", matter=" "),
        row(project_code="NOPE", acceptance=""),
    ]
    with pytest.raises(ValidationError) as refused:
        record(county, bj(2026, 9, 28, 10), *rows)
    found = {(e.field, e.label, e.reason) for e in refused.value.errors}
    assert found == {
        ("items[1].matter", "议定事项第2项·议定事项", "不能为空"),
        ("items[1].owner_unit_code", "议定事项第2项·责任单位", "未知单位“X99”"),
        ("items[1].due_on", "议定事项第2项·落实期限", "不能早于今天"),
        ("items[2].acceptance", "议定事项第3项·验收标准", "不能为空"),
        ("items[2].project_code", "议定事项第3项·项目", "未知项目“NOPE”"),
    }
    county.session.rollback()
    assert county.session.scalars(select(DecidedItem)).all() == []
    assert county.session.scalars(select(Case)).all() == []


def test_only_the_offices_record_items(county):
    with pytest.raises(PermissionDenied):
        record(county, bj(2026, 9, 28, 10), who="town")
    assert len(record(county, bj(2026, 9, 28, 10), who="xfb")) == 1


def test_items_for_a_meeting_in_order_and_in_the_viewers_scope(county):
    first = record(county, bj(2026, 9, 28, 10), row(), row(owner_unit_code="T02"))
    [later] = record(county, bj(2026, 9, 29, 10), row(matter="完成管网接驳"))
    assert [i.position for i in (*first, later)] == [1, 2, 3]
    office = items_for(county.session, county.people["zdb"], "meeting", 7)
    assert [i.position for i in office] == [1, 2, 3]
    town = items_for(county.session, county.people["town"], "meeting", 7)
    assert [(i.position, i.matter) for i in town] == [
        (1, "完成污水处理厂供电线路迁改"),
        (3, "完成管网接驳"),
    ]
    assert [
        i.position for i in items_for(county.session, county.people["other"], "meeting", 7)
    ] == [2]
    assert items_for(county.session, county.people["zdb"], "tour", 7) == []
