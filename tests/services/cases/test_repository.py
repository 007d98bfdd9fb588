"""The case repository reads and writes a case as the ORM would have, on either database.

PostgreSQL opens cases with plain statements and writes a case, a sweep's batch or a batch
of new cases with one statement each; the session's objects must still be the ones a query
would have given, up to date, with nothing left for a flush to write.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select, text, update
from sqlalchemy.orm import Session

from keyproj.codes import TaskStatus
from keyproj.db.models import Case, CaseEvent, CaseUnit, EarlyWarning, HumanTask
from keyproj.errors import Conflict
from keyproj.services.cases import repository, step
from keyproj.services.cases.start import start_cases
from tests.builders import factories
from tests.builders.cases import PROFILE
from tests.builders.clock import bj


def columns(row: object) -> dict[str, object]:
    """Every column of a model object, by name."""
    return {a.key: getattr(row, a.key) for a in inspect(type(row)).column_attrs}


def nothing_to_flush(session: Session) -> bool:
    return not (session.new or session.dirty or session.deleted)


def test_a_started_case_is_in_the_session_as_it_was_written(county):
    case = county.start(bj(2026, 2, 12, 9))
    assert inspect(case).persistent
    assert nothing_to_flush(county.session)
    with Session(county.session.get_bind()) as fresh:
        stored = fresh.get(Case, case.id)
        assert stored is not None
        assert columns(stored) == columns(case)
        assert [(u.unit_id, u.role) for u in stored.units] == [
            (u.unit_id, u.role) for u in case.units
        ]
        assert fresh.scalar(select(func.count()).where(CaseEvent.case_id == case.id)) == (
            case.event_count
        )


def test_cases_started_together_are_numbered_in_the_order_of_their_warnings(county):
    project = county.projects["plant"]
    warnings = [factories.warning(county.session, project, f"2026-Q{n}") for n in (3, 1, 2)]
    started = start_cases(county.session, warnings, PROFILE, county.at(bj(2026, 3, 2, 9)))
    county.session.commit()
    assert [c.warning_id for c in started] == [w.id for w in warnings]
    assert [c.id for c in started] == sorted(c.id for c in started)
    assert all(inspect(c).persistent for c in started)
    assert nothing_to_flush(county.session)
    with Session(county.session.get_bind()) as fresh:
        stored = fresh.scalars(select(Case).where(Case.id.in_([c.id for c in started])))
        assert sorted(columns(c).items() for c in stored) == sorted(
            columns(c).items() for c in started
        )


def test_opening_a_case_refreshes_the_objects_the_session_holds(county):
    county.start(bj(2026, 2, 12, 9))
    task = county.task("issue_notice")
    assert task.status == TaskStatus.READY
    with Session(county.session.get_bind()) as other, other.begin():  # another request claims it
        other.execute(
            update(HumanTask)
            .where(HumanTask.id == task.id)
            .values(status=TaskStatus.CLAIMED, claimed_by_id=county.users["zdb"].id)
        )
    opened = repository.open_case(county.session, county.case.id, county.at(bj(2026, 2, 12, 10)))
    assert opened is not None
    assert opened.case is county.case
    assert opened.tasks == [task]  # the same object, showing the row as it is now
    assert (task.status, task.claimed_by_id) == (TaskStatus.CLAIMED, county.users["zdb"].id)
    assert [c.unit_id for c in task.candidates] == [county.users["zdb"].unit_id]
    assert nothing_to_flush(county.session)


def test_opening_a_case_writes_the_sessions_pending_changes_first(county):
    county.start(bj(2026, 2, 12, 9))
    task = county.task("issue_notice")
    task.status, task.claimed_by_id = TaskStatus.CLAIMED, county.users["zdb"].id  # not flushed
    opened = repository.open_case(county.session, county.case.id, county.at(bj(2026, 2, 12, 10)))
    assert opened is not None
    assert [(t.status, t.claimed_by_id) for t in opened.tasks] == [
        (TaskStatus.CLAIMED, county.users["zdb"].id)
    ]
    assert nothing_to_flush(county.session)


def test_a_completed_step_leaves_nothing_for_a_flush_to_write(county):
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10), lead_unit_code="T02")
    assert nothing_to_flush(county.session)
    units = county.session.scalars(
        select(CaseUnit.unit_id).where(CaseUnit.case_id == county.case.id)
    )
    rows = [t for t in repository.open_task_rows(county.session, county.case.id)]
    # LP13: one task per unit's part, each offered to that unit alone.
    assert sorted(units) == sorted(c.unit_id for t in rows for c in t.candidates)
    assert all([c.unit_id for c in t.candidates] == [t.part_unit_id] for t in rows)


def test_a_batch_with_one_case_saved_since_it_was_opened_writes_nothing(county):
    county.start(bj(2025, 9, 30, 10))
    ids = [county.case.id, *county.more_cases(2)]
    events = county.session.scalar(select(func.count()).select_from(CaseEvent))
    now = county.at(bj(2025, 10, 12, 9))  # every notice is overdue: each case's timer fires
    batch = repository.open_cases(county.session, ids, now)
    assert [o.case.id for o in batch] == ids
    for opened in batch:
        assert step.fire_timers(county.session, opened).timers
    county.session.execute(  # another writer saved the middle case meanwhile
        update(Case)
        .where(Case.id == ids[1])
        .values(version=Case.version + 1)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(Conflict, match="同时处理"):
        repository.save_batch(county.session, batch)
    county.session.rollback()
    assert county.session.scalar(select(func.count()).select_from(CaseEvent)) == events
    assert county.session.scalar(select(func.count()).where(EarlyWarning.status != "open")) == 0


def test_a_step_that_closes_a_case_closes_its_warning(county):
    county.start(bj(2026, 3, 2, 9))
    county.submit("zdb", "issue_notice", bj(2026, 3, 3, 10))
    county.submit("town", "respond", bj(2026, 3, 4, 10))
    county.submit("dept", "respond", bj(2026, 3, 4, 11))
    county.submit("town", "report_outcome", bj(2026, 3, 5, 10))
    county.submit("dept", "report_outcome", bj(2026, 3, 5, 11))
    result = county.submit("zdb", "evaluate", bj(2026, 3, 6, 10))
    assert (result.accepted, result.case_status) == (True, "closed")
    warning = county.session.get(EarlyWarning, county.case.warning_id)
    assert warning is not None
    assert (warning.status, warning.closed_at) == (county.case.outcome, bj(2026, 3, 6, 10))
    with Session(county.session.get_bind()) as fresh:  # as stored, not only as the session shows
        stored = fresh.get(EarlyWarning, warning.id)
        assert stored is not None
        assert (stored.status, stored.closed_at) == (warning.status, warning.closed_at)


def test_starting_a_batch_leaves_the_transactions_planner_settings_as_they_were(county):
    if county.session.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: plans of foreign-key checks")
    project = county.projects["plant"]
    warnings = [factories.warning(county.session, project, f"2026-P{n}") for n in (1, 2)]
    before = county.session.execute(text("SHOW plan_cache_mode")).scalar_one()
    started = start_cases(county.session, warnings, PROFILE, county.at(bj(2026, 3, 2, 9)))
    assert len(started) == 2
    assert county.session.execute(text("SHOW plan_cache_mode")).scalar_one() == before
