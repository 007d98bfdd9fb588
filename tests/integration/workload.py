"""Data for the worker tests, built through the real services."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from keyproj.db.models import Case, CaseEvent, EarlyWarning
from keyproj.policy import load_profile
from keyproj.policy.loader import PROFILE_DIR
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
    """Warnings, the projects of open ones (a case each: one notice per project matter), cases,
    open warnings no case covers, and duplicated (rule, project, period)."""
    with factory() as session:
        no_case = (EarlyWarning.status == "open") & EarlyWarning.case_id.is_(None)
        matters = select(func.count(func.distinct(EarlyWarning.project_id))).where(
            EarlyWarning.status == "open"
        )
        keys = (
            select(EarlyWarning.rule_id, EarlyWarning.project_id, EarlyWarning.period)
            .where(EarlyWarning.status == "open")
            .group_by(EarlyWarning.rule_id, EarlyWarning.project_id, EarlyWarning.period)
            .having(func.count() > 1)
        )
        return {
            "warnings": session.scalar(select(func.count()).select_from(EarlyWarning)) or 0,
            "matters": session.scalar(matters) or 0,
            "cases": session.scalar(select(func.count()).select_from(Case)) or 0,
            "without_case": session.scalar(select(func.count()).where(no_case)) or 0,
            "duplicated": len(session.execute(keys).all()),
        }


def timer_firings(factory: sessionmaker[Session]) -> list[tuple[int, str]]:
    """(case, timer name) for every timer fired, as the event log tells it."""
    with factory() as session:
        events = session.scalars(select(CaseEvent).where(CaseEvent.kind == "timer_fired"))
        return [(e.case_id, name) for e in events for name in e.data["timers"]]


def automatic_profile(directory: Path) -> Path:
    """Lianping's profile as a county's own file with automatic first notices switched on and a
    missing plan (LP6) sent to a case, so that a scan of ``projects_without_plans`` starts cases."""
    text = (PROFILE_DIR / "lianping.toml").read_text(encoding="utf-8")
    for old, new in (
        ("auto_notice = { value = false", "auto_notice = { value = true"),
        ('plan_missing = { value = "reminder"', 'plan_missing = { value = "case"'),
    ):
        assert old in text, old
        text = text.replace(old, new)
    path = directory / "county_profile.toml"
    path.write_text(text, encoding="utf-8")
    return path
