"""Commendations and sanctions on units' records: entered by the key office (HD7, AL13, DC6
accountability decided outside an evaluation) or written by a confirmed evaluation; listed
with filters for the offices, leaders and auditors, a unit's own for its staff."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from keyproj.codes import RESPONSIBLE_UNIT_KINDS, UNIT_STAFF_ROLES, AwardKind, Role
from keyproj.codes.awards import WITH_AMOUNT
from keyproj.db.models import AwardRecord, Project, Unit
from keyproj.errors import NotFound
from keyproj.inputs import LONG_TEXT, BadInput, parse_decimal, parse_year
from keyproj.services.access import Viewer, require_role
from keyproj.services.awards.evaluations import sees_all
from keyproj.validation import Checks

CLAUSE = re.compile(r"^(X|LP|AL|HD|DC|GS)[0-9]+(-[0-9]+)?$")
LABELS = {
    "unit_id": "单位",
    "person": "责任人",
    "project_code": "项目代码",
    "kind": "奖惩类别",
    "amount": "金额（万元）",
    "reason": "事由",
    "clause": "依据条款",
    "year": "年度",
}


@dataclass(frozen=True)
class Entry:
    """A record as typed into the key office's form (strings, as they came)."""

    unit_id: str
    kind: str
    reason: str
    clause: str
    year: str
    person: str = ""
    project_code: str = ""
    amount: str = ""


@dataclass(frozen=True)
class Filters:
    """What the records list is narrowed to (None: any)."""

    year: int | None = None
    unit_id: int | None = None
    kind: str | None = None


def may_read_unit(viewer: Viewer, unit_id: int) -> bool:
    """The offices, leaders and auditors read every unit's record; a unit's staff its own."""
    return sees_all(viewer) or (viewer.has(*UNIT_STAFF_ROLES) and viewer.unit_id == unit_id)


def enter(session: Session, viewer: Viewer, entry: Entry, now: datetime) -> AwardRecord:
    """The key office records a commendation or sanction by hand; every field checked first."""
    require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    checks = Checks(LABELS)
    unit = _unit(session, checks, entry.unit_id)
    kind = AwardKind.parse(entry.kind)
    if kind is None:
        checks.fail("kind", f"请选择：{'、'.join(AwardKind.labels().values())}")
    amount = _amount(checks, entry.amount, kind)
    project = _project(session, checks, entry.project_code, unit)
    reason = checks.text("reason", entry.reason, LONG_TEXT, required=True)
    person = checks.text("person", entry.person, 64)
    clause = checks.text("clause", entry.clause, 16, required=True)
    checks.pattern("clause", clause, CLAUSE, "条款编号，如 HD7、AL13、DC6")
    year = _year(checks, entry.year)
    checks.done()
    assert unit is not None
    assert kind is not None
    assert year is not None
    record = AwardRecord(
        year=year,
        unit_id=unit.id,
        person=person,
        project_id=project.id if project else None,
        kind=kind,
        amount=amount,
        reason=reason or "",
        clause=clause or "",
        recorded_by_id=viewer.user_id,
        recorded_at=now,
    )
    session.add(record)
    session.flush()
    return record


def listed(session: Session, viewer: Viewer, filters: Filters) -> list[AwardRecord]:
    """The records the viewer may read, narrowed by ``filters``, the newest first."""
    query = _query()
    if not sees_all(viewer):
        query = query.where(AwardRecord.unit_id == viewer.unit_id)
    if filters.year is not None:
        query = query.where(AwardRecord.year == filters.year)
    if filters.unit_id is not None:
        query = query.where(AwardRecord.unit_id == filters.unit_id)
    if filters.kind is not None:
        query = query.where(AwardRecord.kind == filters.kind)
    return list(session.scalars(query))


def of_unit(session: Session, viewer: Viewer, unit_id: int) -> tuple[Unit, list[AwardRecord]]:
    """A unit and its commendations and sanctions; NotFound outside the viewer's scope."""
    unit = session.get(Unit, unit_id)
    if unit is None or not may_read_unit(viewer, unit_id):
        raise NotFound(f"单位 {unit_id} 不存在或无权查看")
    return unit, list(session.scalars(_query().where(AwardRecord.unit_id == unit_id)))


def units_to_name(session: Session) -> list[Unit]:
    """The towns and departments a record may be about."""
    return list(
        session.scalars(
            select(Unit)
            .where(Unit.kind.in_(RESPONSIBLE_UNIT_KINDS), Unit.active)
            .order_by(Unit.code)
        )
    )


def _query() -> Select[AwardRecord]:
    return (
        select(AwardRecord)
        .options(selectinload(AwardRecord.unit), selectinload(AwardRecord.project))
        .order_by(AwardRecord.recorded_at.desc(), AwardRecord.id)
    )


def _unit(session: Session, checks: Checks, text: str) -> Unit | None:
    unit = session.get(Unit, int(text)) if text.isascii() and text.isdigit() else None
    if unit is None or unit.kind not in RESPONSIBLE_UNIT_KINDS:
        checks.fail("unit_id", "请选择乡镇或县直部门")
        return None
    return unit


def _amount(checks: Checks, text: str, kind: AwardKind | None) -> Decimal | None:
    if kind not in WITH_AMOUNT:
        if text.strip():
            checks.fail("amount", "只有奖励资金和罚款填写金额")
        return None
    try:
        value = parse_decimal(text.strip())
    except BadInput as exc:
        checks.fail("amount", f"请填写金额（万元）：{exc}")
        return None
    checks.amount("amount", value)
    if value == 0:
        checks.fail("amount", "金额应大于0")
    return value


def _project(session: Session, checks: Checks, text: str, unit: Unit | None) -> Project | None:
    code = text.strip()
    if not code:
        return None
    project = session.scalar(select(Project).where(Project.code == code[:64]))
    if project is None or (unit is not None and project.lead_unit_id != unit.id):
        checks.fail("project_code", f"“{code[:40]}”不是该单位牵头项目的项目代码")
        return None
    return project


def _year(checks: Checks, text: str) -> int | None:
    try:
        return parse_year(text.strip())
    except BadInput as exc:
        checks.fail("year", str(exc))
        return None


def filters_from(year: str, unit_id: str, kind: str) -> Filters:
    """The list's filters from a query string; an unreadable one is dropped (shows everything)."""
    try:
        chosen_year = parse_year(year) if year else None
    except BadInput:
        chosen_year = None
    unit = int(unit_id) if unit_id.isascii() and unit_id.isdigit() and len(unit_id) < 10 else None
    return Filters(chosen_year, unit, kind if AwardKind.parse(kind) else None)
