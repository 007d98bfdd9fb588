"""Dancheng's leader-led path through the services (DC1–DC3), on SQLite and PostgreSQL: an
escalated case goes to the project's 分包领导 first: in the inbox of the leader's own account and
nobody else's; without an account the county government records it; without a leader the case
goes straight to the monthly dispatch meeting. The case page shows the leader's part, and every
path replays (X4). National Day 2026: 25–27 Sep and 1–7 Oct off, Sat 10 Oct worked."""

from __future__ import annotations

import pytest

from keyproj.errors import NotFound, PermissionDenied, ValidationError
from keyproj.services.access import viewer_for
from keyproj.services.cases import commands as cases
from keyproj.services.cases.views.inbox import InboxFilters, inbox_page
from keyproj.services.cases.views.pages import case_detail
from keyproj.services.notifications import inbox as notifications
from keyproj.services.org.directory import save_leader
from tests.builders import factories
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.notifications import notified

ISSUED = bj(2026, 9, 24, 10)  # the lead unit's response is due on 30 Sep (25–27 Sep off)
LATE = bj(2026, 10, 1, 9)  # the sweep after it: the lead unit was late (LP17)


@pytest.fixture
def county(county: County) -> County:
    """The plant project's warning case under Dancheng's profile, and so its diagram."""
    return county.under("dancheng")


def escalated(c: County) -> None:
    """Notice on 24 Sep; nobody responds; the sweep on 1 Oct escalates the case (LP17)."""
    c.start(ISSUED)
    c.submit("zdb", "issue_notice", ISSUED)
    c.sweep(LATE)


def inbox_names(c: County, who: str) -> list[str]:
    rows = inbox_page(c.session, c.people[who], InboxFilters(), c.at(LATE)).rows
    return [r.name for r in rows]


def test_dc1_the_leaders_own_account_alone_gets_the_task_and_resolves_the_case(county):
    county.link_leader("leader01")
    escalated(county)
    assert county.waiting() == ["leader_onsite"]
    assert county.case.definition.key == "dancheng_case"
    task = county.task("leader_onsite")
    # DC2: 5 working days from 1 Oct: 8, 9, Sat 10, 12, 13 Oct (end of day, Beijing).
    assert task.due_at == bj(2026, 10, 13, 23, 59, 59)
    assert [c.unit_id for c in task.candidates] == [county.people["leader01"].unit_id]
    assert inbox_names(county, "leader01") == ["leader_onsite"]
    for other in ("xfb", "zdb", "town", "dept", "dcs"):
        assert "leader_onsite" not in inbox_names(county, other), other
    with pytest.raises(PermissionDenied):  # 县府办 does not take the leader's own task
        cases.claim_task(county.session, county.people["xfb"], task.id, LATE)
    with pytest.raises(ValidationError) as refused:  # recorded once it has taken place (DC2)
        county.submit("leader01", "leader_onsite", bj(2026, 10, 9, 16), onsite_date="2026-10-10")
    county.session.rollback()
    assert [str(e) for e in refused.value.errors] == ["现场办公日期：不能晚于今天：举行后再记录"]
    result = county.submit("leader01", "leader_onsite", bj(2026, 10, 9, 16))
    assert result.accepted, result.message
    county.session.refresh(county.case)
    assert (county.case.status, county.case.outcome) == ("closed", "leader_resolved")
    assert county.warning.status == "leader_resolved"
    detail = case_detail(county.session, county.people["zdb"], county.case.id, LATE)
    assert detail.leader is not None
    assert (detail.leader.name, detail.leader.onsite_date, detail.leader.decision) == (
        "李挂钩（副县长）",
        "2026-10-09",
        "已协调解决，办结",
    )
    assert detail.leader.state == "已现场办公协调"
    county.assert_replays()


def test_dc1_another_leaders_account_neither_sees_nor_takes_the_task(county):
    county.link_leader("leader01")
    escalated(county)
    # 分包领导 of another project, with an account of the same unit (县领导).
    road = county.with_projects("road").road
    user = factories.user(county.session, "leader02", "XLD", "leader")
    road.leader_id = save_leader(county.session, "赵分包", "副县长", username="leader02").id
    county.session.commit()
    other = viewer_for(county.session, user)
    assert other.unit_id == county.people["leader01"].unit_id
    county.people["leader02"] = other
    assert inbox_names(county, "leader02") == []
    task_id = county.task("leader_onsite").id
    with pytest.raises(NotFound):  # not even its existence: the case is not of their projects
        cases.claim_task(county.session, other, task_id, LATE)
    assert inbox_names(county, "leader01") == ["leader_onsite"]
    cases.claim_task(county.session, county.people["leader01"], task_id, LATE)


def test_dc3_a_leader_without_an_account_is_recorded_by_the_county_government_then_the_meeting(
    county,
):
    leader = save_leader(county.session, "王建军", "常务副县长")
    county.warning.project.leader_id = leader.id
    county.session.commit()
    escalated(county)
    task = county.task("leader_onsite")
    assert task.lane == "县政府"
    assert inbox_names(county, "xfb") == ["leader_onsite"]  # the 县政府 lane's units
    county.submit(
        "xfb",
        "leader_onsite",
        bj(2026, 10, 12, 9),
        decision="to_meeting",
        meeting_issues="征地补偿标准需县政府研究确定",
    )
    assert county.waiting() == ["county_gov_assign"]
    assert county.task("county_gov_assign").title == "提交月度项目推进调度例会（DC3）"
    detail = case_detail(county.session, county.people["zdb"], county.case.id, LATE)
    assert detail.leader is not None
    assert (detail.leader.name, detail.leader.decision) == (
        "王建军（常务副县长）",
        "提交月度项目推进调度例会",
    )
    assert detail.leader.recorded_by == county.users["xfb"].display_name
    county.submit("xfb", "county_gov_assign", bj(2026, 10, 12, 10))
    county.submit("xfb", "county_gov_handle", bj(2026, 10, 13, 10))
    county.session.refresh(county.case)
    assert county.case.outcome == "county_resolved"
    county.assert_replays()


def test_dc2_the_leader_is_told_of_the_task_and_reminded_when_it_is_overdue_it_stays_open(county):
    county.link_leader("leader01")
    escalated(county)
    notifications.dispatch_case_events(county.session, county.at(bj(2026, 10, 1, 9, 5)))
    county.session.commit()
    [escalation] = notified(county.session, "escalated")["xfb"]  # 县府办 hears where it went
    assert escalation.title == "预警案件转项目分包领导协调"
    assert "因责任单位逾期未响应，已转项目分包领导现场办公协调" in escalation.body
    ready = notified(county.session, "task_ready")
    assert [n.title for n in ready["leader01"]] == ["新待办任务：分包领导现场办公协调（DC1、DC2）"]
    overdue = bj(2026, 10, 14, 0, 0, 1)  # past 13 Oct, the leader's 5th working day
    county.sweep(overdue)
    assert county.waiting() == ["leader_onsite"]  # a reminder, not an escalation
    detail = case_detail(county.session, county.people["zdb"], county.case.id, overdue)
    assert detail.leader is not None
    assert detail.leader.state == "已逾期，待现场办公协调"
    assert "leader_onsite" in detail.flagged
    notifications.dispatch_case_events(county.session, county.at(bj(2026, 10, 14, 9)))
    county.session.commit()
    reminded = notified(county.session, "task_overdue")
    assert sorted(reminded) == ["leader01", "zdb"]  # the leader and the key office, once each
    assert "已于2026-10-13 23:59到期" in reminded["leader01"][0].body
    county.assert_replays()


def test_dc1_a_project_without_a_leader_goes_straight_to_the_dispatch_meeting(county):
    escalated(county)
    assert county.waiting() == ["county_gov_assign"]
    detail = case_detail(county.session, county.people["zdb"], county.case.id, LATE)
    assert detail.leader is None
    county.assert_replays()
