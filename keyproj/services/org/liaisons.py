"""The liaison registry (LP5, AL8): one current liaison per unit; a change keeps the history.

LP5 has each town, county department and construction unit name its liaison and the key
office keep and publish the list; AL8 has each department name one and report a change. So a
unit's own staff may name their unit's liaison, the key office (and administrators) any unit's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import RESPONSIBLE_UNIT_KINDS, UNIT_STAFF_ROLES, Role, UnitKind
from keyproj.db.base import length_of
from keyproj.db.models import Liaison, Unit
from keyproj.errors import ImportRowError, PermissionDenied, ValidationError
from keyproj.inputs import ADMIN_YEARS, BadInput, parse_date
from keyproj.services.access import Viewer
from keyproj.services.org.directory import PHONE, unit_by_code, unit_by_name
from keyproj.services.org.sheets import Column, read_rows
from keyproj.validation import Checks

LABELS = {
    "unit": "单位",
    "name": "姓名",
    "position": "职务",
    "phone": "联系电话",
    "since": "任职日期",
}
COLUMNS = (
    Column("unit", "单位", required=True, example="城关镇"),
    Column("name", "姓名", required=True, example="张伟"),
    Column("position", "职务", example="党政办主任"),
    Column("phone", "联系电话", required=True, example="13800000000"),
    Column("since", "任职日期", example="2026-01-01"),
)


@dataclass
class LiaisonData:
    """A unit's newly named liaison."""

    unit: str  # the unit's code or name
    name: str
    phone: str
    position: str | None = None
    since: date | None = None


def may_name_liaison(viewer: Viewer, unit_id: int) -> bool:
    """The key office and administrators for any unit; a unit's staff for their own (LP5, AL8)."""
    if viewer.has(Role.KEY_OFFICE, Role.ADMIN):
        return True
    return viewer.has(*UNIT_STAFF_ROLES) and viewer.unit_id == unit_id


def nameable_units(session: Session, viewer: Viewer) -> list[Unit]:
    """The active towns, departments and bureau whose liaison the viewer may name (LP5's units)."""
    kinds = (*RESPONSIBLE_UNIT_KINDS, UnitKind.DRB)
    query = select(Unit).where(Unit.active.is_(True), Unit.kind.in_(kinds)).order_by(Unit.code)
    return [u for u in session.scalars(query) if may_name_liaison(viewer, u.id)]


def name_liaison(session: Session, viewer: Viewer, data: LiaisonData, today: date) -> Liaison:
    """Record a unit's liaison from ``since`` (today by default); the one before ends that day."""
    checks = Checks(LABELS)
    name = checks.text("name", data.name, length_of(Liaison.name), required=True)
    phone = checks.text("phone", data.phone, length_of(Liaison.phone), required=True)
    if phone is not None:
        checks.pattern("phone", phone, PHONE, "7–20位电话号码")
    position = checks.text("position", data.position, length_of(Liaison.position))
    checks.day("since", data.since, ADMIN_YEARS)
    checks.required("unit", data.unit)
    checks.done()
    unit = _unit(session, data.unit)
    if not may_name_liaison(viewer, unit.id):
        raise PermissionDenied(f"只能登记本单位的联络员，不能登记“{unit.name}”的联络员")
    since = data.since or today
    for current in _current(session, unit.id):
        if current.since is not None and since < current.since:
            raise ValidationError.single(
                "since",
                LABELS["since"],
                f"不能早于现任联络员{current.name}的任职日期 {current.since.isoformat()}",
            )
        current.until = since
    assert name is not None  # required: refused above when blank
    assert phone is not None
    liaison = Liaison(unit=unit, name=name, phone=phone, position=position, since=since)
    session.add(liaison)
    session.flush()
    return liaison


def history(session: Session, viewer: Viewer, unit_code: str) -> tuple[Unit, list[Liaison]]:
    """A unit's liaisons, the current one first, then those before, newest first."""
    unit = unit_by_code(session, unit_code, "unit")
    if not (viewer.county_wide or viewer.unit_id == unit.id):
        raise PermissionDenied("只能查看本单位联络员的变动记录")
    rows = session.scalars(
        select(Liaison)
        .where(Liaison.unit_id == unit.id, Liaison.project_id.is_(None))
        .order_by(Liaison.until.is_not(None), Liaison.since.desc(), Liaison.id.desc())
    )
    return unit, list(rows)


def import_liaisons(session: Session, viewer: Viewer, data: bytes, today: date) -> int:
    """Name each row's liaison; any bad row refuses the whole file (the caller rolls back)."""
    if not viewer.has(Role.KEY_OFFICE, Role.ADMIN):
        raise PermissionDenied("只有重点办可以批量导入联络员名单")
    problems: list[tuple[int, str, str]] = []
    count = 0
    for number, row in read_rows(data, COLUMNS):
        try:
            since = _day(row.get("since"))
            name_liaison(
                session,
                viewer,
                LiaisonData(
                    row.get("unit") or "",
                    row.get("name") or "",
                    row.get("phone") or "",
                    row.get("position"),
                    since,
                ),
                today,
            )
            count += 1
        except ValidationError as exc:
            problems += [(number, e.label, e.reason) for e in exc.errors]
    if problems:
        raise ImportRowError(problems)
    return count


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return parse_date(text, ADMIN_YEARS)
    except BadInput as exc:
        raise ValidationError.single("since", LABELS["since"], str(exc)) from None


def _unit(session: Session, text: str) -> Unit:
    """The unit named by code or by name (a sheet says 城关镇, a form sends T01)."""
    found = session.scalar(select(Unit).where(Unit.code == text.strip()))
    return found or unit_by_name(session, text, "unit")


def _current(session: Session, unit_id: int) -> list[Liaison]:
    return list(
        session.scalars(
            select(Liaison).where(
                Liaison.unit_id == unit_id, Liaison.project_id.is_(None), Liaison.until.is_(None)
            )
        )
    )
