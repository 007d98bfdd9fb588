"""Timer sweeps and one writer per case: each timer fires once, one completion wins."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from keyproj.db.models import Case, CaseEvent
from keyproj.errors import Conflict
from keyproj.policy import load_profile
from keyproj.services.cases import commands as cases
from keyproj.services.cases import repository, step
from keyproj.services.cases.timers import Shard, due_case_ids, sweep
from tests.builders.clock import bj
from tests.builders.forms import form


def factory(county) -> sessionmaker[Session]:
    return sessionmaker(county.session.get_bind(), expire_on_commit=False)


def timer_events(county) -> dict[int, int]:
    rows = county.session.execute(
        select(CaseEvent.case_id, func.count())
        .where(CaseEvent.kind == "timer_fired")
        .group_by(CaseEvent.case_id)
    )
    return dict(rows.all())


def test_sweep_reads_only_due_cases_and_fires_each_timer_once(county):
    county.start(bj(2025, 9, 30, 10))
    ids = county.more_cases(4)
    county.submit("zdb", "issue_notice", bj(2025, 10, 9, 10))  # this one is no longer due soon
    now = county.at(bj(2025, 10, 12, 9))
    due = due_case_ids(county.session, now, 100)
    assert sorted(due) == sorted(ids)  # the notice timers of the four untouched cases
    result = sweep(factory(county), now)
    assert (result.cases, result.timers) == (4, 4)
    assert sweep(factory(county), now).timers == 0  # nothing left to fire
    county.session.expire_all()
    assert timer_events(county) == {i: 1 for i in ids}


def test_x6_sweeps_of_two_shards_share_the_due_cases_and_fire_each_timer_once(county):
    county.start(bj(2025, 9, 30, 10))
    ids = [county.case.id, *county.more_cases(5)]
    now = county.at(bj(2025, 10, 12, 9))
    first, second = Shard(0, 2), Shard(1, 2)
    assert sorted(due_case_ids(county.session, now, 100, first)) == [i for i in ids if i % 2 == 0]
    assert sorted(due_case_ids(county.session, now, 100, second)) == [i for i in ids if i % 2]
    assert sweep(factory(county), now, shard=first).cases == 3  # its own half, nothing more
    county.session.expire_all()
    assert timer_events(county) == {i: 1 for i in ids if i % 2 == 0}
    assert sweep(factory(county), now, shard=second).cases == 3
    assert sweep(factory(county), now).timers == 0  # nothing left for a whole sweep
    county.session.expire_all()
    assert timer_events(county) == {i: 1 for i in ids}


@pytest.mark.parametrize(("index", "of"), [(2, 2), (-1, 2), (0, 0)])
def test_x6_a_shard_outside_its_count_is_refused(index, of):
    with pytest.raises(ValueError, match="needs 0 <= index < of"):
        Shard(index, of)


def test_stale_writer_gets_a_conflict(county):
    if county.session.get_bind().dialect.name != "sqlite":
        pytest.skip("PostgreSQL blocks the second writer with SELECT … FOR UPDATE instead")
    case = county.start(bj(2025, 9, 30, 10))
    now = county.at(bj(2025, 10, 12, 9))
    make = factory(county)
    with make() as first, make() as second:
        a = repository.open_case(first, case.id, now)
        b = repository.open_case(second, case.id, now)
        assert a is not None
        assert b is not None
        step.fire_timers(second, b)
        repository.save(second, b)
        second.commit()
        step.fire_timers(first, a)
        with pytest.raises(Conflict, match="同时处理"):
            repository.save(first, a)


def postgres_only(county) -> None:
    if county.session.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: exercises row locks, which SQLite does not have")


def test_two_sessions_completing_the_same_task_exactly_one_wins(county):
    postgres_only(county)
    county.start(bj(2025, 9, 30, 10))
    task_id = county.task("issue_notice").id
    now = county.at(bj(2025, 9, 30, 15))
    make, barrier = factory(county), threading.Barrier(2)
    outcomes: list[object] = []

    def submit() -> None:
        with make() as session:
            barrier.wait()
            try:
                result = cases.complete_task(
                    session,
                    county.people["zdb"],
                    task_id,
                    form("issue_notice"),
                    load_profile("lianping"),
                    now,
                )
                session.commit()
                outcomes.append(result)
            except Conflict as exc:
                session.rollback()
                outcomes.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wins = [o for o in outcomes if isinstance(o, cases.CompletionResult) and o.accepted]
    losses = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(wins) == 1
    assert len(losses) == 1
    assert "该任务已由用户zdb于2025-09-30 15:00完成" in str(losses[0])
    county.session.expire_all()
    completed = county.session.scalar(
        select(func.count()).where(
            CaseEvent.kind == "completed", CaseEvent.case_id == county.case.id
        )
    )
    assert completed == 1


def test_two_sweeps_at_once_fire_each_timer_once(county):
    postgres_only(county)
    county.start(bj(2025, 9, 30, 10))
    ids = [county.case.id, *county.more_cases(30)]
    now = county.at(bj(2025, 10, 12, 9))
    make, barrier = factory(county), threading.Barrier(2)
    results = []

    def run() -> None:
        barrier.wait()
        results.append(sweep(make, now, batch=5))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.timers for r in results) == len(ids)
    county.session.expire_all()
    assert timer_events(county) == {i: 1 for i in ids}
    assert county.session.scalar(select(func.count()).where(Case.next_timer_at <= now)) == 0
