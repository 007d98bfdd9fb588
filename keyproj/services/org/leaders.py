"""The county leaders' registry (DC1 分包领导, GS3 项目长, LP8 挂钩县领导), linked to accounts.

A leader linked to an account holding the 县领导 role sees the projects they lead or chair
(``access.project_scope``) and receives the LP8 copies of their projects' monthly reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import Role
from keyproj.db.models import Leader, Project, User
from keyproj.errors import ImportRowError, PermissionDenied, ValidationError
from keyproj.paging import Page, Paging, fetch_page
from keyproj.services.access import Viewer
from keyproj.services.org.directory import PHONE, save_leader
from keyproj.services.org.sheets import Column, read_rows
from keyproj.validation import Checks

COLUMNS = (
    Column("name", "姓名", required=True, example="王强"),
    Column("title", "职务", example="副县长"),
    Column("phone", "联系电话", example="13800000001"),
    Column("username", "用户名", example="wangqiang"),
)
LABELS = {c.field: c.header for c in COLUMNS}


@dataclass
class LeaderData:
    """A county leader as a form or a sheet row gives it."""

    name: str
    title: str | None = None
    phone: str | None = None
    username: str | None = None


@dataclass(frozen=True)
class LeaderRow:
    """One leader as the registry lists them: the account and how many projects they lead."""

    leader: Leader
    username: str | None
    projects: int


def require_registrar(viewer: Viewer) -> None:
    """Leaders and teams are kept by the key office (and administrators)."""
    if not viewer.has(Role.KEY_OFFICE, Role.ADMIN):
        raise PermissionDenied("只有重点办或系统管理员可以维护县领导名录和项目专班")


def register_leader(session: Session, viewer: Viewer, data: LeaderData) -> Leader:
    """Create or update a leader by name; a linked account must hold the 县领导 role."""
    require_registrar(viewer)
    checks = Checks(LABELS)
    if data.phone and data.phone.strip():
        checks.pattern("phone", data.phone.strip(), PHONE, "7–20位电话号码")
    checks.done()
    username = (data.username or "").strip() or None
    if username:
        _check_account(session, data.name.strip(), username)
    leader = save_leader(
        session, data.name, data.title, (data.phone or "").strip() or None, username
    )
    if not username:
        leader.user_id = None  # a cleared user name unlinks the account
        session.flush()
    return leader


def _check_account(session: Session, name: str, username: str) -> None:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise ValidationError.single("username", LABELS["username"], f"未知用户“{username}”")
    if Role.LEADER not in user.roles:
        raise ValidationError.single(
            "username",
            LABELS["username"],
            f"账号“{username}”没有“县领导”角色，关联后看不到所联系的项目",
        )
    other = session.scalar(select(Leader).where(Leader.user_id == user.id, Leader.name != name))
    if other is not None:
        raise ValidationError.single(
            "username", LABELS["username"], f"账号“{username}”已关联县领导{other.name}"
        )


def leader_rows(session: Session, paging: Paging) -> Page[LeaderRow]:
    """One page of the leaders, by name, with their account and project count."""
    page = fetch_page(session, select(Leader).order_by(Leader.name), paging)
    ids = [leader.id for leader in page.items]
    counts: dict[int, int] = {}
    for leader_id in session.scalars(select(Project.leader_id).where(Project.leader_id.in_(ids))):
        if leader_id is not None:
            counts[leader_id] = counts.get(leader_id, 0) + 1
    linked = [x.user_id for x in page.items if x.user_id]
    names = {
        uid: uname
        for uid, uname in session.execute(select(User.id, User.username).where(User.id.in_(linked)))
    }
    return page.map(lambda x: LeaderRow(x, names.get(x.user_id or 0), counts.get(x.id, 0)))


def import_leaders(session: Session, viewer: Viewer, data: bytes) -> int:
    """Register each row's leader; any bad row refuses the whole file (the caller rolls back)."""
    require_registrar(viewer)
    problems: list[tuple[int, str, str]] = []
    count = 0
    for number, row in read_rows(data, COLUMNS):
        try:
            register_leader(
                session,
                viewer,
                LeaderData(
                    row.get("name") or "", row.get("title"), row.get("phone"), row.get("username")
                ),
            )
            count += 1
        except ValidationError as exc:
            problems += [(number, LABELS.get(e.field, e.label), e.reason) for e in exc.errors]
    if problems:
        raise ImportRowError(problems)
    return count
