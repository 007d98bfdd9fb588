"""Small builders for test data, on top of the real services."""

from __future__ import annotations

from decimal import Decimal
from itertools import count

from sqlalchemy.orm import Session

from keyproj.db.models import Project, Unit, User
from keyproj.services.org import UserData, create_user, save_unit
from keyproj.services.projects import ProjectData, create_project

PASSWORD = "Test#2026pass"
_serial = count(1)


def unit(session: Session, code: str = "T01", name: str | None = None, kind: str = "town") -> Unit:
    """A unit (a town by default)."""
    return save_unit(session, code, name or f"测试单位{code}", kind)


def user(session: Session, username: str, unit_code: str, *roles: str) -> User:
    """A user of ``unit_code`` with ``roles`` and the shared test password."""
    return create_user(
        session,
        UserData(username, f"用户{username}", unit_code, PASSWORD, list(roles) or ["unit_liaison"]),
    )


def project_data(lead_unit_code: str = "T01", **overrides: object) -> ProjectData:
    """Valid project data with a fresh code."""
    values: dict[str, object] = {
        "code": f"2026-441623-48-01-{next(_serial):06d}",
        "name": "测试道路改建工程",
        "level": "county",
        "nature": "new",
        "total_investment": Decimal("12000"),
        "lead_unit_code": lead_unit_code,
    }
    values.update(overrides)
    return ProjectData(**values)  # type: ignore[arg-type]


def project(session: Session, lead_unit_code: str = "T01", **overrides: object) -> Project:
    """A stored project."""
    return create_project(session, project_data(lead_unit_code, **overrides))
