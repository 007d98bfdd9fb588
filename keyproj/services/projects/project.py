"""Projects: create, edit, list within the viewer's scope; 项目代码 is unique and validated."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from keyproj.codes import PROJECT_LEVELS, PROJECT_NATURES, PROJECT_STAGES, TEAM_ROLES
from keyproj.db.models import Leader, Project, ProjectTeamMember
from keyproj.errors import ValidationError
from keyproj.services.access import Viewer, project_scope
from keyproj.services.org.directory import unit_by_code
from keyproj.validation import Checks

# 全国投资项目在线审批监管平台 code: year-division(6)-industry(2)-type(2)-serial(6).
PROJECT_CODE = re.compile(r"(19|20)\d{2}-\d{6}-\d{2}-\d{2}-\d{6}")
LABELS = {
    "code": "项目代码",
    "name": "项目名称",
    "level": "项目级别",
    "nature": "建设性质",
    "stage": "项目阶段",
    "total_investment": "总投资（万元）",
    "central_funds": "使用中央资金",
    "government_invested": "政府投资",
    "lead_unit_code": "牵头责任单位",
    "construction_unit": "建设单位",
    "leader_name": "联系领导",
    "location": "建设地点",
    "industry_chain": "产业链",
    "approved_on": "批准（计划下达）日期",
    "planned_start": "计划开工日期",
    "planned_completion": "计划竣工日期",
    "description": "建设内容",
}


@dataclass
class ProjectData:
    """The editable facts of a project."""

    code: str
    name: str
    level: str
    nature: str
    total_investment: Decimal
    lead_unit_code: str
    stage: str = "preparation"
    central_funds: bool = False
    government_invested: bool = True
    construction_unit: str | None = None
    leader_name: str | None = None
    location: str | None = None
    industry_chain: str | None = None
    approved_on: date | None = None
    planned_start: date | None = None
    planned_completion: date | None = None
    description: str | None = None


_OWN_COLUMNS = tuple(
    f.name for f in fields(ProjectData) if f.name not in ("code", "lead_unit_code", "leader_name")
)


def check_project_data(data: ProjectData) -> None:
    """Field checks that need no database."""
    checks = Checks(LABELS)
    if checks.required("code", data.code):
        checks.pattern(
            "code", data.code.strip(), PROJECT_CODE, "全国投资项目代码，如 2026-441623-48-01-012345"
        )
    checks.required("name", data.name)
    checks.max_length("name", data.name, 200)
    checks.choice("level", data.level, PROJECT_LEVELS)
    checks.choice("nature", data.nature, PROJECT_NATURES)
    checks.choice("stage", data.stage, PROJECT_STAGES)
    if checks.required("total_investment", data.total_investment):
        checks.amount("total_investment", data.total_investment)
    checks.required("lead_unit_code", data.lead_unit_code)
    if (
        data.planned_start
        and data.planned_completion
        and data.planned_completion < data.planned_start
    ):
        checks.fail("planned_completion", "计划竣工日期不能早于计划开工日期")
    checks.done()


def create_project(session: Session, data: ProjectData) -> Project:
    """Create a project; a duplicate 项目代码 is refused."""
    check_project_data(data)
    code = data.code.strip()
    if session.scalar(select(Project.id).where(Project.code == code)) is not None:
        raise ValidationError.single("code", "项目代码", f"项目代码 {code} 已存在")
    project = Project(code=code)
    _apply(session, project, data)
    session.add(project)
    session.flush()
    return project


def update_project(session: Session, project: Project, data: ProjectData) -> Project:
    """Change a project's facts; the code may change only to one not in use."""
    check_project_data(data)
    code = data.code.strip()
    clash = session.scalar(select(Project.id).where(Project.code == code, Project.id != project.id))
    if clash is not None:
        raise ValidationError.single("code", "项目代码", f"项目代码 {code} 已被其他项目使用")
    project.code = code
    _apply(session, project, data)
    session.flush()
    return project


def project_columns(data: ProjectData) -> dict[str, Any]:
    """The project's own columns from ``data``, text stripped (the unit and leader are looked up)."""
    values: dict[str, Any] = {"code": data.code.strip()}
    for name in _OWN_COLUMNS:
        value = getattr(data, name)
        values[name] = value.strip() if isinstance(value, str) else value
    return values


def _apply(session: Session, project: Project, data: ProjectData) -> None:
    project.lead_unit = unit_by_code(session, data.lead_unit_code, "lead_unit_code")
    project.leader = _leader(session, data.leader_name)
    for name, value in project_columns(data).items():
        if name != "code":
            setattr(project, name, value)


def _leader(session: Session, name: str | None) -> Leader | None:
    if not name or not name.strip():
        return None
    leader = session.scalar(select(Leader).where(Leader.name == name.strip()))
    if leader is None:
        raise ValidationError.single("leader_name", "联系领导", f"未登记的领导“{name}”")
    return leader


def project_data(project: Project) -> ProjectData:
    """The editable facts of a stored project (for forms and exports)."""
    values = {f.name: getattr(project, f.name, None) for f in fields(ProjectData)}
    values["lead_unit_code"] = project.lead_unit.code
    values["leader_name"] = project.leader.name if project.leader else None
    return ProjectData(**values)  # type: ignore[arg-type]


def project_by_code(session: Session, code: str) -> Project | None:
    """The project with 项目代码 ``code``, if any."""
    return session.scalar(select(Project).where(Project.code == code.strip()))


def list_projects(
    session: Session,
    viewer: Viewer,
    unit_id: int | None = None,
    level: str | None = None,
    search: str | None = None,
) -> list[Project]:
    """Projects the viewer may see, filtered, ordered by code."""
    query = (
        select(Project)
        .where(project_scope(viewer))
        .options(joinedload(Project.lead_unit), joinedload(Project.leader))
        .order_by(Project.code)
    )
    if unit_id is not None:
        query = query.where(Project.lead_unit_id == unit_id)
    if level:
        query = query.where(Project.level == level)
    if search:
        query = query.where(
            Project.name.contains(search.strip()) | (Project.code == search.strip())
        )
    return list(session.scalars(query).unique())


@dataclass
class TeamMemberData:
    """One team member (GS3 "1+3", DC1 site sign)."""

    role: str
    name: str
    phone: str | None = None
    unit_code: str | None = None
    leader_name: str | None = None


def set_team(session: Session, project: Project, members: list[TeamMemberData]) -> None:
    """Replace a project's team."""
    checks = Checks({"role": "职责", "name": "姓名"})
    for member in members:
        checks.choice("role", member.role, TEAM_ROLES)
        checks.required("name", member.name)
    checks.done()
    project.team = [
        ProjectTeamMember(
            role=m.role,
            name=m.name.strip(),
            phone=m.phone,
            unit_id=unit_by_code(session, m.unit_code).id if m.unit_code else None,
            leader_id=_leader(session, m.leader_name).id if m.leader_name else None,  # type: ignore[union-attr]
        )
        for m in members
    ]
    session.flush()
