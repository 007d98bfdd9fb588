"""Lanes are roles: 重点办, 责任单位, 县政府, 督查室 resolve to units and the role a claimer needs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, Select, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from keyproj.codes import Lane, Role, UnitKind
from keyproj.db.models import Unit

_KNOWN = "office_units"  # session.info key

# The office unit kind behind each office lane, and the roles that may take its tasks.
OFFICE_LANES: dict[str, UnitKind] = {
    Lane.KEY_OFFICE: UnitKind.KEY_OFFICE,
    Lane.COUNTY_GOV: UnitKind.COUNTY_GOV_OFFICE,
    Lane.SUPERVISION: UnitKind.SUPERVISION_OFFICE,
    # A decided item's 督办 goes to the unit its data names; without one, to the key office.
    Lane.FOLLOW_UP_OFFICE: UnitKind.KEY_OFFICE,
}
LANE_ROLES: dict[str, frozenset[Role]] = {
    Lane.KEY_OFFICE: frozenset({Role.KEY_OFFICE}),
    Lane.RESPONSIBLE: frozenset({Role.UNIT_LIAISON, Role.UNIT_HEAD}),
    Lane.COUNTY_GOV: frozenset({Role.COUNTY_GOV}),
    Lane.SUPERVISION: frozenset({Role.SUPERVISION}),
    # Whatever unit the county names as a series' follow-up office (an office or a department
    # holding its own meetings, HD4): its staff, by the office or unit roles they hold.
    Lane.FOLLOW_UP_OFFICE: frozenset(
        {Role.KEY_OFFICE, Role.COUNTY_GOV, Role.SUPERVISION, Role.UNIT_LIAISON, Role.UNIT_HEAD}
    ),
}
# DC1–DC2: a project's 分包领导 with an account takes the task of these lanes that the diagram
# offers to the leader's own unit on a case of a project they lead (the leader's on-site
# coordination), though a leader's role is none of the lane's; a leader never takes the office's
# tasks of the lane, nor another leader's.
LEADER_LANES: frozenset[str] = frozenset({Lane.COUNTY_GOV})
LEADER_TASK = "leader_onsite"  # the 分包领导's on-site coordination (bpmn/dancheng_case.bpmn)


def _office_units_query(lane: str) -> Select[Any]:
    kind = OFFICE_LANES[lane]
    return select(Unit.id).where(Unit.kind == kind, Unit.active.is_(True)).order_by(Unit.id)


def office_units(session: Session, lane: str) -> list[int]:
    """The units behind an office lane (重点办, 县政府, 督查室), read once per session.

    A sweep materializes hundreds of office tasks in one session: one query per lane, not per task.
    """
    known: dict[str, list[int]] = session.info.setdefault(_KNOWN, {})
    if lane not in known:
        known[lane] = list(session.scalars(_office_units_query(lane)))
    return list(known[lane])


def office_units_array(lane: str) -> Any:
    """The units of an office lane as one array column (PostgreSQL), for a query to carry along."""
    # As a tuple: the cases' query de-duplicates its rows, which needs hashable values.
    return func.array(
        _office_units_query(lane).scalar_subquery(), type_=ARRAY(Integer, as_tuple=True)
    )


def remember_office_units(session: Session, units: dict[str, list[int]]) -> None:
    """Office lanes' units read along with something else, kept for the session's steps."""
    session.info.setdefault(_KNOWN, {}).update({lane: list(ids) for lane, ids in units.items()})
