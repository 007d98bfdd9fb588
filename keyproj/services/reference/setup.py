"""Database set-up: migrate to head and seed reference data; safe to run again."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from keyproj.codes import UnitKind
from keyproj.db.migrate import upgrade
from keyproj.db.models import Unit
from keyproj.db.session import make_session_factory, unit_of_work
from keyproj.services.cases.definitions import deploy_shipped
from keyproj.services.org.directory import save_unit
from keyproj.services.reference import calendar as calendar_service

# The offices every county has; their codes are what lanes of the diagrams resolve to.
OFFICE_UNITS = (
    ("ZDB", "县重点项目建设办公室", UnitKind.KEY_OFFICE),
    ("XFB", "县人民政府办公室", UnitKind.COUNTY_GOV_OFFICE),
    ("DCS", "县委县政府督查室", UnitKind.SUPERVISION_OFFICE),
    ("XLD", "县领导", UnitKind.LEADERSHIP),
)


@dataclass(frozen=True)
class InitResult:
    """What ``init`` did."""

    calendar_years_added: list[int]
    offices_added: list[str]
    definitions: list[str]


def init_database(engine: Engine) -> InitResult:
    """Upgrade the schema to head, then seed reference data."""
    upgrade(engine)
    with unit_of_work(make_session_factory(engine)) as session:
        return seed_reference(session)


def seed_reference(session: Session) -> InitResult:
    """The calendar, the office units and the shipped diagrams; what exists is left alone."""
    years = calendar_service.seed_from_package(session)
    offices = seed_offices(session)
    deployed = [f"{d.key} v{d.version}" for d in deploy_shipped(session)]
    return InitResult(years, offices, deployed)


def seed_offices(session: Session) -> list[str]:
    """Create the office units that do not exist yet; returns the codes added."""
    added = []
    for code, name, kind in OFFICE_UNITS:
        if session.scalar(select(Unit.id).where(Unit.code == code)) is None:
            save_unit(session, code, name, kind)
            added.append(code)
    return added
