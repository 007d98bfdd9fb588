"""Long matters (LP18 动态报告) and the evaluation's deadline through the services, replayed.

LP18: units report coordination to the key office within 10 working days; 复杂及需较长时间跟进
的工作 report dynamically. The key office puts such a matter on long-term follow-up; the lead
unit alone reports each cycle (working days from the profile), is reminded before and flagged
after each deadline, until the key office accepts the matter resolved.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from keyproj.clock import BEIJING
from keyproj.db.models import CaseEvent, Unit
from keyproj.services.cases.timers import sweep
from keyproj.services.cases.views.pages import case_detail
from tests.builders.clock import bj
from tests.builders.county import County

LONG_TERM = {"decision": "long_term", "opinion": "征地涉及群众安置，需较长时间跟进"}


def run_sweep(county: County, moment: datetime) -> int:
    county.at(moment)
    make = sessionmaker(county.session.get_bind(), expire_on_commit=False)
    fired = sweep(make, moment).timers
    county.session.expire_all()
    return fired


def to_evaluation(county: County, day: datetime) -> None:
    """Start, notify (lead 城关镇 T01), respond and report the outcome, all on ``day``."""
    county.start(day)
    county.submit("zdb", "issue_notice", day)
    county.answer_round(day, day, result="partly")
    assert county.waiting() == ["evaluate"]


def local(moment: datetime | None) -> str:
    assert moment is not None
    return moment.astimezone(BEIJING).isoformat()


def kinds(county: County) -> list[str]:
    query = select(CaseEvent.kind).where(CaseEvent.case_id == county.case.id)
    return list(county.session.scalars(query.order_by(CaseEvent.seq)))


def test_lp18_long_matter_cycles_late_report_review_and_close_across_national_day(county):
    to_evaluation(county, bj(2026, 9, 24, 10))
    assert local(county.task("evaluate").due_at) == "2026-09-30T23:59:59+08:00"
    county.submit("zdb", "evaluate", bj(2026, 9, 24, 15), **LONG_TERM)
    county.assert_replays()

    task = county.task("long_progress_report")
    town = county.session.scalars(select(Unit.id).where(Unit.code == "T01")).one()
    assert [c.unit_id for c in task.candidates] == [town]  # the lead unit alone, not the phase unit
    assert task.lane == "责任单位"
    assert local(task.due_at) == "2026-10-15T23:59:59+08:00"  # 10 working days over National Day
    county.submit("town", "long_progress_report", bj(2026, 10, 13, 10))  # not resolved yet
    county.assert_replays()

    assert local(county.task("long_progress_report").due_at) == "2026-10-27T23:59:59+08:00"
    assert run_sweep(county, bj(2026, 10, 27, 0, 1)) == 1  # the reminder
    assert run_sweep(county, bj(2026, 10, 28, 0, 1)) == 1  # overdue: flagged, still open
    assert county.waiting() == ["long_progress_report"]
    assert kinds(county)[-2:] == ["timer_fired", "timer_fired"]
    county.assert_replays()
    county.submit("town", "long_progress_report", bj(2026, 10, 28, 10), resolved="yes")
    county.submit(
        "zdb",
        "accept_long_resolution",
        bj(2026, 10, 29, 9),
        decision="not_accepted",
        opinion="仍有3户未签订安置协议",
    )
    assert county.waiting() == ["long_progress_report"]  # back in the loop
    county.assert_replays()
    county.submit("town", "long_progress_report", bj(2026, 11, 2, 10), resolved="yes")
    county.submit("zdb", "accept_long_resolution", bj(2026, 11, 3, 9))
    county.assert_replays()

    county.session.refresh(county.case)
    assert (county.case.status, county.case.outcome) == ("closed", "handled")
    county.session.refresh(county.warning)
    assert county.warning.status == "handled"

    detail = case_detail(county.session, county.people["zdb"], county.case.id, bj(2026, 11, 3, 10))
    matter = detail.long_matter
    assert matter is not None
    assert matter.reason == LONG_TERM["opinion"]
    assert [c.number for c in matter.cycles] == [1, 2, 3]
    assert [c.on_time for c in matter.cycles] == [True, False, True]
    assert [c.status for c in matter.cycles] == ["按期报告", "逾期报告", "按期报告"]
    assert (matter.cycles[1].reminded, matter.cycles[1].overdue) == (True, True)
    assert matter.cycles[1].review == "不认可，继续跟进：仍有3户未签订安置协议"
    assert matter.cycles[2].review == "认可，办结：安置已全部完成，同意办结"
    assert matter.current is None
    assert matter.late_reports == 1


def test_lp18_open_cycle_shows_its_deadline_and_overdue_flag(county):
    to_evaluation(county, bj(2026, 2, 5, 10))
    county.submit("zdb", "evaluate", bj(2026, 2, 6, 9), **LONG_TERM)
    run_sweep(county, bj(2026, 2, 28, 0, 1))  # reminder and overdue together, over the holiday
    detail = case_detail(county.session, county.people["town"], county.case.id, bj(2026, 2, 28))
    matter = detail.long_matter
    assert matter is not None
    assert matter.current is not None
    assert local(matter.next_due) == "2026-02-27T23:59:59+08:00"
    assert matter.current.status == "已逾期，待报告"
    assert detail.flagged == {"long_progress_report"}
    county.assert_replays()


def test_evaluation_overdue_timer_flags_it_and_keeps_it_open_across_spring_festival(county):
    to_evaluation(county, bj(2026, 2, 12, 10))
    assert local(county.task("evaluate").due_at) == "2026-02-24T23:59:59+08:00"
    assert run_sweep(county, bj(2026, 2, 24, 23, 59)) == 0
    assert run_sweep(county, bj(2026, 2, 25, 0, 1)) == 1
    assert county.waiting() == ["evaluate"]
    detail = case_detail(county.session, county.people["zdb"], county.case.id, bj(2026, 2, 25, 9))
    assert detail.flagged == {"evaluate"}
    assert detail.long_matter is None
    county.assert_replays()
    county.submit("zdb", "evaluate", bj(2026, 2, 25, 10))
    county.assert_replays()
    county.session.refresh(county.case)
    assert county.case.outcome == "handled"
