"""Alxa Left Banner's cases through the services (AL13), on SQLite and PostgreSQL: a case that
met AL13's triggers waits, before it ends, for 督查室's 责任追究; each row becomes an
accountability record on the unit's record; a refused row is named by its cell; every path
replays (X4)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from keyproj.db.models import AccountabilityRecord, Case
from keyproj.errors import ValidationError
from keyproj.services.cases.views.form_defaults import form_defaults
from keyproj.services.cases.views.pages import case_detail, task_detail
from keyproj.services.supervision.ledger import AL13_TASK
from keyproj.services.supervision.views.ledger import unit_record
from tests.builders.clock import bj
from tests.builders.county import County

ROWS = [
    {
        "unit_code": "T01",
        "person": "王镇长",
        "trigger": "shirking_delay",
        "measures": ["admonition", "criticism"],
    },
    {"unit_code": "T01", "person": "李站长", "trigger": "major_problem", "measures": ["criticism"]},
]
CONFIRMED = ["shirking_delay", "major_problem"]


@pytest.fixture
def county(county: County) -> County:
    """The test county's warning case, run under Alxa Left Banner's profile and diagram."""
    return county.under("alxa_left")


def late_and_resolved(c: County) -> None:
    """A major problem's notice (AL13-3) whose lead unit does not respond in time (AL13-2); the
    banner government resolves it."""
    c.start(bj(2026, 2, 12, 9))
    assert c.case.definition.key == "alxa_left_case"
    c.submit("zdb", "issue_notice", bj(2026, 2, 13, 10), major=True)
    c.sweep(bj(2026, 2, 26, 9))  # the response was due on 25 Feb (Spring Festival off)
    assert c.waiting() == ["county_gov_assign"]
    c.submit("xfb", "county_gov_assign", bj(2026, 2, 26, 10))
    c.submit("xfb", "county_gov_handle", bj(2026, 2, 27, 10))


def test_al13_a_case_that_met_triggers_waits_for_accountability_then_records_it_on_the_unit(
    county,
):
    late_and_resolved(county)
    county.session.refresh(county.case)
    assert county.case.status == "open"  # resolved, but not ended: AL13 first
    assert county.waiting() == [AL13_TASK]
    task = county.task(AL13_TASK)
    assert task.due_at == bj(2026, 3, 5, 23, 59, 59)  # 5 working days; Sat 28 Feb worked
    # The task's form starts with the triggers the case met, in the order met.
    detail = task_detail(
        county.session, county.people["dcs"], task.id, county.at(bj(2026, 3, 2, 9))
    )
    assert form_defaults(detail) == {"triggers": ["major_problem", "shirking_delay"]}
    result = county.submit(
        "dcs", AL13_TASK, bj(2026, 3, 2, 10), triggers=CONFIRMED, accountability=ROWS
    )
    assert result.accepted, result.message
    county.session.refresh(county.case)
    assert (county.case.status, county.case.outcome) == ("closed", "county_resolved")
    town = unit_record(county.session, county.people["dcs"], county.users["town"].unit_id)
    assert [(r.person, r.failure, r.measure, r.filing_number) for r in town.records] == [
        (
            "王镇长",
            "以各种理由对本部门应该负责的工作推诿、拖延",
            "旗委诫勉谈话、通报批评",
            f"AL13责任追究（案件{county.case.id}）",
        ),
        (
            "李站长",
            "项目迟迟不开工、开工即停工、施工进度缓慢、出现资金挪用、安全事故等重大问题",
            "旗委通报批评",
            f"AL13责任追究（案件{county.case.id}）",
        ),
    ]
    assert {(r.matter_id, r.case_id) for r in town.records} == {(None, county.case.id)}
    # The unit's own staff read it too.
    own = unit_record(county.session, county.people["town"], county.users["town"].unit_id)
    assert len(own.records) == 2
    county.assert_replays()


def test_al13_a_row_is_refused_by_its_cell_and_nothing_is_written(county):
    late_and_resolved(county)
    before = county.case.event_count
    rows = [dict(ROWS[0], trigger="meeting_decision_late"), dict(ROWS[1], unit_code="X99")]
    with pytest.raises(ValidationError) as refused:
        county.submit("dcs", AL13_TASK, bj(2026, 3, 2, 10), triggers=CONFIRMED, accountability=rows)
    county.session.rollback()
    assert [(e.field, e.label, e.reason) for e in refused.value.errors] == [
        ("accountability[0].trigger", "追究意见第1项·追究情形", "不在核实的追究情形之内"),
        ("accountability[1].unit_code", "追究意见第2项·责任单位", "未知单位“X99”"),
    ]
    case = county.session.scalars(select(Case).where(Case.id == county.case.id)).one()
    assert case.event_count == before
    assert county.waiting() == [AL13_TASK]
    assert county.session.scalars(select(AccountabilityRecord)).all() == []


def test_al13_a_confirmed_trigger_needs_someone_held_accountable(county):
    late_and_resolved(county)
    with pytest.raises(ValidationError) as refused:
        county.submit("dcs", AL13_TASK, bj(2026, 3, 2, 10), triggers=["shirking_delay"])
    county.session.rollback()
    assert [e.field for e in refused.value.errors] == ["accountability"]


def test_al13_the_office_may_find_no_one_accountable_and_the_case_ends(county):
    late_and_resolved(county)
    result = county.submit("dcs", AL13_TASK, bj(2026, 3, 2, 10))  # triggers unticked, a reason
    assert result.accepted, result.message
    county.session.refresh(county.case)
    assert county.case.status == "closed"
    assert county.session.scalars(select(AccountabilityRecord)).all() == []
    county.assert_replays()


def test_al13_late_accountability_is_reminded_and_stays_open(county):
    late_and_resolved(county)
    county.sweep(bj(2026, 3, 6, 9))
    assert county.waiting() == [AL13_TASK]
    now = county.at(bj(2026, 3, 6, 10))
    detail = case_detail(county.session, county.people["dcs"], county.case.id, now)
    assert detail.flagged == {AL13_TASK}  # flagged overdue on the case page, still open
    assert detail.case.status == "open"
    county.assert_replays()


def test_al13_a_case_on_time_meets_no_trigger_and_ends_at_once(county):
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    county.answer_round(bj(2026, 2, 24, 9), bj(2026, 3, 2, 9))
    county.submit("zdb", "evaluate", bj(2026, 3, 3, 9))
    county.session.refresh(county.case)
    assert (county.case.status, county.case.outcome) == ("closed", "handled")
    assert county.waiting() == []
    county.assert_replays()
