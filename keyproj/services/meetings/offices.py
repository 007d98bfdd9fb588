"""Who follows up a meeting's decided items (DC7 三(三): 联席会议决定的事项，由县委督查中心会同
有关部门，加大督查力度): the office a series names, mapped by the county to one of its units;
the department itself for a per-unit series (HD4); the key office where neither is known.

An overdue item's 督办 task lands with that unit (bpmn/decided_item.bpmn, lane 督办单位)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import Role
from keyproj.db.models import Meeting, MeetingOffice, Unit
from keyproj.errors import ValidationError
from keyproj.policy import PolicyProfile
from keyproj.policy.meetings import MeetingSeries
from keyproj.services.access import Viewer, require_role

KEY_OFFICE_FALLBACK = "重点办"


@dataclass
class OfficeRow:
    """An office the profile names, the series it follows up, and the county's unit for it."""

    office: str
    citation: str
    series: list[str] = field(default_factory=list)
    unit: Unit | None = None


@dataclass(frozen=True)
class FollowUp:
    """Who follows up a series' decided items, as the meeting pages say it."""

    office: str | None  # as the profile names it; None: no office named
    unit: Unit | None  # the county's unit for it; None: the key office follows up
    per_unit: bool = False  # HD4: each holding department follows up its own decisions

    @property
    def text(self) -> str:
        """One sentence for the page: who takes an overdue item's 督办, and why."""
        if self.per_unit:
            return "逾期议定事项由召开会议的责任部门（单位）督办"
        if self.office is None:
            return f"政策配置未指定督办单位，逾期议定事项由{KEY_OFFICE_FALLBACK}督办"
        if self.unit is None:
            return (
                f"逾期议定事项应由{self.office}督办，但本县尚未指定其对应单位，"
                f"暂由{KEY_OFFICE_FALLBACK}督办"
            )
        return f"逾期议定事项由{self.office}（{self.unit.name}）督办"


def office_rows(session: Session, profile: PolicyProfile) -> list[OfficeRow]:
    """Every office the profile's series name, in series order, with its mapped unit."""
    rows: dict[str, OfficeRow] = {}
    for key, series in _all_series(profile).items():
        if series.follow_up_office is None:
            continue
        cited = profile.citations.get(f"meetings.series.{key}.follow_up_office", "")
        row = rows.setdefault(series.follow_up_office, OfficeRow(series.follow_up_office, cited))
        row.series.append(series.name)
    mapped = _mapped(session, list(rows))
    for row in rows.values():
        row.unit = mapped.get(row.office)
    return list(rows.values())


def map_office(
    session: Session,
    profile: PolicyProfile,
    viewer: Viewer,
    office: str,
    unit_code: str,
    now: datetime,
) -> MeetingOffice | None:
    """The key office names the unit behind ``office``; a blank unit removes the mapping (the
    key office follows up again). Items already recorded keep the unit they were given."""
    require_role(viewer, Role.KEY_OFFICE)
    office = office.strip()
    named = {row.office for row in office_rows(session, profile)}
    if office not in named:
        raise ValidationError.single("office", "督办单位", f"政策配置中没有“{office}”")
    row = session.scalar(select(MeetingOffice).where(MeetingOffice.office == office))
    code = unit_code.strip()
    if not code:
        if row is not None:
            session.delete(row)
            session.flush()
        return None
    unit = session.scalar(select(Unit).where(Unit.code == code))
    if unit is None or not unit.active:
        raise ValidationError.single("unit_code", "对应单位", f"没有代码为“{code}”的在用单位")
    if row is None:
        row = MeetingOffice(office=office, unit_id=unit.id, updated_at=now)
        session.add(row)
    row.unit_id, row.updated_by_id, row.updated_at = unit.id, viewer.user_id, now
    session.flush()
    return row


def follow_up(session: Session, series: MeetingSeries) -> FollowUp:
    """Who follows up ``series``' decided items."""
    if series.per_unit:
        return FollowUp(None, None, per_unit=True)
    if series.follow_up_office is None:
        return FollowUp(None, None)
    unit = _mapped(session, [series.follow_up_office]).get(series.follow_up_office)
    return FollowUp(series.follow_up_office, unit)


def follow_up_unit_id(session: Session, series: MeetingSeries, meeting: Meeting) -> int | None:
    """The unit an overdue item of ``meeting`` goes to for 督办: the holding department of a
    per-unit meeting (HD4), else the mapped office (DC7 三(三)); None: the key office."""
    if meeting.host_unit_id is not None:
        return meeting.host_unit_id
    unit = follow_up(session, series).unit
    return unit.id if unit is not None else None


def _mapped(session: Session, offices: list[str]) -> dict[str, Unit]:
    if not offices:
        return {}
    rows = session.execute(
        select(MeetingOffice.office, Unit)
        .join(Unit, Unit.id == MeetingOffice.unit_id)
        .where(MeetingOffice.office.in_(offices), Unit.active.is_(True))
    )
    return {office: unit for office, unit in rows}


def _all_series(profile: PolicyProfile) -> dict[str, MeetingSeries]:
    return dict(profile.meetings.series) if profile.meetings else {}
