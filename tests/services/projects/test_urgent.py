"""Urgent issues (LP9): the linked leader and the key office told at once; the key office's report
to the county government within the profile's working days, reminded and flagged when overdue."""

from __future__ import annotations

from datetime import date

import pytest

from keyproj.errors import Conflict, PermissionDenied, ValidationError
from keyproj.services.org.directory import save_leader
from keyproj.services.projects import issues, urgent
from keyproj.services.projects.issues import IssueData
from tests.builders import factories
from tests.builders.clock import bj
from tests.builders.notifications import notified


@pytest.fixture
def road(county):
    county.with_people("chengguan", "zdb", "xfb").with_projects("road")
    factories.user(county.session, "leader01", "XLD", "leader")
    leader = save_leader(county.session, "李挂钩", "副县长", username="leader01")
    county.road.leader_id = leader.id
    county.session.flush()
    return county.road


def _urgent(county, road, profile, moment, **data):
    county.at(moment)
    entry = IssueData("land", "村民阻工，急需协调", "T01", date(2026, 3, 6), urgent=True, **data)
    return issues.open_issue(
        county.session, county.people["chengguan"], road, entry, date(2026, 3, 6), profile
    )


def test_lp9_an_urgent_issue_tells_the_linked_leader_and_the_key_office_at_once(
    county, road, profile
):
    issue = _urgent(county, road, profile, bj(2026, 3, 6, 9))  # a Friday

    told = notified(county.session, "urgent_issue")
    assert sorted(told) == ["leader01", "zdb"]
    assert told["leader01"][0].title == "急需协调的重大问题：村民阻工，急需协调"
    # Three working days after Friday 6 March: Wednesday 11 March, end of day (X5).
    assert "请于2026-03-11 23:59前报告县政府" in told["zdb"][0].body
    duty = urgent.duty_of(county.session, issue.id)
    assert duty is not None
    assert duty.due_at == bj(2026, 3, 11, 23, 59, 59)


def test_lp9_an_issue_not_marked_urgent_starts_no_duty(county, road, profile):
    county.at(bj(2026, 3, 6, 9))
    entry = IssueData("land", "一般问题", "T01", date(2026, 3, 6))
    issue = issues.open_issue(
        county.session, county.people["chengguan"], road, entry, date(2026, 3, 6), profile
    )
    assert urgent.duty_of(county.session, issue.id) is None
    assert notified(county.session, "urgent_issue") == {}


def test_lp9_the_key_office_reports_to_the_county_government_once(county, road, profile):
    issue = _urgent(county, road, profile, bj(2026, 3, 6, 9))
    duty = urgent.duty_of(county.session, issue.id)
    assert duty is not None
    now = county.at(bj(2026, 3, 9, 10))
    with pytest.raises(PermissionDenied):
        urgent.report_to_county(county.session, county.people["chengguan"], duty.id, "已报", now)
    with pytest.raises(ValidationError) as info:
        urgent.report_to_county(county.session, county.people["zdb"], duty.id, " ", now)
    assert list(info.value.by_field()) == ["report"]

    urgent.report_to_county(
        county.session, county.people["zdb"], duty.id, "已书面报告县政府办公室", now
    )
    assert duty.reported_at == now
    told = notified(county.session, "urgent_issue")
    assert told["xfb"][0].body.endswith("已书面报告县政府办公室")
    with pytest.raises(Conflict, match="已于2026-03-09 10:00报告县政府"):
        urgent.report_to_county(county.session, county.people["zdb"], duty.id, "再报", now)


def test_lp9_the_report_is_reminded_before_its_deadline_and_flagged_once_overdue(
    county, road, profile
):
    issue = _urgent(county, road, profile, bj(2026, 3, 6, 9))
    session = county.session

    assert urgent.send_urgent_report_reminders(session, profile, county.at(bj(2026, 3, 9, 9))) == 0
    assert urgent.send_urgent_report_reminders(session, profile, county.at(bj(2026, 3, 10, 9))) == 1
    soon = notified(session, "task_due_soon")["zdb"]
    assert soon[0].title == "即将到期：报告县政府“村民阻工，急需协调”"
    late = county.at(bj(2026, 3, 12, 9))
    assert urgent.send_urgent_report_reminders(session, profile, late) == 1
    assert urgent.send_urgent_report_reminders(session, profile, late) == 0  # once
    overdue = notified(session, "urgent_report_overdue")["zdb"]
    assert overdue[0].title == "逾期未报县政府：村民阻工，急需协调"

    duty = urgent.duty_of(session, issue.id)
    assert duty is not None
    urgent.report_to_county(session, county.people["zdb"], duty.id, "已报", late)
    assert urgent.send_urgent_report_reminders(session, profile, county.at(bj(2026, 3, 13, 9))) == 0
