"""Creating and changing an industry chain (DC5): its name, chain chief (链长, a county leader),
plan, and four lists: key matters (each with owner unit and due date), parks, companies and
projects. A project belongs to at most one chain; its ledger column 产业链 names the chain."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, true, update
from sqlalchemy.orm import Session

from keyproj.clock import now_utc
from keyproj.codes import Role
from keyproj.codes.sitework import ChainListKind
from keyproj.db.base import length_of
from keyproj.db.models import ChainItem, IndustryChain, Leader, Project
from keyproj.errors import FieldError, NotFound, ValidationError
from keyproj.inputs import ADMIN_YEARS, DOCUMENT_TEXT
from keyproj.services.access import Viewer, require_role
from keyproj.services.org.directory import unit_by_code
from keyproj.validation import Checks

LABELS = {"name": "产业链名称", "chief_name": "链长", "plan": "产业链工作方案"}
LISTS = {
    "matters": "重点事项",
    "parks": "重点园区",
    "companies": "重点企业",
    "projects": "重点项目",
}
ITEM_TEXT = length_of(ChainItem.text)


@dataclass
class ChainData:
    """A chain as entered: ``matters`` rows hold text, owner_unit_code and due_on (YYYY-MM-DD);
    ``projects`` holds project codes."""

    name: str
    chief_name: str | None
    plan: str | None = None
    matters: list[dict[str, Any]] = field(default_factory=list)
    parks: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    projects: list[str] = field(default_factory=list)


def save_chain(
    session: Session, viewer: Viewer, chain_id: int | None, data: ChainData, now: datetime
) -> IndustryChain:
    """Create (``chain_id`` None) or replace a chain; the key office keeps the chains."""
    require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    chain = IndustryChain() if chain_id is None else _chain(session, chain_id)
    checks = Checks(LABELS)
    name = checks.text("name", data.name, length_of(IndustryChain.name), required=True)
    chief = checks.text("chief_name", data.chief_name, length_of(Leader.name), required=True)
    plan = checks.text("plan", data.plan, DOCUMENT_TEXT)
    checks.done()
    assert name is not None
    assert chief is not None
    problems: list[FieldError] = []
    leader = session.scalar(select(Leader).where(Leader.name == chief))
    if leader is None:
        problems.append(FieldError("chief_name", "链长", f"未登记的领导“{chief}”"))
    clash = session.scalar(
        select(IndustryChain.id).where(IndustryChain.name == name, IndustryChain.id != chain.id)
    )
    if clash is not None:
        problems.append(FieldError("name", "产业链名称", f"已有名为“{name}”的产业链"))
    items = _matters(session, data.matters, problems)
    items += _plain("parks", ChainListKind.PARK, data.parks, problems)
    items += _plain("companies", ChainListKind.COMPANY, data.companies, problems)
    projects = _projects(session, chain.id, data.projects, problems)
    if problems:
        raise ValidationError(problems)
    for position, item in enumerate(items, start=1):
        item.position = position
    chain.name, chain.plan, chain.updated_at = name, plan, now
    chain.chief_id = leader.id if leader is not None else None
    chain.items = items
    if chain_id is None:
        session.add(chain)
    session.flush()
    _set_members(session, chain, [p.id for p in projects])
    return chain


def _chain(session: Session, chain_id: int) -> IndustryChain:
    chain = session.get(IndustryChain, chain_id)
    if chain is None:
        raise NotFound(f"产业链 {chain_id} 不存在")
    return chain


def _cell(name: str, index: int, column: str, title: str, reason: str) -> FieldError:
    return FieldError(f"{name}[{index}].{column}", f"{LISTS[name]}第{index + 1}项·{title}", reason)


def _matters(
    session: Session, rows: list[dict[str, Any]], problems: list[FieldError]
) -> list[ChainItem]:
    """The key matters: each needs its text, owner unit and due date."""
    items = []
    for index, row in enumerate(rows):
        text = str(row.get("text") or "").strip()
        if not text or len(text) > ITEM_TEXT:
            reason = "必填" if not text else f"不能超过{ITEM_TEXT}个字"
            problems.append(_cell("matters", index, "text", "事项内容", reason))
        unit = None
        code = str(row.get("owner_unit_code") or "").strip()
        try:
            unit = unit_by_code(session, code, f"matters[{index}].owner_unit_code")
        except ValidationError as refused:
            reason = refused.errors[0].reason if code else "必填"
            problems.append(_cell("matters", index, "owner_unit_code", "责任单位", reason))
        due = _due(row.get("due_on"))
        if due is None:
            reason = "请填写 YYYY-MM-DD 格式的日期"
            problems.append(_cell("matters", index, "due_on", "完成时限", reason))
        if text and unit is not None and due is not None:
            items.append(
                ChainItem(kind=ChainListKind.MATTER, text=text, owner_unit_id=unit.id, due_on=due)
            )
    return items


def _due(value: Any) -> date | None:
    """A due date from a date or its ISO text, within the administrative years."""
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value or "").strip())
        except ValueError:
            return None
    return day if ADMIN_YEARS.first <= day.year <= ADMIN_YEARS.last else None


def _plain(
    name: str, kind: ChainListKind, texts: list[str], problems: list[FieldError]
) -> list[ChainItem]:
    """A list of names (parks, companies)."""
    items = []
    for index, raw in enumerate(texts):
        text = str(raw or "").strip()
        if not text or len(text) > ITEM_TEXT:
            reason = "必填" if not text else f"不能超过{ITEM_TEXT}个字"
            problems.append(_cell(name, index, "text", "名称", reason))
            continue
        items.append(ChainItem(kind=kind, text=text))
    return items


def _projects(
    session: Session, chain_id: int | None, codes: list[str], problems: list[FieldError]
) -> list[Project]:
    """The projects named by code; one already in another chain is refused (one chain each)."""
    found = []
    for index, raw in enumerate(codes):
        code = str(raw or "").strip()
        project = session.scalar(select(Project).where(Project.code == code)) if code else None
        if project is None:
            reason = f"项目代码 {code} 不存在" if code else "必填"
            problems.append(_cell("projects", index, "code", "项目代码", reason))
        elif project.chain_id is not None and project.chain_id != chain_id:
            other = session.get_one(IndustryChain, project.chain_id).name
            reason = f"该项目已属于产业链“{other}”，一个项目只能属于一条产业链"
            problems.append(_cell("projects", index, "code", "项目代码", reason))
        elif project not in found:
            found.append(project)
    return found


def _set_members(session: Session, chain: IndustryChain, project_ids: list[int]) -> None:
    """The chain's projects are exactly ``project_ids``; the ledger column follows the chain."""
    session.execute(
        update(Project)
        .where(Project.chain_id == chain.id, Project.id.not_in(project_ids or [0]))
        .values(chain_id=None, industry_chain=None)
    )
    if project_ids:
        session.execute(
            update(Project)
            .where(Project.id.in_(project_ids))
            .values(chain_id=chain.id, industry_chain=chain.name)
        )
    session.expire_all()


def link_by_name(session: Session, project_ids: list[int] | None = None) -> None:
    """Point each project (of ``project_ids``, else all) at the chain its 产业链 column names
    (the ledger import and the project services write the name); a name no chain has yet
    becomes a chain whose chief is to be named, a blank name leaves the project in none."""
    scope = Project.id.in_(project_ids) if project_ids is not None else true()
    named = session.scalars(
        select(Project.industry_chain).where(scope, Project.industry_chain.is_not(None)).distinct()
    )
    known = set(session.scalars(select(IndustryChain.name)))
    for name in sorted({n for n in named if n} - known):
        session.add(IndustryChain(name=name, updated_at=now_utc()))
    session.flush()
    chain_of = (
        select(IndustryChain.id)
        .where(IndustryChain.name == Project.industry_chain)
        .scalar_subquery()
    )
    session.execute(
        # Only the projects whose chain changes: the others keep their updated_at.
        update(Project)
        .where(scope, Project.chain_id.is_distinct_from(chain_of))
        .values(chain_id=chain_of),
        execution_options={"synchronize_session": False},
    )
    for held in list(session.identity_map.values()):
        if isinstance(held, Project):
            session.expire(held, ["chain_id"])
