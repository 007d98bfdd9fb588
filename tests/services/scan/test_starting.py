"""The start loop (LP13, X1): where the profile allows automatic notices, every project matter
waiting gets one case with its notice issued, batch after batch, none left behind; elsewhere
the warnings wait in the key office's triage."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from keyproj.clock import BEIJING
from keyproj.db.models import Case, EarlyWarning, HumanTask, Project
from keyproj.policy import PolicyProfile
from keyproj.services.cases import warm
from keyproj.services.cases.audit import replay_case, verify_case
from keyproj.services.scan.starting import start_all_missing, start_missing_cases
from tests.builders import factories
from tests.builders.triage import automatic

NOW = datetime(2026, 3, 2, 9, tzinfo=BEIJING)


def warnings(engine: Engine, count: int) -> list[int]:
    """One open warning on each of ``count`` projects, oldest first."""
    with Session(engine) as session, session.begin():
        factories.unit(session, "T01", "城关镇")
        factories.unit(session, "ZDB", "县重点办", "key_office")
        return [
            factories.warning(session, factories.project(session, "T01"), f"2026-{n:02d}").id
            for n in range(1, count + 1)
        ]


def cases_by_warning(engine: Engine) -> dict[int, int]:
    with Session(engine) as session:
        return {w: c for c, w in session.execute(select(Case.id, Case.warning_id))}


def test_LP13_without_automatic_notices_the_loop_leaves_every_warning_to_triage(
    engine, profile: PolicyProfile
):
    warnings(engine, 3)

    @contextmanager
    def transaction() -> Iterator[Session]:
        with Session(engine) as session, session.begin():
            yield session

    started = start_all_missing(transaction, profile, lambda: NOW)

    assert started.cases == 0
    assert cases_by_warning(engine) == {}


def test_x1_every_project_matter_gets_one_case_batch_after_batch(engine, profile: PolicyProfile):
    ids = warnings(engine, 5)
    rounds: list[int] = []

    @contextmanager
    def transaction() -> Iterator[Session]:
        rounds.append(len(cases_by_warning(engine)))
        with Session(engine) as session, session.begin():
            yield session

    started = start_all_missing(transaction, automatic(profile), lambda: NOW, batch=2)

    assert started.cases == 5
    assert started.error is None
    assert sorted(cases_by_warning(engine)) == ids
    assert rounds == [0, 2, 4, 5]  # three rounds start cases; a last one, from the first, none
    with Session(engine) as session:  # LP13: each notice went out, numbered
        numbers = session.scalars(select(Case.notice_number))
        assert all(n and "预警" in n for n in numbers)
        pending = session.scalars(select(HumanTask.name).where(HumanTask.status == "ready"))
        assert set(pending) == {"respond"}


def test_x1_a_case_started_with_its_notice_stores_the_state_the_notice_left(
    engine, profile: PolicyProfile
):
    """The notice is issued on the case as it was started, in the same transaction: what is
    stored is the instance after the notice, its log intact and replayable (X1, X4)."""
    warnings(engine, 3)

    @contextmanager
    def transaction() -> Iterator[Session]:
        with Session(engine) as session, session.begin():
            yield session

    assert start_all_missing(transaction, automatic(profile), lambda: NOW, batch=2).cases == 3
    warm.forget_all()  # as another process reads them: from the stored state alone
    with Session(engine) as session:
        for case_id in session.scalars(select(Case.id).order_by(Case.id)):
            report = replay_case(session, case_id)
            assert verify_case(session, case_id) is None
            # The stored state is the one the replayed log arrives at, the notice included.
            assert report.final_matches_stored
            assert report.first_mismatch is None
            kinds = [step.kind for step in report.steps]
            assert kinds[0] == "case_started"
            assert kinds.count("completed") == 1  # the notice, issued in the same transaction


def test_x1_a_warning_reopened_behind_the_rounds_still_gets_its_case(
    engine, profile: PolicyProfile
):
    first, *others = warnings(engine, 5)
    with Session(engine) as session, session.begin():
        session.execute(
            update(EarlyWarning).where(EarlyWarning.id == first).values(status="closed")
        )
    rounds = 0

    @contextmanager
    def transaction() -> Iterator[Session]:
        nonlocal rounds
        rounds += 1
        with Session(engine) as session, session.begin():
            if rounds == 2:  # reopened once the rounds have gone past it
                session.execute(
                    update(EarlyWarning).where(EarlyWarning.id == first).values(status="open")
                )
            yield session

    started = start_all_missing(transaction, automatic(profile), lambda: NOW, batch=2)

    assert started.cases == 5
    assert sorted(cases_by_warning(engine)) == [first, *others]


def test_x1_projects_waiting_behind_open_cases_still_get_theirs(engine, profile: PolicyProfile):
    """The first round's projects all have an open case (their warnings wait to be merged):
    the loop goes on past them and starts the others'."""
    ids = warnings(engine, 5)
    automatic_profile = automatic(profile)

    @contextmanager
    def transaction() -> Iterator[Session]:
        with Session(engine) as session, session.begin():
            yield session

    with Session(engine) as session, session.begin():  # the first two projects' cases
        assert start_missing_cases(session, automatic_profile, NOW, warning_ids=ids[:2]) == 2
        first = [session.get(EarlyWarning, i) for i in ids[:2]]
        projects = [session.get(Project, w.project_id) for w in first if w is not None]
        waiting = [factories.warning(session, p, "2026-11").id for p in projects if p is not None]

    started = start_all_missing(transaction, automatic_profile, lambda: NOW, batch=2)

    assert started.cases == 3
    by_warning = cases_by_warning(engine)
    assert sorted(by_warning) == ids
    with Session(engine) as session:  # the later warnings wait in triage for the open cases
        later = [session.get(EarlyWarning, w) for w in waiting]
        assert [w.case_id for w in later if w is not None] == [None, None]
