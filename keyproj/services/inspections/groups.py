"""The joint inspection groups (GS5: 县委组织部(第一组)…县百城提质办(第六组)) as the profile
names them, their members, and the projects each checks (分组方案由重点项目办提供)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import Role
from keyproj.db.models import InspectionAssignment, InspectionGroup, Project
from keyproj.errors import Conflict, NotFound
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, project_scope, require_role
from keyproj.validation import Checks

OFFICE = (Role.KEY_OFFICE, Role.ADMIN)
RECORDERS = (Role.KEY_OFFICE, Role.ADMIN, Role.SUPERVISION)
LABELS = {"members": "检查组成员", "project_codes": "检查项目"}
MEMBER_TEXT = 50


def set_up(session: Session, profile: PolicyProfile, viewer: Viewer) -> list[InspectionGroup]:
    """Create the profile's groups that do not exist yet (key office); returns them all."""
    require_role(viewer, *OFFICE)
    rules = profile.inspections
    if rules is None:
        raise Conflict("本地制度未设重点项目联合检查组")
    have = {g.number for g in session.scalars(select(InspectionGroup))}
    for number, unit_name in enumerate(rules.groups, start=1):
        if number not in have:
            session.add(InspectionGroup(number=number, unit_name=unit_name, members=[]))
    session.flush()
    return all_groups(session)


def all_groups(session: Session) -> list[InspectionGroup]:
    """Every group in its number's order."""
    return list(session.scalars(select(InspectionGroup).order_by(InspectionGroup.number)))


def group(session: Session, group_id: int) -> InspectionGroup:
    """One group; NotFound when there is none."""
    found = session.get(InspectionGroup, group_id)
    if found is None:
        raise NotFound(f"检查组 {group_id} 不存在")
    return found


def save_group(
    session: Session,
    viewer: Viewer,
    group_id: int,
    members: list[str],
    project_codes: list[str],
) -> InspectionGroup:
    """Set a group's members and projects (key office); a project is checked by one group."""
    require_role(viewer, *OFFICE)
    row = group(session, group_id)
    checks = Checks(LABELS)
    names = list(dict.fromkeys(m.strip() for m in members if m and m.strip()))
    if any(len(n) > MEMBER_TEXT for n in names):
        checks.fail("members", f"每位成员姓名不超过{MEMBER_TEXT}个字")
    projects = _projects(session, checks, row, project_codes)
    checks.done()
    row.members = names
    row.assignments = [InspectionAssignment(project_id=p.id) for p in projects]
    session.flush()
    return row


def projects_of(session: Session, viewer: Viewer, group_id: int) -> list[Project]:
    """The group's projects the viewer may see, in code order."""
    assigned = select(InspectionAssignment.project_id).where(
        InspectionAssignment.group_id == group_id
    )
    return list(
        session.scalars(
            select(Project)
            .where(Project.id.in_(assigned), project_scope(viewer))
            .order_by(Project.code)
        )
    )


def group_of_project(session: Session, project_id: int) -> InspectionGroup | None:
    """The group that checks a project, if any."""
    return session.scalar(
        select(InspectionGroup)
        .join(InspectionAssignment, InspectionAssignment.group_id == InspectionGroup.id)
        .where(InspectionAssignment.project_id == project_id)
    )


def _projects(
    session: Session, checks: Checks, row: InspectionGroup, codes: list[str]
) -> list[Project]:
    wanted = list(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    found = {p.code: p for p in session.scalars(select(Project).where(Project.code.in_(wanted)))}
    missing = [c for c in wanted if c not in found]
    if missing:
        checks.fail("project_codes", f"未知项目编号：{'、'.join(missing)}")
        return []
    taken = []
    for code in wanted:
        other = group_of_project(session, found[code].id)
        if other is not None and other.id != row.id:
            taken.append(f"{code}已分配给{other.label}")
    if taken:
        checks.fail("project_codes", "；".join(taken))
        return []
    return [found[c] for c in wanted]
