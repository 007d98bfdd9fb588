"""The start loop (X1): every open warning gets one case, batch after batch, none left behind."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from keyproj.clock import BEIJING
from keyproj.db.models import Case, EarlyWarning
from keyproj.policy import PolicyProfile
from keyproj.services.scan.starting import start_all_missing
from tests.builders import factories

NOW = datetime(2026, 3, 2, 9, tzinfo=BEIJING)


def warnings(engine: Engine, count: int) -> list[int]:
    """``count`` open warnings of one project, oldest first."""
    with Session(engine) as session, session.begin():
        factories.unit(session, "T01", "城关镇")
        project = factories.project(session, "T01")
        return [
            factories.warning(session, project, f"2026-{n:02d}").id for n in range(1, count + 1)
        ]


def cases_by_warning(engine: Engine) -> dict[int, int]:
    with Session(engine) as session:
        return {w: c for c, w in session.execute(select(Case.id, Case.warning_id))}


def test_x1_every_open_warning_gets_one_case_batch_after_batch(engine, profile: PolicyProfile):
    ids = warnings(engine, 5)
    rounds: list[int] = []

    @contextmanager
    def transaction() -> Iterator[Session]:
        rounds.append(len(cases_by_warning(engine)))
        with Session(engine) as session, session.begin():
            yield session

    started = start_all_missing(transaction, profile, lambda: NOW, batch=2)

    assert started.cases == 5
    assert started.error is None
    assert sorted(cases_by_warning(engine)) == ids
    assert rounds == [0, 2, 4, 5]  # three rounds start cases; a last one, from the first, none


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

    started = start_all_missing(transaction, profile, lambda: NOW, batch=2)

    assert started.cases == 5
    assert sorted(cases_by_warning(engine)) == [first, *others]
