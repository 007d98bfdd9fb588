"""Units on the administrators' pages: create, rename, change kind, deactivate; never delete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from keyproj.codes import AdminAction, UnitKind
from keyproj.db.models import Unit, User
from keyproj.errors import Conflict, NotFound, ValidationError
from keyproj.paging import Page, Paging, fetch_page
from keyproj.services.admin.changelog import Actor, record
from keyproj.services.org import MAX_ID
from keyproj.services.org.directory import save_unit

# The offices' lanes resolve to the active unit of their kind (cases/lanes.py): one must remain.
OFFICE_KINDS = frozenset(
    {UnitKind.KEY_OFFICE, UnitKind.COUNTY_GOV_OFFICE, UnitKind.SUPERVISION_OFFICE}
)


@dataclass(frozen=True)
class UnitRow:
    """One unit as the administrators' list shows it, with its number of active accounts."""

    id: int
    code: str
    name: str
    kind: UnitKind
    parent_name: str | None
    active: bool
    active_users: int


def unit_page(session: Session, paging: Paging) -> Page[UnitRow]:
    """A page of every unit, active ones first, by code."""
    parent = aliased(Unit)
    users = (
        select(func.count())
        .where(User.unit_id == Unit.id, User.active.is_(True))
        .correlate(Unit)
        .scalar_subquery()
    )
    query = (
        select(Unit, parent.name, users)
        .outerjoin(parent, parent.id == Unit.parent_id)
        .order_by(Unit.active.desc(), Unit.code)
    )
    return fetch_page(session, query, paging).map(
        lambda row: UnitRow(
            row[0].id, row[0].code, row[0].name, row[0].kind, row[1], row[0].active, int(row[2])
        )
    )


def all_units(session: Session) -> list[Unit]:
    """Every unit by code (the choices of a user's unit and a unit's parent)."""
    return list(session.scalars(select(Unit).order_by(Unit.active.desc(), Unit.code)))


def get_unit(session: Session, unit_id: int) -> Unit:
    """The unit with ``unit_id`` (NotFound otherwise)."""
    unit = session.get(Unit, unit_id) if 0 < unit_id <= MAX_ID else None
    if unit is None:
        raise NotFound(f"单位 {unit_id} 不存在")
    return unit


def create_unit(
    session: Session,
    actor: Actor,
    now: datetime,
    code: str,
    name: str,
    kind: str,
    parent_code: str | None = None,
) -> Unit:
    """A new unit; an existing code is refused (renaming is ``update_unit``)."""
    code = (code or "").strip()
    if session.scalar(select(Unit.id).where(Unit.code == code)) is not None:
        raise ValidationError.single("code", "单位编码", f"“{code}”已被另一个单位使用")
    unit = save_unit(session, code, name, kind, parent_code or None)
    record(session, actor, AdminAction.UNIT_CREATED, _label(unit), now, unit.kind.label)
    return unit


def update_unit(
    session: Session, actor: Actor, now: datetime, unit_id: int, name: str, kind: str
) -> Unit:
    """Rename a unit and/or change its kind; each change is logged with the old and new value."""
    unit = get_unit(session, unit_id)
    old_name, old_kind = unit.name, unit.kind
    parent_code = unit.parent.code if unit.parent is not None else None
    if old_kind in OFFICE_KINDS and kind != old_kind:
        _keep_one_office(session, unit, "kind", "单位类型")
    save_unit(session, unit.code, name, kind, parent_code)
    if unit.name != old_name:
        record(
            session, actor, AdminAction.UNIT_RENAMED, _label(unit), now, f"{old_name} → {unit.name}"
        )
    if unit.kind != old_kind:
        change = f"{old_kind.label} → {unit.kind.label}"
        record(session, actor, AdminAction.UNIT_KIND_CHANGED, _label(unit), now, change)
    return unit


def set_unit_active(
    session: Session, actor: Actor, now: datetime, unit_id: int, active: bool
) -> Unit:
    """Deactivate a unit (kept with its history, offered no more) or bring it back."""
    unit = get_unit(session, unit_id)
    if unit.active == active:
        raise Conflict(f"单位“{unit.name}”已是{'启用' if active else '停用'}状态")
    if not active:
        _keep_one_office(session, unit, "active", "状态")
        users = session.scalar(
            select(func.count()).where(User.unit_id == unit.id, User.active.is_(True))
        )
        if users:
            raise ValidationError.single(
                "active",
                "状态",
                f"单位“{unit.name}”还有{users}个启用的账号：请先停用这些账号或将其调到其他单位",
            )
    unit.active = active
    session.flush()
    session.info.pop("office_units", None)  # lanes.office_units reads units once per session
    action = AdminAction.UNIT_REACTIVATED if active else AdminAction.UNIT_DEACTIVATED
    record(session, actor, action, _label(unit), now)
    return unit


def _keep_one_office(session: Session, unit: Unit, field: str, label: str) -> None:
    """Refuse to take away the last active office of its kind: its lane would have no unit."""
    if unit.kind not in OFFICE_KINDS or not unit.active:
        return
    others = session.scalar(
        select(func.count()).where(
            Unit.kind == unit.kind, Unit.active.is_(True), Unit.id != unit.id
        )
    )
    if not others:
        raise ValidationError.single(
            field, label, f"“{unit.name}”是唯一启用的{unit.kind.label}，流程的办理环节需要它"
        )


def _label(unit: Unit) -> str:
    return f"单位 {unit.code} {unit.name}"


def save_from_command(
    session: Session,
    actor: Actor,
    now: datetime,
    code: str,
    name: str,
    kind: str,
    parent_code: str | None = None,
) -> Unit:
    """``keyproj users unit``: create the unit with ``code``, or rename and re-kind it (logged)."""
    existing = session.scalar(select(Unit).where(Unit.code == (code or "").strip()))
    if existing is None:
        return create_unit(session, actor, now, code, name, kind, parent_code)
    unit = update_unit(session, actor, now, existing.id, name, kind)
    if parent_code is not None:
        save_unit(session, unit.code, unit.name, unit.kind, parent_code)
    return unit
