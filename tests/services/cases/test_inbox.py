"""The inbox (X2): who sees which task, and in which order."""

from __future__ import annotations

from keyproj.clock import now_utc
from keyproj.services.cases import commands as cases
from keyproj.services.cases.views.inbox import InboxFilters, inbox_page
from tests.builders.clock import bj


def inbox(county, who: str, **filters):
    return inbox_page(county.session, county.people[who], InboxFilters(**filters), now_utc()).rows


def names(county, who: str) -> list[str]:
    return [t.name for t in inbox(county, who)]


def test_x2_each_task_reaches_only_its_lane_and_units(county):
    county.start(bj(2026, 2, 12, 9))
    assert names(county, "zdb") == ["issue_notice"]
    assert names(county, "town") == []
    assert names(county, "xfb") == []
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    assert names(county, "zdb") == []
    assert names(county, "town") == ["respond"]  # LP13: each unit's own part, its own task
    assert names(county, "dept") == ["respond"]
    assert names(county, "other") == []  # another town
    town_task = county.task("respond", unit=county.people["town"].unit_id)
    dept_task = county.task("respond", unit=county.people["dept"].unit_id)
    assert town_task.id != dept_task.id
    assert [(t.task_id, t.part_unit_name) for t in inbox(county, "town")] == [
        (town_task.id, "城关镇")
    ]
    now = county.at(bj(2026, 2, 14, 9))
    cases.claim_task(county.session, county.people["dept"], dept_task.id, now)
    county.session.commit()
    assert names(county, "dept") == ["respond"]  # their own claim stays in their inbox
    assert [t.task_id for t in inbox(county, "town")] == [town_task.id]  # its part is its own


def test_x2_inbox_puts_the_nearest_deadline_first(county):
    county.start(bj(2026, 2, 12, 9))
    first = county.case
    later = county.more_cases(1)  # started 2025-09-30: its notice deadline passed long ago
    tasks = inbox(county, "zdb")
    assert [t.case_id for t in tasks] == [later[0], first.id]
    assert [t.case_id for t in inbox(county, "zdb", case_id=first.id)] == [first.id]
