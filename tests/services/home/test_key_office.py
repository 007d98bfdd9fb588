"""The key office's home (issue 15): triage, LP13 notices due, overdue tasks by unit, cases by stage."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from keyproj.db.models import Unit
from keyproj.services.cases.views.inbox import inbox_filters, inbox_page
from keyproj.services.home.key_office import key_office_home
from keyproj.services.home.waiting import WaitingFilters, waiting_tasks
from tests.builders import factories
from tests.builders.clock import bj
from tests.builders.web import inbox_county

NOTICE_DAYS = 3  # the lianping profile's LP13 working days


def unit_id(session, code):
    return session.scalar(select(Unit.id).where(Unit.code == code))


def test_lp13_the_key_office_counts_triage_notices_due_and_stages(session, clock):
    county = inbox_county(session, clock)  # three notified cases; 3 March 2026, 09:00
    county.open_case(county.bridge, clock.at(bj(2026, 3, 2, 9)))  # its notice still to issue
    # Queued warnings (no case): one raised 24 February, past its LP13 due date (27 Feb);
    # one raised 27 February, due today (3 March: Saturday 28 Feb is a 调休 working day);
    # one raised today, due later.
    for period, raised in (("2025-01", 24), ("2025-02", 27)):
        factories.warning(
            session,
            county.road,
            period,
            raised_at=datetime(2026, 2, raised, 2, tzinfo=UTC),
            status="open",
        )
    factories.warning(session, county.bridge, "2025-03", raised_at=bj(2026, 3, 3, 8))
    session.commit()
    now = clock.at(bj(2026, 3, 3, 9))

    home = key_office_home(session, county.people["zdb"], NOTICE_DAYS, now)

    assert home.triage == 3
    assert (home.notices.tasks, home.notices.tasks_overdue) == (1, 0)
    assert (home.notices.queued, home.notices.queued_overdue, home.notices.queued_due_today) == (
        3,
        1,
        1,
    )
    # Only the February case's respond task is overdue, and only 城关镇 was asked.
    assert [(u.unit_name, u.count) for u in home.overdue_by_unit] == [("城关镇", 1)]
    assert home.overdue_tasks == 1
    stages = {s.name: s.count for s in home.stages}
    # LP13: the case naming a phase unit waits at 受理 for each of its two units.
    assert stages == {"respond": 4, "issue_notice": 1}
    # Each count is the total of the list it links to.
    office = county.people["zdb"]
    for stage in home.stages:
        listed = waiting_tasks(session, office, WaitingFilters(task=stage.name), now)
        assert listed.total == stage.count, stage.name
    for unit in home.overdue_by_unit:
        listed = waiting_tasks(
            session, office, WaitingFilters(unit_id=unit.unit_id, overdue=True), now
        )
        assert listed.total == unit.count
        assert {t.project_name for t in listed.items} == {"城关镇环城路改建工程"}
    # The overdue count is the one the unit's own inbox shows as overdue.
    liaison = county.people["town"]
    overdue = inbox_page(session, liaison, inbox_filters({"status": "overdue"}), now)
    assert overdue.total == 1


def test_lp13_a_notice_task_past_its_deadline_counts_as_overdue(session, clock):
    county = inbox_county(session, clock)
    county.open_case(county.road, clock.at(bj(2026, 2, 2, 9)))  # notice due 5 February
    now = clock.at(bj(2026, 3, 3, 9))
    home = key_office_home(session, county.people["zdb"], NOTICE_DAYS, now)
    assert (home.notices.tasks, home.notices.tasks_overdue) == (1, 1)
    assert ("县交通运输局", 1) not in [(u.unit_name, u.count) for u in home.overdue_by_unit]
    assert unit_id(session, "ZDB") in [u.unit_id for u in home.overdue_by_unit]
