"""Saving a case: never over a newer version of the case, and then nothing of the step."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from keyproj.db.models import Case, CaseEvent, CaseUnit, Unit
from keyproj.errors import Conflict
from keyproj.services.cases import repository, step
from tests.builders.clock import bj


def event_count(county) -> int:
    return county.session.scalar(select(func.count()).where(CaseEvent.case_id == county.case.id))


def test_a_case_saved_since_it_was_opened_is_not_overwritten(county):
    case = county.start(bj(2025, 9, 30, 10))
    before = event_count(county)
    now = county.at(bj(2025, 10, 12, 9))  # the notice is overdue: its timer fires
    opened = repository.open_case(county.session, case.id, now)
    assert opened is not None
    assert step.fire_timers(county.session, opened).timers
    # Another save of the case, as a writer that got past the lock would have made it.
    county.session.execute(
        update(Case)
        .where(Case.id == case.id)
        .values(version=Case.version + 1)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(Conflict, match="同时处理"):
        repository.save(county.session, opened)
    county.session.rollback()
    assert event_count(county) == before
    assert county.waiting() == ["issue_notice"]


def test_lp13_a_notice_naming_other_units_replaces_the_responsible_units(county):
    county.start(bj(2026, 2, 12, 9))  # the project's own unit, 城关镇 (T01), answers until now
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10), lead_unit_code="T02")
    code = {unit.id: unit.code for unit in county.session.scalars(select(Unit))}
    units = county.session.scalars(select(CaseUnit).where(CaseUnit.case_id == county.case.id))
    assert {(code[u.unit_id], u.role) for u in units} == {("T02", "lead"), ("D01", "phase")}
    for unit in ("T02", "D01"):  # LP13: each named unit gets its own part's task
        respond = county.task("respond", unit=next(i for i, c in code.items() if c == unit))
        assert [code[c.unit_id] for c in respond.candidates] == [unit]
