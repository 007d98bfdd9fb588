"""Data for the worker tests, built through the real services."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from keyproj.db.models import Case, CaseEvent, EarlyWarning
from keyproj.policy import load_profile
from keyproj.services.cases import commands as cases
from tests.builders import factories
from tests.builders.county import County


def county(factory: sessionmaker[Session]) -> None:
    """The offices are seeded by init; the test county's units and a liaison of 城关镇."""
    with factory() as session, session.begin():
        County(session).with_people("town")


def projects_without_plans(factory: sessionmaker[Session], count: int, today: date) -> None:
    """``count`` projects approved over a year ago with no annual plan: each owes an LP6 warning."""
    with factory() as session, session.begin():
        for i in range(count):
            factories.project(
                session,
                "T01",
                name=f"示范道路工程{i + 1:04d}",
                approved_on=today - timedelta(days=400),
                stage="under_construction",
            )


def cases_with_due_timers(factory: sessionmaker[Session], count: int, opened: datetime) -> None:
    """``count`` cases opened at ``opened``: their LP13 notice deadline has passed since."""
    profile = load_profile("lianping")
    with factory() as session, session.begin():
        project = factories.project(session, "T01")
        for i in range(count):
            warning = factories.warning(session, project, f"2026-{i:05d}")
            cases.start_case(session, warning, profile, opened)


def warning_and_case_counts(factory: sessionmaker[Session]) -> dict[str, int]:
    """Open warnings, cases, warnings without a case, and duplicated (rule, project, period)."""
    with factory() as session:
        no_case = ~select(Case.id).where(Case.warning_id == EarlyWarning.id).exists()
        keys = (
            select(EarlyWarning.rule_id, EarlyWarning.project_id, EarlyWarning.period)
            .where(EarlyWarning.status == "open")
            .group_by(EarlyWarning.rule_id, EarlyWarning.project_id, EarlyWarning.period)
            .having(func.count() > 1)
        )
        return {
            "warnings": session.scalar(select(func.count()).select_from(EarlyWarning)) or 0,
            "cases": session.scalar(select(func.count()).select_from(Case)) or 0,
            "without_case": session.scalar(select(func.count()).where(no_case)) or 0,
            "duplicated": len(session.execute(keys).all()),
        }


def timer_firings(factory: sessionmaker[Session]) -> list[tuple[int, str]]:
    """(case, timer name) for every timer fired, as the event log tells it."""
    with factory() as session:
        events = session.scalars(select(CaseEvent).where(CaseEvent.kind == "timer_fired"))
        return [(e.case_id, name) for e in events for name in e.data["timers"]]
