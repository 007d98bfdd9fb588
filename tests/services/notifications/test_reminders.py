"""Reminders: tasks by working days (X5), reports before their due day (LP8, AL6, HD2, GS1),
the monthly bulletin (LP19); each once."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from keyproj.db.models import Project, User
from keyproj.policy import load_profile
from keyproj.services.cases import commands as cases
from keyproj.services.notifications import inbox as notifications
from keyproj.services.org.directory import add_liaison
from tests.builders import factories
from tests.builders.clock import FrozenClock, bj
from tests.builders.county import County
from tests.builders.notifications import notified


def remind_tasks(county, moment) -> int:
    created = notifications.send_task_reminders(
        county.session, load_profile("lianping"), county.at(moment)
    )
    county.session.commit()
    return created


def test_X5_task_due_within_a_working_day_reminds_its_candidates(county):
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))  # respond: due 25 Feb 23:59
    assert remind_tasks(county, bj(2026, 2, 13, 11)) == 0  # the next working day is Sat 14th
    assert remind_tasks(county, bj(2026, 2, 24, 9)) == 2
    told = notified(county.session, "task_due_soon")
    assert sorted(told) == ["dept", "town"]
    note = told["town"][0]
    assert note.title == "任务即将到期：受理并开展协调"
    assert note.body == (
        "项目“城关镇污水处理厂提标改造工程”的任务“受理并开展协调”（承办：城关镇）"
        "将于2026-02-25 23:59到期，请抓紧办理。"
    )
    assert note.link == f"/tasks/{county.task('respond').id}"


def test_X5_holidays_do_not_count_as_working_days_before_a_deadline(county):
    county.start(bj(2026, 2, 12, 9))  # the notice is due Tue 24 Feb, after the Spring Festival
    # Sat 14 Feb is a make-up working day; the next working day after it is the 24th.
    assert remind_tasks(county, bj(2026, 2, 14, 9)) == 1
    assert [n.title for n in notified(county.session)["zdb"]] == ["任务即将到期：发出预警催办通知"]


def test_claimed_task_reminds_only_its_claimer(county):
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    now = county.at(bj(2026, 2, 14, 9))
    county.with_people("town2").committed()
    town_task = county.task("respond", unit=county.people["town"].unit_id)
    cases.claim_task(county.session, county.people["town"], town_task.id, now)
    county.session.commit()
    assert remind_tasks(county, bj(2026, 2, 24, 9)) == 2  # the town's claimer, the dept's own
    told = notified(county.session, "task_due_soon")
    assert sorted(told) == ["dept", "town"]  # not town2: the town's task is claimed


def test_overdue_task_alerts_its_people_and_the_key_office_once(county):
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    assert remind_tasks(county, bj(2026, 2, 24, 9)) == 2
    assert remind_tasks(county, bj(2026, 2, 25, 9)) == 0  # already reminded of this deadline
    # The timers have not been swept yet: the task is still open after its deadline.
    assert remind_tasks(county, bj(2026, 2, 26, 9)) == 4  # each unit's own, the key office twice
    overdue = notified(county.session, "task_overdue")
    assert sorted(overdue) == ["dept", "town", "zdb"]
    assert {n.body for n in overdue["zdb"]} == {
        f"项目“城关镇污水处理厂提标改造工程”的任务“受理并开展协调”（承办：{unit}）"
        "已于2026-02-25 23:59到期，尚未办结，请尽快处理。"
        for unit in ("城关镇", "县交通运输局")
    }
    assert remind_tasks(county, bj(2026, 2, 26, 10)) == 0


@pytest.fixture
def ledger(session: Session, clock: FrozenClock) -> tuple[dict[str, User], dict[str, Project]]:
    """Liaisons of both towns, 城关镇's head, the key office; projects led by 城关镇."""
    county = County(session, clock).with_people("town", "town-head", "other", "zdb", "zdb2")
    projects = {
        "road": factories.project(session, "T01", name="城关大道改造工程"),
        "school": factories.project(session, "T01", name="城关第二小学建设项目"),
        "done": factories.project(session, "T01", name="已投用的污水厂", stage="in_use"),
    }
    session.commit()
    return county.users, projects


def remind_reports(session: Session, profile: str, today: date) -> int:
    created = notifications.send_report_reminders(session, load_profile(profile), today)
    session.commit()
    return created


def test_LP8_monthly_report_is_reminded_a_working_day_before_the_25th(session, ledger):
    _, projects = ledger
    factories.report(session, projects["school"], "2026-03")  # submitted: nothing to remind
    assert remind_reports(session, "lianping", date(2026, 3, 23)) == 0
    assert remind_reports(session, "lianping", date(2026, 3, 24)) == 1
    [note] = notified(session, "report_due")["town"]
    road = projects["road"]
    assert note.title == "2026年3月月报待报送：城关大道改造工程"
    assert note.body == (
        "项目“城关大道改造工程”的2026年3月月报应于2026年3月25日前报送，目前尚未填报，请及时填报报送。"
    )
    assert note.link == f"/projects/{road.id}"
    assert remind_reports(session, "lianping", date(2026, 3, 25)) == 0  # once per period


def test_LP5_registered_liaison_account_is_reminded_of_a_draft(session, ledger):
    users, projects = ledger
    liaison = add_liaison(session, "王联络", "13800000001", unit_code="T01")
    liaison.user_id = users["town-head"].id
    factories.report(session, projects["school"], "2026-03", status="draft", submitted_at=None)
    session.commit()
    assert remind_reports(session, "lianping", date(2026, 3, 24)) == 4
    told = notified(session, "report_due")
    assert sorted(told) == ["town", "town-head"]
    school = next(n for n in told["town"] if "城关第二小学" in n.title)
    assert "目前仍为草稿" in school.body


def test_AL6_semimonthly_reports_are_reminded_before_the_14th_and_the_28th(session, ledger):
    assert remind_reports(session, "alxa_left", date(2026, 4, 12)) == 0
    assert remind_reports(session, "alxa_left", date(2026, 4, 13)) == 2
    assert remind_reports(session, "alxa_left", date(2026, 4, 27)) == 2
    titles = sorted({n.title.split("：")[0] for n in notified(session, "report_due")["town"]})
    assert titles == ["2026年4月上半月半月报待报送", "2026年4月下半月半月报待报送"]


def test_HD2_last_months_report_is_reminded_two_working_days_before_the_5th(session, ledger):
    assert remind_reports(session, "handan", date(2026, 7, 1)) == 0
    assert remind_reports(session, "handan", date(2026, 7, 2)) == 2  # the 5th is a Sunday
    note = notified(session, "report_due")["town"][0]
    assert note.title.startswith("2026年6月月报待报送")
    assert "应于2026年7月5日前报送" in note.body


def test_GS1_weekly_report_is_reminded_the_day_before_friday(session, ledger):
    assert remind_reports(session, "guangshan", date(2026, 3, 18)) == 0
    assert remind_reports(session, "guangshan", date(2026, 3, 19)) == 2
    note = notified(session, "report_due")["town"][0]
    assert note.title.startswith("2026年第12周周报待报送")
    assert "2026年3月20日前" in note.body


def bulletin(session: Session, today: date) -> int:
    created = notifications.bulletin_due(session, load_profile("lianping"), today)
    session.commit()
    return created


def test_LP19_bulletin_is_due_before_the_11th_once_a_month(session, ledger):
    assert bulletin(session, date(2026, 3, 2)) == 2
    told = notified(session, "bulletin_due")
    assert sorted(told) == ["zdb", "zdb2"]
    note = told["zdb"][0]
    assert note.title == "2026年2月重点项目建设情况通报待编发"
    assert note.body.startswith("2026年2月重点项目建设情况通报应于2026年3月11日前印发")
    assert bulletin(session, date(2026, 3, 11)) == 0  # once per month
    assert bulletin(session, date(2026, 4, 12)) == 0  # past the due day: no longer "due"
    assert bulletin(session, date(2026, 5, 1)) == 2  # April's
