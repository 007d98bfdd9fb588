"""Lanes are roles: 重点办, 责任单位, 县政府, 督查室 resolve to units and the role a claimer needs."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import Lane, Role, UnitKind
from keyproj.db.models import Unit

# The office unit kind behind each office lane, and the roles that may take its tasks.
OFFICE_LANES: dict[str, UnitKind] = {
    Lane.KEY_OFFICE: UnitKind.KEY_OFFICE,
    Lane.COUNTY_GOV: UnitKind.COUNTY_GOV_OFFICE,
    Lane.SUPERVISION: UnitKind.SUPERVISION_OFFICE,
}
LANE_ROLES: dict[str, frozenset[Role]] = {
    Lane.KEY_OFFICE: frozenset({Role.KEY_OFFICE}),
    Lane.RESPONSIBLE: frozenset({Role.UNIT_LIAISON, Role.UNIT_HEAD}),
    Lane.COUNTY_GOV: frozenset({Role.COUNTY_GOV}),
    Lane.SUPERVISION: frozenset({Role.SUPERVISION}),
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
