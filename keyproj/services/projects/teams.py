"""Project teams: which roles a county names comes from its profile (GS3 "1+3", DC1 site sign).

Teams are assigned by the county (the leader in charge and the people around them), so they
are kept by the key office and administrators, not by the units: neither GS3 nor DC1 has a
unit report its team. The chief (项目长 / 分包领导) is a registered county leader and becomes
the project's linked leader, whose account then sees the project and its LP8 copies.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import TeamRole
from keyproj.db.base import length_of
from keyproj.db.models import Leader, Project, ProjectTeamMember
from keyproj.errors import ImportRowError, ValidationError
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer
from keyproj.services.org.directory import PHONE
from keyproj.services.org.leaders import require_registrar
from keyproj.services.org.sheets import Column, read_rows
from keyproj.services.projects.project import project_by_code
from keyproj.validation import Checks

COLUMNS = (
    Column("project_code", "项目代码", required=True, example="2026-441623-48-01-000001"),
    Column("role", "职责", required=True, example="项目长（分包县领导）"),
    Column("name", "姓名", required=True, example="王强"),
    Column("position", "职务", example="副县长"),
    Column("org_name", "单位", example="县交通运输局"),
    Column("phone", "联系电话", example="13800000001"),
)
LABELS = {c.field: c.header for c in COLUMNS}
# How DC1's site sign words the roles (the seed's own terms, where they differ from GS3's).
SIGN_LABELS = {
    TeamRole.CHIEF: "项目分包领导",
    TeamRole.RESPONSIBLE: "责任单位责任人",
    TeamRole.DISCIPLINE_INSPECTOR: "派驻专职纪检监察员",
}

# Other names a sheet may use for a role.
ALIASES = {
    "分包领导": TeamRole.CHIEF,
    "分包县领导": TeamRole.CHIEF,
    "驻场纪检": TeamRole.DISCIPLINE_INSPECTOR,
    "帮办人": TeamRole.HELPER,
    "助理": TeamRole.ASSISTANT,
}


@dataclass
class MemberData:
    """One team member as a form or a sheet row gives them."""

    role: str
    name: str
    position: str | None = None
    org_name: str | None = None
    phone: str | None = None


# A member's fields after the role, in MemberData's order (the team page's inputs).
FORM_FIELDS = ("name", "position", "org_name", "phone")


def team_roles(profile: PolicyProfile) -> list[TeamRole]:
    """The roles the county's regulation names, in its order (``team.roles`` cites the clause)."""
    return [TeamRole(r) for r in profile.team.roles]


def role_of(text: str | None) -> TeamRole | None:
    """A role from its code or its label (项目长（分包县领导） or 项目长), or DC1's wording."""
    text = (text or "").strip()
    if text in ALIASES:
        return ALIASES[text]
    for role in TeamRole:
        short = role.label.split("（")[0]
        if text in (role.value, role.label, short, SIGN_LABELS.get(role)):
            return role
    return None


def save_team(
    session: Session,
    viewer: Viewer,
    project: Project,
    members: list[MemberData],
    profile: PolicyProfile,
) -> None:
    """Replace a project's team; roles outside the profile and unknown chiefs are refused."""
    require_registrar(viewer)
    rows = [_checked(session, m, index, profile) for index, m in enumerate(members, start=1)]
    chiefs = [leader for _, leader in rows if leader is not None]
    if len(chiefs) > 1:
        raise ValidationError.single("role", "职责", "每个项目只有一名项目长（分包县领导）")
    project.team = [member for member, _ in rows]
    if chiefs:
        project.leader = chiefs[0]  # LP8's linked leader is the team's chief
    session.flush()


def _checked(
    session: Session, member: MemberData, index: int, profile: PolicyProfile
) -> tuple[ProjectTeamMember, Leader | None]:
    checks = Checks({k: f"第{index}人{v}" for k, v in LABELS.items()})
    role = role_of(member.role)
    if role is None:
        checks.fail("role", f"“{member.role}”不是项目专班职责")
    elif role not in team_roles(profile):
        allowed = "、".join(r.label for r in team_roles(profile)) or "无"
        checks.fail("role", f"本县规章未设“{role.label}”（可设：{allowed}）")
    name = checks.text("name", member.name, length_of(ProjectTeamMember.name), required=True)
    position = checks.text("position", member.position, length_of(ProjectTeamMember.position))
    org = checks.text("org_name", member.org_name, length_of(ProjectTeamMember.org_name))
    phone = checks.text("phone", member.phone, length_of(ProjectTeamMember.phone))
    if phone is not None:
        checks.pattern("phone", phone, PHONE, "7–20位电话号码")
    checks.done()
    assert role is not None  # refused above
    assert name is not None
    leader = None
    if role == TeamRole.CHIEF:
        leader = session.scalar(select(Leader).where(Leader.name == name))
        if leader is None:
            raise ValidationError.single(
                "name", f"第{index}人姓名", f"“{name}”不在县领导名录中，请先登记"
            )
    row = ProjectTeamMember(
        role=role,
        name=name,
        position=position or (leader.title if leader else None),
        org_name=org,
        phone=phone or (leader.phone if leader else None),
        leader_id=leader.id if leader else None,
    )
    return row, leader


def import_teams(session: Session, viewer: Viewer, data: bytes, profile: PolicyProfile) -> int:
    """Replace the team of every project in the file; any bad row refuses the whole file."""
    require_registrar(viewer)
    problems: list[tuple[int, str, str]] = []
    by_project: dict[str, list[tuple[int, MemberData]]] = {}
    for number, row in read_rows(data, COLUMNS):
        code = row.get("project_code") or ""
        by_project.setdefault(code, []).append(
            (
                number,
                MemberData(
                    row.get("role") or "",
                    row.get("name") or "",
                    row.get("position"),
                    row.get("org_name"),
                    row.get("phone"),
                ),
            )
        )
    for code, rows in by_project.items():
        project = project_by_code(session, code) if code else None
        if project is None:
            problems += [(n, LABELS["project_code"], f"未找到项目“{code}”") for n, _ in rows]
            continue
        for number, member in rows:  # each row checked alone, so errors name their row
            try:
                _checked(session, member, 1, profile)
            except ValidationError as exc:
                problems += [(number, LABELS[e.field], e.reason) for e in exc.errors]
        if not problems:
            try:
                save_team(session, viewer, project, [m for _, m in rows], profile)
            except ValidationError as exc:
                problems += [(rows[0][0], LABELS[e.field], e.reason) for e in exc.errors]
    if problems:
        raise ImportRowError(problems)
    return sum(len(rows) for rows in by_project.values())
