"""Data scope: which projects a user may see (units see theirs, leaders theirs, offices all)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from keyproj.codes import COUNTY_WIDE_ROLES, UNIT_STAFF_ROLES, Role
from keyproj.db.models import Case, CaseUnit, EarlyWarning, Leader, Project, ProjectTeamMember, User
from keyproj.errors import NotFound, PermissionDenied


@dataclass(frozen=True)
class Viewer:
    """Who is asking: the user, their unit, roles and (for leaders) their leader record."""

    user_id: int
    unit_id: int
    roles: frozenset[str]
    leader_id: int | None = None

    @property
    def county_wide(self) -> bool:
        """True for the offices, auditors and administrators, who see every project."""
        return bool(self.roles & COUNTY_WIDE_ROLES)

    def has(self, *roles: str) -> bool:
        """True when the viewer holds any of ``roles``."""
        return bool(self.roles.intersection(roles))


def viewer_for(session: Session, user: User) -> Viewer:
    """The Viewer of a stored user."""
    leader_id = session.scalar(select(Leader.id).where(Leader.user_id == user.id))
    return Viewer(user.id, user.unit_id, user.roles, leader_id)


def project_scope(viewer: Viewer) -> ColumnElement[bool]:
    """A WHERE clause limiting projects to those the viewer may see."""
    if viewer.county_wide:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if viewer.has(*UNIT_STAFF_ROLES):
        clauses.append(Project.lead_unit_id == viewer.unit_id)
    if viewer.has(Role.LEADER) and viewer.leader_id is not None:
        clauses.append(Project.leader_id == viewer.leader_id)
        clauses.append(
            Project.id.in_(
                select(ProjectTeamMember.project_id).where(
                    ProjectTeamMember.leader_id == viewer.leader_id
                )
            )
        )
    return or_(*clauses) if clauses else false()


def case_scope(viewer: Viewer) -> ColumnElement[bool]:
    """Cases the viewer may see, as a WHERE clause: the offices all, units the cases they answer
    for (lead or phase unit), leaders their projects' cases (the rule of ``cases.case_visible``)."""
    if viewer.county_wide:
        return true()
    clauses: list[ColumnElement[bool]] = []
    if viewer.has(*UNIT_STAFF_ROLES):
        responsible = select(CaseUnit.case_id).where(CaseUnit.unit_id == viewer.unit_id)
        clauses.append(Case.id.in_(responsible))
    if viewer.leader_id is not None:
        led = (
            select(EarlyWarning.id)
            .join(Project, Project.id == EarlyWarning.project_id)
            .where(Project.leader_id == viewer.leader_id)
        )
        clauses.append(Case.warning_id.in_(led))
    return or_(*clauses) if clauses else false()


def visible_project(session: Session, viewer: Viewer, project_id: int) -> Project:
    """The project if it exists and the viewer may see it; NotFound otherwise (no existence leak)."""
    project = session.scalar(select(Project).where(Project.id == project_id, project_scope(viewer)))
    if project is None:
        raise NotFound(f"项目 {project_id} 不存在或无权查看")
    return project


def require_role(viewer: Viewer, *roles: str) -> None:
    """PermissionDenied unless the viewer holds one of ``roles``."""
    if not viewer.has(*roles):
        raise PermissionDenied("当前账号没有执行此操作的权限")


def require_project_writer(viewer: Viewer, project: Project) -> None:
    """Only the lead unit's liaison or head, or the key office, may write a project's data."""
    if viewer.has(Role.KEY_OFFICE, Role.ADMIN):
        return
    if viewer.has(*UNIT_STAFF_ROLES) and project.lead_unit_id == viewer.unit_id:
        return
    raise PermissionDenied("只有项目牵头责任单位或重点办可以填报该项目")
