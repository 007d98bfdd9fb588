"""Homes of the leader, the county government office (LP16), the supervision office (LP20),
the auditor (X4) and the administrator (issue 15)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.orm import sessionmaker

from keyproj.codes import Colour
from keyproj.db.models import CaseEvent
from keyproj.services.access import viewer_for
from keyproj.services.cases.timers import sweep
from keyproj.services.home.admin import admin_home
from keyproj.services.home.auditor import auditor_home
from keyproj.services.home.leader import leader_home
from keyproj.services.home.offices import county_gov_home, supervision_home
from tests.builders import factories
from tests.builders.clock import bj
from tests.builders.registries import leader_with_account


@pytest.fixture
def escalated(county):
    """The plant case escalated to the county government, and a second case just opened."""
    county.with_warning_case().with_projects("road")
    county.start(bj(2025, 9, 30, 10))
    county.submit("zdb", "issue_notice", bj(2025, 9, 30, 15))
    county.answer_round(bj(2025, 10, 9, 9), bj(2025, 10, 20, 10), result="partly")
    county.submit("zdb", "evaluate", bj(2025, 10, 21, 10), decision="escalate")
    county.open_case(county.road, bj(2025, 10, 21, 11))
    return county


def test_lp16_the_county_government_sees_its_escalated_matters(session, escalated):
    home = county_gov_home(session, escalated.people["xfb"], date(2025, 10, 22))
    assert home.escalated == 1
    assert [c.case_id for c in home.cases] == [escalated.case.id]
    assert home.cases[0].project_name == escalated.warning.project.name
    assert home.follow_ups == []


def test_lp16_a_late_phase_units_part_waits_at_the_county_government(session, county):
    county.with_warning_case()
    county.start(bj(2026, 9, 29, 10))
    county.submit("zdb", "issue_notice", bj(2026, 9, 30, 15))  # lead 城关镇, phase 交通运输局
    county.submit("town", "respond", bj(2026, 10, 9, 9))
    moment = county.at(bj(2026, 10, 11, 9))  # the phase unit's response was due 10 October
    sweep(sessionmaker(session.get_bind(), expire_on_commit=False), moment)
    session.expire_all()
    assert "phase_escalated" in county.waiting()
    home = county_gov_home(session, county.people["xfb"], date(2026, 10, 11))
    assert home.escalated == 1
    assert [c.case_id for c in home.cases] == [county.case.id]


def test_lp16_an_onsite_meeting_is_followed_up_until_its_date(session, escalated):
    escalated.submit("xfb", "county_gov_assign", bj(2025, 10, 22, 9))
    items = [
        {"unit_code": "D01", "matter": "完成资金拨付", "due_date": "2025-11-20"},
        {"unit_code": "T01", "matter": "完成征地", "due_date": "2025-11-28"},
    ]
    escalated.submit(
        "xfb",
        "county_gov_handle",
        bj(2025, 10, 22, 10),
        decision="onsite_meeting",
        meeting_minutes="交通运输局牵头，11月20日前完成资金拨付。",
        follow_ups=items,
    )
    home = county_gov_home(session, escalated.people["xfb"], date(2025, 11, 20))
    assert home.escalated == 0
    [follow_up] = home.follow_ups
    assert (follow_up.case_id, follow_up.due) == (escalated.case.id, date(2025, 11, 20))
    assert follow_up.minutes == "交通运输局牵头，11月20日前完成资金拨付。"
    assert home.follow_ups_overdue == 0
    later = county_gov_home(session, escalated.people["xfb"], date(2025, 11, 21))
    assert later.follow_ups_overdue == 1
    # A unit that does not answer for the case does not see its meeting.
    assert county_gov_home(session, escalated.people["other"], date(2025, 11, 21)).follow_ups == []


def test_lp20_the_supervision_ledger_moves_from_filing_to_result(session, escalated):
    assert (supervision_home(session, escalated.people["dcs"]).to_file) == 0
    escalated.submit("xfb", "county_gov_assign", bj(2025, 10, 22, 9))
    escalated.submit("xfb", "county_gov_handle", bj(2025, 10, 22, 10), decision="supervision")
    home = supervision_home(session, escalated.people["dcs"])
    assert (home.to_file, home.to_conclude, home.total) == (1, 0, 1)
    escalated.submit("dcs", "supervision_file", bj(2025, 10, 22, 11))
    home = supervision_home(session, escalated.people["dcs"])
    assert (home.to_file, home.to_conclude) == (0, 1)
    assert [c.case_id for c in home.cases] == [escalated.case.id]


def test_a_leader_sees_only_the_linked_projects_colours_and_cases(session, escalated):
    escalated.with_projects("bridge")
    _, user = leader_with_account(session, "王强", "wangqiang", escalated.warning.project)
    factories.warning(session, escalated.bridge, "2026-01", colour="blue")  # not theirs
    viewer = viewer_for(session, user)

    home = leader_home(session, viewer)

    assert home.colours.total == 1
    assert home.colours.by_colour[Colour.RED] == 1
    assert home.open_cases == 1


def test_x4_the_auditor_sees_recent_cases_and_a_tampered_chain(session, escalated):
    auditor = factories.user(session, "sj", "ZDB", "auditor")
    viewer = viewer_for(session, auditor)
    home = auditor_home(session, viewer)
    assert home.cases == 2
    assert [c.case_id for c in home.recent] == [escalated.cases[-1].id, escalated.case.id]
    assert home.broken == 0
    session.execute(
        update(CaseEvent)
        .where(CaseEvent.case_id == escalated.case.id, CaseEvent.seq == 2)
        .values(task_name="tampered")
    )
    home = auditor_home(session, viewer)
    assert home.broken == 1
    assert home.recent[1].problem


def test_the_administrator_sees_accounts_locked_accounts_units_and_calendar_years(session, county):
    now = bj(2026, 3, 3, 9)
    before = admin_home(session, now)
    county.with_people("admin", "town", "other")
    factories.unit(session, "T09", "新设镇")
    county.users["other"].locked_until = now + timedelta(minutes=10)
    county.users["town"].locked_until = now - timedelta(minutes=10)  # the lock has run out
    session.flush()
    home = admin_home(session, now)
    assert home.locked_users == 1
    assert (home.users, home.units) == (before.users + 3, before.units + 1)
    assert 2026 in home.calendar_years
