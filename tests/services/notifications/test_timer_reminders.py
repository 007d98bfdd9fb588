"""Reminding timers → notifications (LP18): a long matter's report due soon reaches the lead
unit; overdue, the unit and the key office; an overdue evaluation, the key office. Once each,
whether the timer or the reminder sweep tells them first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import sessionmaker

from keyproj.policy import load_profile
from keyproj.services.cases.timers import sweep
from keyproj.services.notifications import inbox as notifications
from keyproj.services.notifications.reminders import send_task_reminders
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.notifications import notified

REPORT_TITLE = "动态报告协调办理情况（LP18）"


def run_sweep(county: County, moment: datetime) -> None:
    county.at(moment)
    sweep(sessionmaker(county.session.get_bind(), expire_on_commit=False), moment)
    county.session.expire_all()


def dispatch(county: County, moment: datetime) -> None:
    notifications.dispatch_case_events(county.session, county.at(moment))
    county.session.commit()


def titles(county: County, kind: str) -> dict[str, list[str]]:
    return {name: [n.title for n in rows] for name, rows in notified(county.session, kind).items()}


def long_matter(county: County, day: datetime) -> None:
    """A case whose evaluation put it on long-term follow-up on ``day`` (lead unit 城关镇)."""
    county.start(day)
    county.submit("zdb", "issue_notice", day)
    county.answer_round(day, day, result="partly")
    county.submit("zdb", "evaluate", day, decision="long_term", opinion="需较长时间跟进")


def test_lp18_report_reminder_then_overdue_reach_the_unit_then_the_key_office_too(county):
    long_matter(county, bj(2026, 2, 6, 9))  # the report is due Fri 27 Feb, after the holiday
    dispatch(county, bj(2026, 2, 6, 9, 5))
    run_sweep(county, bj(2026, 2, 27, 0, 1))
    dispatch(county, bj(2026, 2, 27, 0, 2))
    assert titles(county, "task_due_soon") == {"town": [f"任务即将到期：{REPORT_TITLE}"]}
    assert titles(county, "task_overdue") == {}

    run_sweep(county, bj(2026, 2, 28, 0, 1))
    dispatch(county, bj(2026, 2, 28, 0, 2))
    overdue = titles(county, "task_overdue")
    assert overdue == {
        "town": [f"任务已逾期：{REPORT_TITLE}"],
        "zdb": [f"任务已逾期：{REPORT_TITLE}"],
    }
    assert "dept" not in notified(county.session)  # the phase unit does not report
    # The reminder sweep finds the same task overdue: nobody hears of it twice.
    now = county.at(bj(2026, 2, 28, 8))
    assert send_task_reminders(county.session, load_profile("lianping"), now) == 0


def test_evaluation_overdue_reaches_the_key_office(county):
    county.start(bj(2026, 2, 12, 10))
    county.submit("zdb", "issue_notice", bj(2026, 2, 12, 10))
    county.answer_round(bj(2026, 2, 12, 10), bj(2026, 2, 12, 10))
    run_sweep(county, bj(2026, 2, 25, 0, 1))  # due Tue 24 Feb, after the Spring Festival
    dispatch(county, bj(2026, 2, 25, 0, 2))
    assert titles(county, "task_overdue") == {"zdb": ["任务已逾期：评估协调成效"]}
