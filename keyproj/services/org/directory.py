"""Units, users, leaders and liaisons (LP5, AL8, DC1, GS3)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import ROLES, UNIT_KINDS, UnitKind
from keyproj.db.base import length_of
from keyproj.db.models import Leader, Liaison, Unit, User, UserRole
from keyproj.errors import NotFound, ValidationError
from keyproj.inputs import ADMIN_YEARS
from keyproj.passwords import hash_password
from keyproj.services.org.auth import check_password_policy
from keyproj.services.org.sessions import end_sessions
from keyproj.validation import Checks

UNIT_LABELS = {
    "code": "单位编码",
    "name": "单位名称",
    "kind": "单位类型",
    "parent_code": "上级单位",
}
USER_LABELS = {
    "username": "用户名",
    "display_name": "姓名",
    "unit_code": "所属单位",
    "roles": "角色",
    "password": "密码",
    "email": "电子邮箱",
}
LIAISON_LABELS = {
    "name": "姓名",
    "phone": "联系电话",
    "unit_code": "单位",
    "project_id": "项目",
    "position": "职务",
    "since": "任职日期",
}
CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")
USERNAME = re.compile(r"[A-Za-z0-9_.-]{2,64}")
PHONE = re.compile(r"[0-9+\- ]{7,20}")


def unit_by_code(session: Session, code: str, field: str = "unit_code") -> Unit:
    """The unit with ``code``; an unknown code is a ValidationError on ``field``."""
    code = _lookup_text(code, length_of(Unit.code), field)
    unit = session.scalar(select(Unit).where(Unit.code == code))
    if unit is None:
        raise ValidationError.single(field, "单位", f"未知单位“{code}”")
    return unit


def unit_by_name(session: Session, name: str, field: str) -> Unit:
    """The unit called ``name``; an unknown name is a ValidationError on ``field``."""
    name = _lookup_text(name, length_of(Unit.name), field)
    unit = session.scalar(select(Unit).where(Unit.name == name))
    if unit is None:
        raise ValidationError.single(field, "单位", f"未知单位“{name}”")
    return unit


def _lookup_text(value: str, limit: int, field: str) -> str:
    """Text to look up by: checked first, so nothing unstorable (NUL, …) reaches the database."""
    checks = Checks({field: "单位"})
    text = checks.text(field, value, limit, required=True)
    checks.done()
    assert text is not None  # required: a blank value was refused above
    return text


def save_unit(
    session: Session, code: str, name: str, kind: str, parent_code: str | None = None
) -> Unit:
    """Create a unit, or update the one with ``code``."""
    checks = Checks(UNIT_LABELS)
    if checks.required("code", code):
        checks.pattern("code", code, CODE, "字母、数字、-、_")
    clean_name = checks.text("name", name, length_of(Unit.name), required=True)
    checks.choice("kind", kind, UNIT_KINDS)
    checks.done()
    parent = unit_by_code(session, parent_code, "parent_code") if parent_code else None
    unit = session.scalar(select(Unit).where(Unit.code == code)) or Unit(code=code)
    clash = session.scalar(select(Unit).where(Unit.name == clean_name, Unit.code != code))
    if clash is not None:
        raise ValidationError.single("name", "单位名称", f"“{name}”已被单位 {clash.code} 使用")
    assert clean_name is not None  # required: a blank name was refused above
    unit.name, unit.kind, unit.parent = clean_name, UnitKind(kind), parent
    session.add(unit)
    session.flush()
    session.info.pop("office_units", None)  # lanes.office_units reads units once per session
    return unit


@dataclass
class UserData:
    """What it takes to create a user."""

    username: str
    display_name: str
    unit_code: str
    password: str
    roles: list[str] = field(default_factory=list)
    email: str | None = None
    phone: str | None = None


def create_user(session: Session, data: UserData, password_hash: str | None = None) -> User:
    """Create a user with an argon2 password hash; the password policy applies.

    ``password_hash`` lets a bulk load hash a shared password once (it must be of ``data.password``).
    """
    checks = Checks(USER_LABELS)
    if checks.required("username", data.username):
        checks.pattern("username", data.username, USERNAME, "2–64位字母、数字、._-")
    display_name = checks.text(
        "display_name", data.display_name, length_of(User.display_name), required=True
    )
    email = checks.text("email", data.email, length_of(User.email))
    phone = checks.text("phone", data.phone, length_of(User.phone))
    if phone is not None:
        checks.pattern("phone", phone, PHONE, "7–20位电话号码")
    if not data.roles:
        checks.fail("roles", "至少选择一个角色")
    for role in data.roles:
        checks.choice("roles", role, ROLES)
    try:
        # Checked here too: a bulk load hands a ready hash, and the policy still applies.
        check_password_policy(data.password)
    except ValidationError as exc:
        checks.errors.extend(exc.errors)
    checks.done()
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise ValidationError.single("username", "用户名", f"“{data.username}”已存在")
    unit = unit_by_code(session, data.unit_code)
    user = User(
        username=data.username,
        display_name=display_name,
        unit=unit,
        password_hash=password_hash or hash_password(data.password),
        email=email,
        phone=phone,
    )
    user.role_rows = [UserRole(role=r) for r in sorted(set(data.roles))]
    session.add(user)
    session.flush()
    return user


def set_roles(session: Session, user: User, roles: list[str]) -> None:
    """Replace a user's roles."""
    checks = Checks(USER_LABELS)
    if not roles:
        checks.fail("roles", "至少选择一个角色")
    for role in roles:
        checks.choice("roles", role, ROLES)
    checks.done()
    user.role_rows = [UserRole(role=r) for r in sorted(set(roles))]
    session.flush()


def set_password(session: Session, user: User, password: str) -> None:
    """Change a user's password (policy applies) and end every session signed in with the old one."""
    check_password_policy(password)
    user.password_hash = hash_password(password)
    end_sessions(user)
    session.flush()


def save_leader(
    session: Session,
    name: str,
    title: str | None = None,
    phone: str | None = None,
    username: str | None = None,
) -> Leader:
    """Create or update a county leader by name, optionally linked to a user account."""
    checks = Checks(
        {"name": "领导姓名", "title": "职务", "phone": "联系电话", "username": "用户名"}
    )
    clean_name = checks.text("name", name, length_of(Leader.name), required=True)
    title = checks.text("title", title, length_of(Leader.title))
    phone = checks.text("phone", phone, length_of(Leader.phone))
    if username:
        checks.pattern("username", username, USERNAME, "2–64位字母、数字、._-")
    checks.done()
    leader = session.scalar(select(Leader).where(Leader.name == clean_name)) or Leader(
        name=clean_name
    )
    leader.title, leader.phone = title, phone
    if username:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise ValidationError.single("username", "用户名", f"未知用户“{username}”")
        leader.user = user
    session.add(leader)
    session.flush()
    return leader


def add_liaison(
    session: Session,
    name: str,
    phone: str,
    unit_code: str | None = None,
    project_id: int | None = None,
    position: str | None = None,
    since: date | None = None,
) -> Liaison:
    """Register a liaison of a unit or of a project's construction unit (LP5, AL8)."""
    checks = Checks(LIAISON_LABELS)
    clean_name = checks.text("name", name, length_of(Liaison.name), required=True)
    if checks.required("phone", phone):
        checks.pattern("phone", phone.strip(), PHONE, "7–20位电话号码")
    position = checks.text("position", position, length_of(Liaison.position))
    checks.day("since", since, ADMIN_YEARS)
    if unit_code is None and project_id is None:
        checks.fail("unit_code", "请指定单位或项目")
    checks.done()
    unit = unit_by_code(session, unit_code) if unit_code else None
    liaison = Liaison(
        name=clean_name,
        phone=phone.strip(),
        unit=unit,
        project_id=project_id,
        position=position,
        since=since,
    )
    session.add(liaison)
    session.flush()
    return liaison


def liaison_list(session: Session) -> list[Liaison]:
    """The current liaisons, grouped by unit then project (the list the key office publishes)."""
    return list(
        session.scalars(
            select(Liaison)
            .where(Liaison.until.is_(None))
            .order_by(Liaison.unit_id, Liaison.project_id, Liaison.name)
        )
    )


def get_user(session: Session, user_id: int) -> User:
    """The user with ``user_id``."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"用户 {user_id} 不存在")
    return user
