"""Handan's measures at escalation through the services (HD5 提醒函, HD6 约谈), on SQLite and
PostgreSQL: the numbered letter in the lead unit's inbox, the interview with its triggers and
commitments, both on the case page, overdue reminders, refusals naming their field, and every
path replays (X4)."""

from __future__ import annotations

from typing import Any

import pytest

from keyproj.errors import ValidationError
from keyproj.services.cases.numbering import next_reminder_letter_number
from keyproj.services.cases.views.inbox import InboxFilters, inbox_page
from keyproj.services.cases.views.pages import case_detail
from keyproj.services.notifications import inbox as notifications
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.notifications import notified

LETTER_TEXT = "你单位牵头的项目逾期未响应预警催办通知，请限期整改并报告整改措施。"
TRIGGERS = ["ledger_date_missed", "leader_request"]
COMMITMENTS = [
    {"matter": "10月底前完成施工许可办理", "unit_code": "T01", "due_date": "2026-10-31"},
    {"matter": "11月中旬前拨付征地补偿款", "unit_code": "D01", "due_date": "2026-11-15"},
]


@pytest.fixture
def county(county: County) -> County:
    """The test county running its cases under Handan's profile, and so on handan_case."""
    return county.under("handan")


def late_lead(c: County) -> None:
    """The lead unit 城关镇 (T01) misses its 3 working days over National Day: the case escalates
    and the key office owes its HD5/HD6 measure."""
    c.start(bj(2026, 9, 28, 9))
    c.submit("zdb", "issue_notice", bj(2026, 9, 28, 10))
    c.sweep(bj(2026, 10, 9, 9))  # due Thu 8 Oct: 29, 30 Sep and 8 Oct (1–7 Oct off)
    assert c.waiting() == ["hd_measure"]


def not_accepted(c: County) -> None:
    """The key office does not accept the units' outcome: its measure comes first."""
    c.start(bj(2026, 9, 28, 9))
    c.submit("zdb", "issue_notice", bj(2026, 9, 28, 10))
    c.answer_round(bj(2026, 9, 28, 11), bj(2026, 9, 28, 12), result="not_resolved")
    c.submit(
        "zdb",
        "evaluate",
        bj(2026, 9, 28, 14),
        decision="escalate",
        opinion="未解决，提请市政府协调",
    )
    assert c.waiting() == ["hd_measure"]


def interview(c: County, **changes: Any) -> None:
    """The key office asks for an interview of 城关镇's head (HD6), with two triggers."""
    chosen = {
        "measure": "interview",
        "triggers": TRIGGERS,
        "interviewee_unit_code": "T01",
        "interviewee_person": "城关镇镇长王某",
    }
    c.submit("zdb", "hd_measure", bj(2026, 9, 29, 10), **(chosen | changes))


def test_hd5_the_letter_is_numbered_and_signed_by_the_lead_unit_from_its_inbox(county):
    late_lead(county)
    county.submit(
        "zdb", "hd_measure", bj(2026, 10, 9, 10), measure="reminder_letter", letter_text=LETTER_TEXT
    )
    assert county.waiting() == ["reminder_letter_ack"]
    now = county.at(bj(2026, 10, 9, 11))
    [row] = inbox_page(county.session, county.people["town"], InboxFilters(), now).rows
    assert (row.name, row.case_id) == ("reminder_letter_ack", county.case.id)
    # HD5 sets no days: Handan's 5 working days from Fri 9 Oct (Sat 10 Oct worked).
    assert row.deadline.due_at == bj(2026, 10, 15, 23, 59, 59)
    assert inbox_page(county.session, county.people["dept"], InboxFilters(), now).rows == []
    shown = case_detail(county.session, county.people["zdb"], county.case.id, now).measure
    assert shown is not None
    assert (shown.measure, shown.letter_number) == ("代市政府发提醒函", "邯发改提醒〔2026〕1号")
    assert (shown.letter_unit, shown.state_label) == ("城关镇", "待办理")

    county.submit("town", "reminder_letter_ack", bj(2026, 10, 14, 9), signed_by="城关镇镇长王某")
    assert county.waiting() == ["county_gov_assign"]  # the city government still coordinates
    now = county.at(bj(2026, 10, 14, 10))
    shown = case_detail(county.session, county.people["zdb"], county.case.id, now).measure
    assert shown is not None
    assert (shown.signed_by, shown.state) == ("城关镇镇长王某", "done")
    assert shown.rectification == "成立专班，倒排工期，每周向市发改委报告进度"
    # The counter runs per year: the next letter this year is No. 2, next year's No. 1.
    profile = county.profile
    assert next_reminder_letter_number(county.session, profile, 2026) == "邯发改提醒〔2026〕2号"
    assert next_reminder_letter_number(county.session, profile, 2027) == "邯发改提醒〔2027〕1号"
    county.session.rollback()
    county.assert_replays()


def test_hd5_an_unsigned_letter_is_reminded_and_stays_with_the_lead_unit(county):
    late_lead(county)
    county.submit(
        "zdb", "hd_measure", bj(2026, 10, 9, 10), measure="reminder_letter", letter_text=LETTER_TEXT
    )
    county.sweep(bj(2026, 10, 16, 9))
    assert county.waiting() == ["reminder_letter_ack"]  # reminded, not moved on
    notifications.dispatch_case_events(county.session, county.at(bj(2026, 10, 16, 9, 5)))
    county.session.commit()
    overdue = notified(county.session, "task_overdue")
    assert "town" in overdue
    assert "dept" not in overdue
    assert overdue["town"][0].title == "任务已逾期：签收提醒函并报告整改措施（HD5）"
    now = county.at(bj(2026, 10, 16, 10))
    shown = case_detail(county.session, county.people["zdb"], county.case.id, now).measure
    assert shown is not None
    assert shown.state_label == "已逾期"
    county.assert_replays()


def test_hd6_the_interview_with_its_triggers_and_commitments_is_shown_on_the_case(county):
    not_accepted(county)
    interview(county)
    assert county.waiting() == ["interview_record"]
    assert county.task("interview_record").due_at == bj(2026, 10, 19, 23, 59, 59)  # 10 days
    county.submit(
        "xfb",
        "interview_record",
        bj(2026, 10, 12, 15),
        held_on="2026-10-12",
        held_by="王副市长",
        commitments=COMMITMENTS,
    )
    assert county.waiting() == ["county_gov_assign"]
    now = county.at(bj(2026, 10, 12, 16))
    shown = case_detail(county.session, county.people["zdb"], county.case.id, now).measure
    assert shown is not None
    assert shown.measure == "提请市政府主管领导约谈"
    assert shown.triggers == [
        "按照台账计划，项目应开工、竣工而未按时开工、竣工",
        "分管市领导认为确需约谈",
    ]
    assert (shown.interviewee_unit, shown.interviewee_person) == ("城关镇", "城关镇镇长王某")
    assert (shown.held_on, shown.held_by, shown.state) == ("2026-10-12", "王副市长", "done")
    assert [(c.unit, c.due_date) for c in shown.commitments] == [
        ("城关镇", "2026-10-31"),
        ("县交通运输局", "2026-11-15"),
    ]
    county.assert_replays()


def test_hd6_an_unknown_commitment_unit_is_refused_by_its_cell_and_nothing_is_written(county):
    not_accepted(county)
    interview(county)
    before = county.case.event_count
    bad = [dict(row) for row in COMMITMENTS]
    bad[1]["unit_code"] = "X99"
    with pytest.raises(ValidationError) as refused:
        county.submit("xfb", "interview_record", bj(2026, 10, 12, 15), commitments=bad)
    county.session.rollback()
    [error] = refused.value.errors
    assert (error.field, str(error)) == (
        "commitments[1].unit_code",
        "整改承诺第2项·责任单位：未知单位“X99”",
    )
    county.session.refresh(county.case)
    assert county.case.event_count == before
    assert county.waiting() == ["interview_record"]


def test_hd6_an_interview_needs_a_trigger_and_may_not_be_recorded_before_it_is_held(county):
    not_accepted(county)
    with pytest.raises(ValidationError) as refused:
        interview(county, triggers=[])
    county.session.rollback()
    assert [(e.field, e.label) for e in refused.value.errors] == [("triggers", "约谈情形")]
    with pytest.raises(ValidationError) as refused:
        interview(county, letter_text=LETTER_TEXT)
    county.session.rollback()
    assert [str(e) for e in refused.value.errors] == ["提醒函内容：仅发提醒函时填写"]
    interview(county)
    with pytest.raises(ValidationError) as refused:
        county.submit("xfb", "interview_record", bj(2026, 10, 12, 15), held_on="2026-10-13")
    county.session.rollback()
    assert [e.field for e in refused.value.errors] == ["held_on"]
    assert county.waiting() == ["interview_record"]


def test_hd5_hd6_coordinating_at_once_goes_straight_to_the_city_government(county):
    not_accepted(county)
    county.submit("zdb", "hd_measure", bj(2026, 9, 29, 10))
    assert county.waiting() == ["county_gov_assign"]
    county.submit("xfb", "county_gov_assign", bj(2026, 9, 30, 10), leader_name="王副市长")
    county.submit("xfb", "county_gov_handle", bj(2026, 10, 9, 10))
    county.session.refresh(county.case)
    assert (county.case.status, county.case.outcome) == ("closed", "county_resolved")
    now = county.at(bj(2026, 10, 9, 11))
    shown = case_detail(county.session, county.people["zdb"], county.case.id, now).measure
    assert shown is not None
    assert (shown.measure, shown.letter_number, shown.triggers) == ("直接提请市政府协调", None, [])
    county.assert_replays()
