"""Severity by rule from the profile (issue 15): reminders, cases after the grace, the board."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.codes import NotificationKind, WarningStatus
from keyproj.db.models import Case, EarlyWarning, Project
from keyproj.policy import PolicyProfile, load_profile
from keyproj.services.reference.calendar import cached_calendar
from keyproj.services.scan.run import import_feedback, run_scan
from tests.builders.clock import beijing
from tests.builders.county import County
from tests.builders.notifications import notified
from tests.builders.triage import automatic

FIVE = ["alxa_left", "dancheng", "guangshan", "handan", "lianping"]
MAY = date(2026, 5, 12)  # a period of every cycle contains it


def warnings_of(session: Session, project: Project) -> dict[str, WarningStatus]:
    rows = session.execute(
        select(EarlyWarning.rule_id, EarlyWarning.status).where(
            EarlyWarning.project_id == project.id
        )
    )
    return {rule_id: status for rule_id, status in rows}


def cases(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Case)) or 0)


def scan(session: Session, profile: PolicyProfile, day: date):  # type: ignore[no-untyped-def]
    # With the profile's automatic first notices on, an open warning's case starts in the scan;
    # otherwise it would wait in the key office's triage (tested in tests/services/triage).
    return run_scan(session, automatic(profile), day, beijing(day, 10))


def reporting_project(county: County, profile: PolicyProfile) -> tuple[Project, periods.Period]:
    """A project of 城关镇 listed from the start of May's period, with its plan filed (LP6):
    due to report for that period only."""
    county.with_people("town", "other", "zdb")
    period = periods.containing(profile.reporting.cycle, MAY)
    project = county.project(approved_on=period.start)
    breakdown = profile.plans.breakdown
    key = "2026-Q2" if breakdown == "quarterly" else "2026-05"
    county.plan(project, 2026, [(key, "100", "10")], kind=breakdown)
    return project, period


@pytest.mark.parametrize("name", FIVE)
def test_issue15_a_report_a_day_late_reminds_the_unit_and_still_missing_after_the_grace_opens_a_case(
    session, county, name
):
    profile = load_profile(name)
    project, period = reporting_project(county, profile)
    due = periods.due_date(period, profile.reporting)

    late = scan(session, profile, due + timedelta(days=1))

    assert warnings_of(session, project) == {"report_overdue": WarningStatus.REMINDED}
    assert (late.cases_started, late.open_warnings, cases(session)) == (0, 0, 0)
    reminders = notified(session, NotificationKind.WARNING_REMINDER)
    assert list(reminders) == ["town"]  # the lead unit's liaison; not 石桥镇, not the office
    (reminder,) = reminders["town"]
    assert reminder.link == f"/projects/{project.id}"
    assert project.name in reminder.title
    assert f"应于{due}前报送，未报送" in reminder.body

    # The next day's scan reminds no one again: once per project and period.
    scan(session, profile, due + timedelta(days=2))
    assert len(notified(session, NotificationKind.WARNING_REMINDER)["town"]) == 1

    grace_end = cached_calendar(session).add_working_days(due, profile.reporting.grace_working_days)
    still = scan(session, profile, grace_end)  # the grace's last day: still only the reminder
    assert (still.new_warnings, cases(session)) == (0, 0)

    missing = scan(session, profile, grace_end + timedelta(days=1))

    assert missing.by_rule == {"report_missing": 1}
    assert warnings_of(session, project) == {
        "report_overdue": WarningStatus.REMINDED,
        "report_missing": WarningStatus.OPEN,
    }
    assert (missing.cases_started, missing.open_warnings, cases(session)) == (1, 1, 1)
    warning = session.scalars(
        select(EarlyWarning).where(EarlyWarning.rule_id == "report_missing")
    ).one()
    assert (warning.period, warning.colour) == (period.key, "red")
    assert f"宽限期已于{grace_end}届满" in warning.evidence["summary"]


@pytest.mark.parametrize("name", FIVE)
def test_issue15_a_report_that_came_in_a_day_late_stays_a_reminder(session, county, name):
    profile = load_profile(name)
    project, period = reporting_project(county, profile)
    due = periods.due_date(period, profile.reporting)
    county.report(
        project,
        profile.reporting.cycle,
        period.key,
        "100",
        "10",
        submitted=beijing(due + timedelta(1)),
    )

    grace_end = cached_calendar(session).add_working_days(due, profile.reporting.grace_working_days)
    result = scan(session, profile, grace_end + timedelta(days=1))

    assert warnings_of(session, project) == {"report_overdue": WarningStatus.REMINDED}
    assert (result.cases_started, cases(session)) == (0, 0)
    (reminder,) = notified(session, NotificationKind.WARNING_REMINDER)["town"]
    assert "逾期1天" in reminder.body


def with_severity(profile: PolicyProfile, **changes: str) -> PolicyProfile:
    return profile.model_copy(update={"severity": profile.severity.model_copy(update=changes)})


def test_issue15_a_board_rule_is_kept_for_the_board_without_a_case_or_a_reminder(session, county):
    profile = with_severity(load_profile("lianping"), report_overdue="board")
    project, period = reporting_project(county, profile)
    due = periods.due_date(period, profile.reporting)

    result = scan(session, profile, due + timedelta(days=1))

    assert warnings_of(session, project) == {"report_overdue": WarningStatus.BOARD}
    assert (result.new_warnings, result.cases_started, cases(session)) == (1, 0, 0)
    assert notified(session, NotificationKind.WARNING_REMINDER) == {}
    assert scan(session, profile, due + timedelta(days=2)).new_warnings == 0  # kept once


def test_issue15_a_case_rule_opens_a_case_on_the_first_day(session, county):
    profile = with_severity(load_profile("lianping"), report_overdue="case")
    project, period = reporting_project(county, profile)
    due = periods.due_date(period, profile.reporting)

    result = scan(session, profile, due + timedelta(days=1))

    assert warnings_of(session, project) == {"report_overdue": WarningStatus.OPEN}
    assert (result.cases_started, cases(session)) == (1, 1)
    assert notified(session, NotificationKind.WARNING_REMINDER) == {}


def test_issue15_feedback_follows_its_family_entry(session, county, tmp_path):
    county.with_people("town")
    road = county.project("国道G236线改线工程")
    path = tmp_path / "feedback.csv"
    path.write_text(
        "编号,来源,项目代码,期次,预警等级,预警颜色,预警内容,预警日期\n"
        f"SX-2026-0031,省,{road.code},2026-02,进度预警,红色,2月投资完成率低于序时进度60%,\n",
        encoding="utf-8",
    )
    profile = with_severity(load_profile("lianping"), feedback="reminder")

    result = import_feedback(session, profile, path, beijing(date(2026, 3, 20), 10))

    assert (result.created, result.cases_started, cases(session)) == (1, 0, 0)
    assert warnings_of(session, road) == {"feedback_province_progress": WarningStatus.REMINDED}
    (reminder,) = notified(session, NotificationKind.WARNING_REMINDER)["town"]
    assert "2月投资完成率低于序时进度60%" in reminder.body
