"""The liaison registry (LP5, AL8): one current liaison per unit; a change keeps the history.

LP5 has each town, county department and construction unit name its liaison and the key
office keep and publish the list; AL8 has each department name one and report a change. So a
unit's own staff may name their unit's liaison, the key office (and administrators) any unit's.
A construction unit (项目建设单位) is no unit of the county's: its liaison is named by the
project's 项目代码, by the key office or the project's lead unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from keyproj.codes import RESPONSIBLE_UNIT_KINDS, UNIT_STAFF_ROLES, Role, UnitKind
from keyproj.db.base import length_of
from keyproj.db.models import Liaison, Project, Unit
from keyproj.errors import ImportRowError, NotFound, PermissionDenied, ValidationError
from keyproj.inputs import ADMIN_YEARS, BadInput, parse_date
from keyproj.services.access import Viewer
from keyproj.services.org.directory import PHONE, unit_by_code, unit_by_name
from keyproj.services.org.sheets import Column, read_rows
from keyproj.services.projects.project import project_by_code
from keyproj.validation import Checks

LABELS = {
    "unit": "单位",
    "name": "姓名",
    "position": "职务",
    "phone": "联系电话",
    "since": "任职日期",
    "project": "项目代码",
}
COLUMNS = (
    # The 单位 column is always there; a construction unit's row leaves it blank and names
    # its project in 项目代码 instead.
    Column("unit", "单位", required=True, example="城关镇"),
    Column("name", "姓名", required=True, example="张伟"),
    Column("position", "职务", example="党政办主任"),
    Column("phone", "联系电话", required=True, example="13800000000"),
    Column("since", "任职日期", example="2026-01-01"),
    Column("project", "项目代码"),
)
BOTH = "单位与项目代码只填一项：项目建设单位的联络员填项目代码、单位留空"


@dataclass
class LiaisonData:
    """A unit's newly named liaison."""

    unit: str  # the unit's code or name
    name: str
    phone: str
    position: str | None = None
    since: date | None = None
    project: str | None = None  # a construction unit's liaison: its project's 项目代码


def may_name_liaison(viewer: Viewer, unit_id: int) -> bool:
    """The key office and administrators for any unit; a unit's staff for their own (LP5, AL8)."""
    if viewer.has(Role.KEY_OFFICE, Role.ADMIN):
        return True
    return viewer.has(*UNIT_STAFF_ROLES) and viewer.unit_id == unit_id


def may_name_project_liaison(viewer: Viewer, project: Project) -> bool:
    """The key office and administrators for any project; the lead unit's staff for its own."""
    return may_name_liaison(viewer, project.lead_unit_id)


def names_project_liaisons(viewer: Viewer) -> bool:
    """Whether the viewer may name some construction unit's liaison (the page offers the field)."""
    return viewer.has(Role.KEY_OFFICE, Role.ADMIN, *UNIT_STAFF_ROLES)


def nameable_units(session: Session, viewer: Viewer) -> list[Unit]:
    """The active towns, departments and bureau whose liaison the viewer may name (LP5's units)."""
    kinds = (*RESPONSIBLE_UNIT_KINDS, UnitKind.DRB)
    query = select(Unit).where(Unit.active.is_(True), Unit.kind.in_(kinds)).order_by(Unit.code)
    return [u for u in session.scalars(query) if may_name_liaison(viewer, u.id)]


def name_liaison(session: Session, viewer: Viewer, data: LiaisonData, today: date) -> Liaison:
    """Record a unit's (or a project's construction unit's) liaison from ``since`` (today by
    default); the one before ends that day."""
    checks = Checks(LABELS)
    name = checks.text("name", data.name, length_of(Liaison.name), required=True)
    phone = checks.text("phone", data.phone, length_of(Liaison.phone), required=True)
    if phone is not None:
        checks.pattern("phone", phone, PHONE, "7–20位电话号码")
    position = checks.text("position", data.position, length_of(Liaison.position))
    checks.day("since", data.since, ADMIN_YEARS)
    project_code = (data.project or "").strip()
    if project_code and (data.unit or "").strip():
        checks.fail("project", BOTH)
    elif not project_code:
        checks.required("unit", data.unit)
    checks.done()
    holder = _holder(session, viewer, data.unit, project_code)
    since = data.since or today
    for current in _current(session, holder):
        if current.since is not None and since < current.since:
            raise ValidationError.single(
                "since",
                LABELS["since"],
                f"不能早于现任联络员{current.name}的任职日期 {current.since.isoformat()}",
            )
        current.until = since
    assert name is not None  # required: refused above when blank
    assert phone is not None
    liaison = Liaison(name=name, phone=phone, position=position, since=since)
    if isinstance(holder, Project):
        liaison.project_id = holder.id
    else:
        liaison.unit = holder
    session.add(liaison)
    session.flush()
    return liaison


def _holder(session: Session, viewer: Viewer, unit: str, project_code: str) -> Unit | Project:
    """The unit, or the project whose construction unit, the liaison serves; may the viewer?"""
    if project_code:
        project = project_by_code(session, project_code)
        if project is None:
            raise ValidationError.single(
                "project", LABELS["project"], f"项目代码 {project_code} 不存在"
            )
        if not may_name_project_liaison(viewer, project):
            # Not named: another unit's project stays out of sight, as everywhere else.
            raise PermissionDenied(f"只能登记本单位牵头项目的建设单位联络员（{project_code}）")
        return project
    found = _unit(session, unit)
    if not may_name_liaison(viewer, found.id):
        raise PermissionDenied(f"只能登记本单位的联络员，不能登记“{found.name}”的联络员")
    return found


def history(
    session: Session, viewer: Viewer, unit_code: str, project_code: str = ""
) -> tuple[str, list[Liaison]]:
    """Whose liaisons (a unit's name, or a project's construction unit) and the liaisons over
    time, the current one first, then those before, newest first."""
    if project_code:
        project = project_by_code(session, project_code)
        if project is None or not (viewer.county_wide or viewer.unit_id == project.lead_unit_id):
            raise NotFound(f"项目 {project_code} 不存在或无权查看")
        holder: Unit | Project = project
        title = f"{project.name}建设单位（{project.construction_unit or '未填'}）"
    else:
        unit = unit_by_code(session, unit_code, "unit")
        if not (viewer.county_wide or viewer.unit_id == unit.id):
            raise PermissionDenied("只能查看本单位联络员的变动记录")
        holder, title = unit, unit.name
    rows = session.scalars(
        select(Liaison)
        .where(_serving(holder))
        .order_by(Liaison.until.is_not(None), Liaison.since.desc(), Liaison.id.desc())
    )
    return title, list(rows)


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
                    row.get("project"),
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


def _serving(holder: Unit | Project) -> ColumnElement[bool]:
    """The liaisons of a unit (not of a project) or of a project's construction unit."""
    if isinstance(holder, Project):
        return Liaison.project_id == holder.id
    return (Liaison.unit_id == holder.id) & Liaison.project_id.is_(None)


def _current(session: Session, holder: Unit | Project) -> list[Liaison]:
    return list(session.scalars(select(Liaison).where(_serving(holder), Liaison.until.is_(None))))
