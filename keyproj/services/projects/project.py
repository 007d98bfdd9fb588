"""Projects: create, edit, list within the viewer's scope; 项目代码 is unique and validated."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from keyproj.codes import PROJECT_LEVELS, PROJECT_NATURES, PROJECT_STAGES, TEAM_ROLES
from keyproj.db.base import length_of
from keyproj.db.models import Leader, Project, ProjectTeamMember, Unit
from keyproj.errors import ValidationError
from keyproj.inputs import KEYWORD_TEXT, LONG_TEXT, WORKS_YEARS, BadInput, clean_text
from keyproj.paging import Page, Paging, fetch_page
from keyproj.rules.base import BUILDING_STAGES
from keyproj.services.access import Viewer, project_scope
from keyproj.services.chains.editing import link_by_name
from keyproj.services.org.directory import unit_by_code
from keyproj.validation import Checks

# 全国投资项目在线审批监管平台 code: year-division(6)-industry(2)-type(2)-serial(6), ASCII digits.
PROJECT_CODE = re.compile(r"(19|20)[0-9]{2}-[0-9]{6}-[0-9]{2}-[0-9]{2}-[0-9]{6}")
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
# Each text field's maximum length: the column's where it declares one.
LIMITS = {
    "code": length_of(Project.code),
    "name": length_of(Project.name),
    # A unit's code here, but its name in a ledger row until the import resolves it.
    "lead_unit_code": length_of(Unit.name),
    "construction_unit": length_of(Project.construction_unit),
    "leader_name": length_of(Leader.name),
    "location": length_of(Project.location),
    "industry_chain": length_of(Project.industry_chain),
    "description": LONG_TEXT,
}
_REQUIRED_TEXT = frozenset({"code", "name", "lead_unit_code"})
DATES = ("approved_on", "planned_start", "planned_completion")
TEAM_LIMITS = {
    "name": length_of(ProjectTeamMember.name),
    "phone": length_of(ProjectTeamMember.phone),
    "unit_code": length_of(Unit.code),
    "leader_name": length_of(Leader.name),
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


def check_project_data(
    data: ProjectData, today: date | None = None, stored_completion: date | None = None
) -> ProjectData:
    """Field checks that need no database; the data to store (text normalised) when they pass.

    With ``today``, a planned completion date before it is refused unless it is the one stored
    or the stage shows the works begun or done: nobody plans to finish yesterday, but a project
    already building past its date is a fact the completion_overdue rule warns about (LP7).
    """
    checks = Checks(LABELS)
    texts: dict[str, Any] = {
        name: checks.text(name, getattr(data, name), limit, required=name in _REQUIRED_TEXT)
        for name, limit in LIMITS.items()
    }
    if texts["code"] is not None:
        checks.pattern(
            "code",
            texts["code"],
            PROJECT_CODE,
            "全国投资项目代码（半角数字），如 2026-441623-48-01-012345",
        )
    checks.choice("level", data.level, PROJECT_LEVELS)
    checks.choice("nature", data.nature, PROJECT_NATURES)
    checks.choice("stage", data.stage, PROJECT_STAGES)
    if checks.required("total_investment", data.total_investment):
        checks.amount("total_investment", data.total_investment)
    for name in DATES:
        checks.day(name, getattr(data, name), WORKS_YEARS)
    if (
        checks.ok("planned_completion")
        and data.planned_start
        and data.planned_completion
        and data.planned_completion < data.planned_start
    ):
        checks.fail("planned_completion", "计划竣工日期不能早于计划开工日期")
    completion = data.planned_completion
    if (
        today is not None
        and checks.ok("planned_completion")
        and completion is not None
        and completion < today
        and completion != stored_completion
        and not _works_begun(data.stage)
    ):
        checks.fail("planned_completion", f"计划竣工日期 {completion} 已过（今天是 {today}）")
    checks.done()
    return replace(data, **texts)


def _works_begun(stage: str) -> bool:
    """Whether ``stage`` says the works have begun or ended (a county taking in its ledger)."""
    return stage in {s.value for s in BUILDING_STAGES}


def create_project(session: Session, data: ProjectData, today: date | None = None) -> Project:
    """Create a project; a duplicate 项目代码, or with ``today`` a past completion date, is refused."""
    data = check_project_data(data, today)
    code = data.code
    if session.scalar(select(Project.id).where(Project.code == code)) is not None:
        raise ValidationError.single("code", "项目代码", f"项目代码 {code} 已存在")
    project = Project(code=code)
    _apply(session, project, data)
    session.add(project)
    session.flush()
    link_by_name(session, [project.id])
    return project


def update_project(
    session: Session, project: Project, data: ProjectData, today: date | None = None
) -> Project:
    """Change a project's facts; the code may change only to one not in use, the completion date
    (with ``today``) not to a day already past."""
    data = check_project_data(data, today, project.planned_completion)
    code = data.code
    clash = session.scalar(select(Project.id).where(Project.code == code, Project.id != project.id))
    if clash is not None:
        raise ValidationError.single("code", "项目代码", f"项目代码 {code} 已被其他项目使用")
    project.code = code
    _apply(session, project, data)
    session.flush()
    link_by_name(session, [project.id])
    return project


def project_columns(data: ProjectData) -> dict[str, Any]:
    """The project's own columns from checked ``data`` (the unit and leader are looked up)."""
    return {"code": data.code} | {name: getattr(data, name) for name in _OWN_COLUMNS}


def _apply(session: Session, project: Project, data: ProjectData) -> None:
    project.lead_unit = unit_by_code(session, data.lead_unit_code, "lead_unit_code")
    project.leader = _leader(session, data.leader_name)
    for name, value in project_columns(data).items():
        if name != "code":
            setattr(project, name, value)


def _leader(session: Session, name: str | None) -> Leader | None:
    """The registered leader called ``name`` (checked as text before it is looked up)."""
    checks = Checks({"leader_name": "联系领导"})
    name = checks.text("leader_name", name, LIMITS["leader_name"])
    checks.done()
    if name is None:
        return None
    leader = session.scalar(select(Leader).where(Leader.name == name))
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
    """The project with 项目代码 ``code``, if any (text no project code could be finds none)."""
    try:
        cleaned = clean_text(code, LIMITS["code"])
    except BadInput:
        return None
    if cleaned is None:
        return None
    return session.scalar(select(Project).where(Project.code == cleaned))


def search_keyword(value: str | None, field: str = "q") -> str | None:
    """A search box's keyword: clean text of at most KEYWORD_TEXT characters, None when blank."""
    checks = Checks({field: "关键词"})
    keyword = checks.text(field, value, KEYWORD_TEXT)
    checks.done()
    return keyword


def list_projects(
    session: Session,
    viewer: Viewer,
    unit_id: int | None = None,
    level: str | None = None,
    search: str | None = None,
) -> list[Project]:
    """Projects the viewer may see, filtered, ordered by code."""
    return list(session.scalars(projects_query(viewer, unit_id, level, search)))


def project_page(
    session: Session,
    viewer: Viewer,
    paging: Paging,
    unit_id: int | None = None,
    level: str | None = None,
    search: str | None = None,
) -> Page[Project]:
    """One page of the projects ``list_projects`` lists, and their total."""
    return fetch_page(session, projects_query(viewer, unit_id, level, search), paging)


def projects_query(
    viewer: Viewer, unit_id: int | None, level: str | None, search: str | None
) -> Select[Project]:
    """The projects the viewer may see under the filters, ordered by code (with unit and leader)."""
    if level and level not in PROJECT_LEVELS:
        raise ValidationError.single("level", "项目级别", f"取值“{level}”无效")
    search = search_keyword(search)
    # Only many-to-one relations are joined, so each project stays one row (no unique()).
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
            Project.name.contains(search, autoescape=True) | (Project.code == search)
        )
    return query


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
    checks = Checks({"role": "职责", "name": "姓名", "phone": "联系电话", "unit_code": "单位"})
    cleaned = []
    for member in members:
        checks.choice("role", member.role, TEAM_ROLES)
        texts: dict[str, Any] = {
            name: checks.text(name, getattr(member, name), limit, required=name == "name")
            for name, limit in TEAM_LIMITS.items()
        }
        cleaned.append(replace(member, **texts))
    checks.done()
    team = []
    for m in cleaned:
        leader = _leader(session, m.leader_name)
        team.append(
            ProjectTeamMember(
                role=m.role,
                name=m.name,
                phone=m.phone,
                unit_id=unit_by_code(session, m.unit_code).id if m.unit_code else None,
                leader_id=leader.id if leader else None,
            )
        )
    project.team = team
    session.flush()
