"""Tamper-evident history and replay (X4): every path replays to the stored state at every step."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import delete, select, update

from keyproj.audit import ChainProblem
from keyproj.db.models import CaseEvent
from keyproj.services.cases import audit as case_audit
from keyproj.services.cases.timers import sweep
from tests.builders.clock import bj
from tests.builders.county import County


def on_time(c: County) -> None:
    c.submit("zdb", "issue_notice", bj(2025, 9, 30, 15))
    c.assert_replays()
    c.submit("town", "respond", bj(2025, 10, 11, 23, 59, 59))
    c.assert_replays()
    c.submit("dept", "respond", bj(2025, 10, 11, 9))  # LP13: the phase unit's own part
    c.submit("dept", "report_outcome", bj(2025, 10, 20, 10))
    c.assert_replays()
    c.submit("town", "report_outcome", bj(2025, 10, 20, 11))
    c.assert_replays()
    c.submit("zdb", "evaluate", bj(2025, 10, 21, 10))


def late_response(c: County) -> None:
    c.submit("zdb", "issue_notice", bj(2025, 9, 30, 15))
    late = c.submit("town", "respond", bj(2025, 10, 12, 9))
    assert not late.accepted
    c.assert_replays()
    supervise(c, bj(2025, 10, 13, 10))


def late_outcome(c: County) -> None:
    c.submit("zdb", "issue_notice", bj(2025, 9, 30, 15))
    c.submit("town", "respond", bj(2025, 10, 9, 9))
    c.at(bj(2025, 10, 22, 9))
    sweep(sessionmaker_of(c), bj(2025, 10, 22, 9))  # the timer fires in a sweep, not a submission
    c.session.expire_all()
    assert c.waiting() == ["county_gov_assign"]
    c.assert_replays()
    supervise(c, bj(2025, 10, 23, 10))


def not_accepted(c: County) -> None:
    c.submit("zdb", "issue_notice", bj(2025, 9, 30, 15))
    c.submit("town", "respond", bj(2025, 10, 9, 9))
    c.submit("dept", "respond", bj(2025, 10, 9, 10))
    c.submit("dept", "report_outcome", bj(2025, 10, 20, 9))
    c.submit("town", "report_outcome", bj(2025, 10, 20, 10), result="partly")
    c.submit("zdb", "evaluate", bj(2025, 10, 21, 10), decision="escalate")
    c.assert_replays()
    supervise(c, bj(2025, 10, 22, 10))


def lp17_late_phase_unit(c: County) -> None:
    """Two phase units; the department misses its response: only its part goes up (LP16)."""
    c.submit("zdb", "issue_notice", bj(2025, 9, 30, 15), phase_unit_codes=["D01", "T02"])
    c.submit("town", "respond", bj(2025, 10, 9, 9))
    c.submit("other", "respond", bj(2025, 10, 10, 9))
    c.at(bj(2025, 10, 12, 9))
    sweep(sessionmaker_of(c), bj(2025, 10, 12, 9))
    c.session.expire_all()
    assert c.waiting() == ["phase_escalated", "report_outcome", "report_outcome"]
    assert c.task("phase_escalated").part_unit_id == c.people["dept"].unit_id
    c.assert_replays()
    c.submit("xfb", "phase_escalated", bj(2025, 10, 13, 10))
    c.submit("other", "report_outcome", bj(2025, 10, 16, 10))
    c.submit("town", "report_outcome", bj(2025, 10, 17, 10))
    assert c.waiting() == ["evaluate"]
    c.assert_replays()
    c.submit("zdb", "evaluate", bj(2025, 10, 20, 10))


def lp17_late_lead_unit(c: County) -> None:
    """The phase units answered; the lead town did not: the whole case goes up (LP16)."""
    c.submit("zdb", "issue_notice", bj(2025, 9, 30, 15), phase_unit_codes=["D01", "T02"])
    c.submit("dept", "respond", bj(2025, 10, 9, 9))
    c.submit("other", "respond", bj(2025, 10, 10, 9))
    c.at(bj(2025, 10, 12, 9))
    sweep(sessionmaker_of(c), bj(2025, 10, 12, 9))
    c.session.expire_all()
    assert c.waiting() == ["county_gov_assign"]
    c.assert_replays()
    supervise(c, bj(2025, 10, 13, 10))


def reminded_notice(c: County) -> None:
    c.at(bj(2025, 10, 13, 9))
    sweep(sessionmaker_of(c), bj(2025, 10, 13, 9))
    c.session.expire_all()
    assert c.waiting() == ["issue_notice"]
    c.submit("zdb", "issue_notice", bj(2025, 10, 13, 10))
    c.assert_replays()


def supervise(c: County, moment) -> None:
    c.submit("xfb", "county_gov_assign", moment)
    c.submit("xfb", "county_gov_handle", moment, decision="supervision")
    c.assert_replays()
    c.submit("dcs", "supervision_file", moment)
    c.submit("dcs", "supervision_result", moment)


def routed_resolved(c: County) -> None:
    """LP16: a notice routed to the county government, resolved there without supervision."""
    c.submit("zdb", "issue_notice", bj(2025, 9, 30, 15), routing="county_government")
    c.submit("xfb", "county_gov_assign", bj(2025, 10, 9, 10))
    c.assert_replays()
    c.submit("xfb", "county_gov_handle", bj(2025, 10, 10, 10))


def onsite_meeting(c: County) -> None:
    """LP16: two follow-up items of an on-site meeting, one overdue, reported in reverse order
    (the replay must pair each report with its own item)."""
    c.submit("zdb", "issue_notice", bj(2025, 9, 30, 15), routing="county_government")
    c.submit("xfb", "county_gov_assign", bj(2025, 9, 30, 16))
    items = [
        {"unit_code": "T01", "matter": "完成征地补偿款拨付", "due_date": "2025-10-10"},
        {"unit_code": "D01", "matter": "办结施工许可", "due_date": "2025-10-20"},
    ]
    handled = {"decision": "onsite_meeting", "meeting_minutes": "现场办公会议明确纪要事项"}
    c.submit("xfb", "county_gov_handle", bj(2025, 9, 30, 17), **handled, follow_ups=items)
    c.at(bj(2025, 10, 11, 9))
    sweep(sessionmaker_of(c), bj(2025, 10, 11, 9))  # the town's item is overdue
    c.session.expire_all()
    assert c.waiting() == ["follow_up_item", "follow_up_item"]
    c.submit("dept", "follow_up_item", bj(2025, 10, 13, 9), report="施工许可已办结，交付建设单位")
    c.assert_replays()
    c.submit("town", "follow_up_item", bj(2025, 10, 14, 9))
    c.submit("xfb", "county_gov_follow_up_check", bj(2025, 10, 15, 9))


def sessionmaker_of(c: County):
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(c.session.get_bind(), expire_on_commit=False)


PATHS: dict[str, Callable[[County], None]] = {
    "on_time": on_time,
    "late_response": late_response,
    "late_outcome": late_outcome,
    "not_accepted": not_accepted,
    "reminded_notice": reminded_notice,
    "lp17_late_phase_unit": lp17_late_phase_unit,
    "lp17_late_lead_unit": lp17_late_lead_unit,
    "routed_resolved": routed_resolved,
    "onsite_meeting": onsite_meeting,
}


@pytest.mark.parametrize("path", sorted(PATHS))
def test_x4_replay_equals_the_stored_state_at_every_step(county, path):
    county.start(bj(2025, 9, 30, 10))
    county.assert_replays()
    PATHS[path](county)
    county.assert_replays()
    report = case_audit.replay_case(county.session, county.case.id)
    assert len(report.steps) == county.case.event_count
    partial = case_audit.replay_case(county.session, county.case.id, upto_seq=3)
    assert [s.seq for s in partial.steps] == [1, 2, 3]
    assert partial.first_mismatch is None


@pytest.fixture
def finished(county):
    county.start(bj(2025, 9, 30, 10))
    on_time(county)
    assert case_audit.verify_case(county.session, county.case.id) is None
    return county


def rows(county: County) -> list[CaseEvent]:
    return list(
        county.session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == county.case.id).order_by(CaseEvent.id)
        )
    )


def problem_of(county: County) -> ChainProblem:
    """What verification finds wrong with the county's case; it must find something."""
    problem = case_audit.verify_case(county.session, county.case.id)
    assert problem is not None, "the tampering went unnoticed"
    return problem


def test_x4_edited_event_is_found(finished):
    target = rows(finished)[4]
    data = {**target.data, "forged": True}
    finished.session.execute(update(CaseEvent).where(CaseEvent.id == target.id).values(data=data))
    finished.session.commit()
    problem = problem_of(finished)
    assert (problem.kind, problem.seq) == ("edited", 5)
    assert case_audit.replay_case(finished.session, finished.case.id).chain_problem == problem


def test_x4_deleted_event_is_found(finished):
    target = rows(finished)[3]
    finished.session.execute(delete(CaseEvent).where(CaseEvent.id == target.id))
    finished.session.commit()
    problem = problem_of(finished)
    assert (problem.kind, problem.seq) == ("deleted", 4)


def test_x4_deleted_last_event_is_found(finished):
    target = rows(finished)[-1]
    finished.session.execute(delete(CaseEvent).where(CaseEvent.id == target.id))
    finished.session.commit()
    assert problem_of(finished).kind == "truncated"


def test_x4_reordered_events_are_found(finished):
    a, b = rows(finished)[5:7]
    columns = (
        "seq",
        "kind",
        "actor_id",
        "unit_id",
        "task_id",
        "task_name",
        "data",
        "occurred_at",
        "state_hash",
        "prev_hash",
        "hash",
    )
    values_a = {c: getattr(a, c) for c in columns}
    values_b = {c: getattr(b, c) for c in columns}
    session = finished.session
    session.execute(update(CaseEvent).where(CaseEvent.id == a.id).values(seq=-1))
    session.execute(update(CaseEvent).where(CaseEvent.id == b.id).values(**values_a))
    session.execute(update(CaseEvent).where(CaseEvent.id == a.id).values(**values_b))
    session.commit()
    problem = problem_of(finished)
    assert problem.kind == "reordered"
    assert problem.seq == values_b["seq"]
