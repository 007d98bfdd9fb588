"""Recording a site visit (GS3 "1+3", DC2 on-site office): who went, in which role, when, and
what kind of visit it was."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.clock import beijing_date
from keyproj.codes import UNIT_STAFF_ROLES, Role, TeamRole
from keyproj.codes.sitework import VisitKind, VisitRole
from keyproj.db.base import length_of
from keyproj.db.models import Project, ProjectTeamMember, SiteVisit
from keyproj.errors import PermissionDenied
from keyproj.inputs import ADMIN_YEARS, LONG_TEXT
from keyproj.policy import PolicyProfile
from keyproj.policy.sitework import Visits
from keyproj.services.access import Viewer, visible_project
from keyproj.validation import Checks

LABELS = {
    "project_id": "项目",
    "role": "走访身份",
    "person": "走访人员",
    "visited_on": "走访日期",
    "kind": "走访方式",
    "notes": "现场情况",
}
# Where the team names the person of each role (GS3), besides the project's leader in charge.
TEAM_ROLE = {VisitRole.CHIEF: TeamRole.CHIEF, VisitRole.ASSISTANT: TeamRole.ASSISTANT}


@dataclass(frozen=True)
class VisitData:
    """A visit as entered; ``person`` blank takes the name the project's team gives the role."""

    project_id: int
    role: str
    visited_on: date | None
    kind: str
    person: str | None = None
    notes: str | None = None


def may_record(viewer: Viewer, project: Project) -> bool:
    """The key office, the project's lead unit, and the leaders of the project record visits."""
    if viewer.has(Role.KEY_OFFICE, Role.ADMIN):
        return True
    if viewer.has(*UNIT_STAFF_ROLES) and project.lead_unit_id == viewer.unit_id:
        return True
    return viewer.has(Role.LEADER) and viewer.leader_id is not None


def roles_of(rules: Visits | None) -> dict[str, str]:
    """The roles the county's regulation names (GS3: 项目长, 项目长助理; DC2: 分包领导,
    责任单位), in the code list's order; every role where it names none."""
    every = VisitRole.labels()
    return {c: label for c, label in every.items() if rules is None or c in rules.per_week}


def record_visit(
    session: Session, viewer: Viewer, profile: PolicyProfile, data: VisitData, now: datetime
) -> SiteVisit:
    """Record a visit to a project the viewer may see and write for, in a role the county's
    regulation names."""
    project = visible_project(session, viewer, data.project_id)
    if not may_record(viewer, project):
        raise PermissionDenied("只有重点办、项目牵头单位或项目分包领导可以登记现场走访")
    checks = Checks(LABELS)
    checks.choice("role", data.role, roles_of(profile.visits))
    checks.choice("kind", data.kind, VisitKind.labels())
    person = checks.text("person", data.person, length_of(SiteVisit.person))
    notes = checks.text("notes", data.notes, LONG_TEXT)
    if checks.required("visited_on", data.visited_on):
        checks.day("visited_on", data.visited_on, ADMIN_YEARS)
        if checks.ok("visited_on") and data.visited_on and data.visited_on > beijing_date(now):
            checks.fail("visited_on", "不能晚于今天")
    if checks.ok("role") and person is None:
        person = named(session, project, VisitRole(data.role))
        if person is None:
            checks.fail("person", "项目未明确该身份的人员，请填写走访人员姓名")
    checks.done()
    assert person is not None
    assert data.visited_on is not None
    visit = SiteVisit(
        project_id=project.id,
        role=VisitRole(data.role),
        person=person,
        visited_on=data.visited_on,
        kind=VisitKind(data.kind),
        notes=notes,
        recorded_by_id=viewer.user_id,
        recorded_at=now,
    )
    session.add(visit)
    session.flush()
    return visit


def named(session: Session, project: Project, role: VisitRole) -> str | None:
    """The person the project gives ``role``: its team's chief or assistant (GS3), else its
    leader in charge (the chief is the 分包县领导; DC2's leader); none for the unit (DC2)."""
    if role == VisitRole.UNIT:  # a unit's visit names whoever of the unit went
        return None
    team_role = TEAM_ROLE.get(role)
    if team_role is not None:
        name = session.scalar(
            select(ProjectTeamMember.name)
            .where(ProjectTeamMember.project_id == project.id, ProjectTeamMember.role == team_role)
            .order_by(ProjectTeamMember.id)
            .limit(1)
        )
        if name is not None or role == VisitRole.ASSISTANT:
            return name
    return project.leader.name if project.leader else None
