"""LP10 checks: the record, and a finding that raises a warning into cases and opens an issue
in the project's ledger (LP13's issue list)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from keyproj.db.models import EarlyWarning, ProjectIssue
from keyproj.errors import PermissionDenied, ValidationError
from keyproj.policy import load_profile
from keyproj.services.spot_checks.checks import CheckData, Escalation, record_check
from keyproj.services.spot_checks.plans import draw_plan
from keyproj.services.spot_checks.reminders import remind_unchecked
from keyproj.services.spot_checks.views import plan_view
from keyproj.services.triage.queue import queue_count
from tests.builders.notifications import notified

NOW = datetime(2026, 3, 12, 2, tzinfo=UTC)  # 12 March 2026, 10:00 in Beijing
LIANPING = load_profile("lianping")
FOUND = "基坑支护未按方案施工\n现场仅有工人12名，进度明显滞后"


@pytest.fixture
def big(county):
    county.with_people("zdb", "town", "other")
    return county.project("城关镇产业园区基础设施工程", total_investment=Decimal("80000"))


def test_lp10_a_finding_raises_a_warning_into_the_triage(county, big, session):
    office = county.people["zdb"]
    draw_plan(session, LIANPING, office, date(2026, 3, 1), NOW, seed=3)
    data = CheckData(
        big.id,
        date(2026, 3, 11),
        "张三、李四",
        FOUND,
        Escalation(level="issue", colour="yellow"),
    )
    check = record_check(session, LIANPING, office, data, NOW)
    warning = session.get_one(EarlyWarning, check.warning_id)
    assert (warning.rule_id, warning.project_id, warning.period) == (
        "spot_check_finding",
        big.id,
        "2026-03-12-1",
    )
    assert (warning.level, warning.colour, warning.source) == ("issue", "yellow", "supervision")
    assert warning.evidence["requirements"] == ["LP10"]
    assert warning.evidence["checkers"] == "张三、李四"
    # LP13: it waits in the key office's triage for its notice, as a scanned warning does.
    assert (warning.status, warning.case_id) == ("open", None)
    assert queue_count(session) == 1
    assert check.issue_id is None
    view = plan_view(session, LIANPING, office, "2026-03", date(2026, 3, 12))
    assert [(e.project_name, e.checks) for e in view.entries] == [("城关镇产业园区基础设施工程", 1)]
    assert view.unchecked == []


def test_lp13_a_finding_goes_to_the_project_issue_list(county, big, session):
    office = county.people["zdb"]
    data = CheckData(
        big.id,
        date(2026, 3, 11),
        "张三",
        FOUND,
        Escalation(category="land", owner_unit_code="T01"),
    )
    check = record_check(session, LIANPING, office, data, NOW)
    issue = session.get_one(ProjectIssue, check.issue_id)
    assert (issue.project_id, issue.title, issue.opened_on) == (
        big.id,
        "基坑支护未按方案施工",
        date(2026, 3, 11),
    )
    assert issue.description == FOUND
    assert check.warning_id is None
    assert check.plan_id is None


def test_lp10_a_check_is_refused_field_by_field_and_nothing_is_saved(county, big, session):
    office = county.people["zdb"]
    bad = CheckData(big.id, date(2026, 3, 13), "", None, Escalation(level="issue"))
    with pytest.raises(ValidationError) as refused:
        record_check(session, LIANPING, office, bad, NOW)
    fields = {e.field for e in refused.value.errors}
    assert fields == {"checkers", "checked_on", "colour", "findings"}
    assert session.scalar(select(EarlyWarning.id)) is None


def test_lp10_only_the_key_office_records_checks(county, big, session):
    data = CheckData(big.id, date(2026, 3, 11), "张三")
    with pytest.raises(PermissionDenied):
        record_check(session, LIANPING, county.people["town"], data, NOW)


def test_a_unit_sees_only_its_own_projects_in_the_plan(county, big, session):
    office = county.people["zdb"]
    county.with_projects("bridge")
    draw_plan(session, LIANPING, office, date(2026, 3, 1), NOW, seed=3)
    mine = plan_view(session, LIANPING, county.people["other"], "2026-03", date(2026, 3, 12))
    assert [e.project_name for e in mine.entries] == ["石桥镇跨河大桥工程"]
    everyone = plan_view(session, LIANPING, office, "2026-03", date(2026, 3, 12))
    assert {e.project_name for e in everyone.entries} == {
        "城关镇产业园区基础设施工程",
        "石桥镇跨河大桥工程",
    }


def test_lp10_five_days_before_the_cycle_ends_the_office_hears_of_unchecked_projects(
    county, big, session
):
    county.with_projects("bridge")
    county.with_people("zdb2")
    draw_plan(session, LIANPING, county.people["zdb"], date(2026, 3, 1), NOW, seed=3)
    data = CheckData(big.id, date(2026, 3, 11), "张三")
    record_check(session, LIANPING, county.people["zdb"], data, NOW)
    assert remind_unchecked(session, LIANPING, datetime(2026, 3, 25, 15, 59, tzinfo=UTC)) == 0
    sent = remind_unchecked(session, LIANPING, datetime(2026, 3, 26, 1, tzinfo=UTC))  # 26th
    assert sent == 2  # zdb and zdb2
    notes = notified(session, "spot_checks_due")
    assert notes["zdb"][0].title == "2026年3月抽查计划尚有1个项目未抽查"
    assert "尚未抽查：石桥镇跨河大桥工程。" in notes["zdb"][0].body
    assert remind_unchecked(session, LIANPING, datetime(2026, 3, 27, 1, tzinfo=UTC)) == 0
