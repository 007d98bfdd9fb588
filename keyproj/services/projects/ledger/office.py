"""The ledger from the pages: the key office (or an administrator) imports it; anyone exports what they see."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from keyproj.codes import Role
from keyproj.errors import ValidationError
from keyproj.inputs import ADMIN_YEARS, BadInput, parse_int
from keyproj.services.access import Viewer, require_role
from keyproj.services.projects.ledger.importing import import_projects
from keyproj.services.projects.ledger.writing import ImportResult

# The county's ledger of key projects is kept by the key office (HD1 台账); the administrator
# sets a new county up with it.
LEDGER_KEEPERS = (Role.KEY_OFFICE, Role.ADMIN)


def may_import(viewer: Viewer) -> bool:
    """True when ``viewer`` may import the ledger."""
    return viewer.has(*LEDGER_KEEPERS)


def import_for(
    session: Session, viewer: Viewer, data: bytes | Path, year: int, breakdown: str
) -> ImportResult:
    """Import a ledger workbook for ``viewer``: the key office or an administrator, all rows or none."""
    require_role(viewer, *LEDGER_KEEPERS)
    return import_projects(session, data, year, breakdown)


def read_year(text: str | None, default: int) -> int:
    """The plan year typed on a page (blank: ``default``); refused naming the field."""
    if text is None or not text.strip():
        return default
    try:
        return parse_int(text.strip(), ADMIN_YEARS.first, ADMIN_YEARS.last)
    except BadInput as exc:
        raise ValidationError.single("year", "年度", str(exc)) from exc
