"""Lanes are roles: 重点办, 责任单位, 县政府, 督查室 resolve to units and the role a claimer needs."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.db.models import Unit

# The office unit kind behind each office lane, and the roles that may take its tasks.
OFFICE_LANES = {
    "重点办": "key_office",
    "县政府": "county_gov_office",
    "督查室": "supervision_office",
}
LANE_ROLES = {
    "重点办": frozenset({"key_office"}),
    "责任单位": frozenset({"unit_liaison", "unit_head"}),
    "县政府": frozenset({"county_gov"}),
    "督查室": frozenset({"supervision"}),
}


def office_units(session: Session, lane: str) -> list[int]:
    """The units behind an office lane (重点办, 县政府, 督查室), read once per session.

    A sweep materializes hundreds of office tasks in one session: one query per lane, not per task.
    """
    known: dict[str, list[int]] = session.info.setdefault("office_units", {})
    if lane not in known:
        kind = OFFICE_LANES[lane]
        query = select(Unit.id).where(Unit.kind == kind, Unit.active.is_(True))
        known[lane] = sorted(session.scalars(query))
    return list(known[lane])
