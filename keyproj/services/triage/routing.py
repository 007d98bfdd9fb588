"""Who coordinates a matter (LP14–16): the profile's routing table applied to a project.

The table gives the handling level (town / county department / county government); the unit
proposed is the project's lead unit when it is of that kind, else a unit of that kind in the
project's team, and for the county government its office (县府办, LP16: 报告县府办); failing
those, the lead unit, for the key office to decide.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import IssueCategory, ProjectLevel, UnitKind
from keyproj.db.models import Project, ProjectIssue, ProjectTeamMember, Unit
from keyproj.errors import ValidationError
from keyproj.policy import PolicyProfile
from keyproj.policy.routing import HANDLING_LABELS, HandlingLevel
from keyproj.rules.base import among, chunks

# The unit kind that coordinates at each handling level.
LEVEL_UNIT_KIND: dict[str, UnitKind] = {
    "town": UnitKind.TOWN,
    "county_department": UnitKind.COUNTY_DEPARTMENT,
    "county_government": UnitKind.COUNTY_GOV_OFFICE,
}
REASON_FIELD = "routing_reason"
LOCAL = "本地取值："  # how the loader marks a local choice in a citation
# session.info: the team units (project -> [(unit, kind)] by unit id) a batch of proposals
# read at once, and the county government office once asked for (``teams_known``).
_TEAMS = "keyproj.routing_teams"


@dataclass(frozen=True)
class Routing:
    """The proposed handling level and unit of a matter, the row's clause (empty for a local
    row) and why in words."""

    level: HandlingLevel
    unit_id: int
    clause: str
    why: str


def route(
    session: Session, profile: PolicyProfile, project: Project, issue_category: str | None
) -> Routing:
    """The handling level and unit the profile's table gives a matter of ``project`` (LP14–16)."""
    kind = UnitKind(project.lead_unit.kind)
    name, row = profile.routing.first_match(str(project.level), str(kind), issue_category)
    clause, _, note = profile.cite(f"routing.rows.{name}").partition(" / ")
    if clause.startswith(LOCAL):  # a local row cites no clause, only its reason
        clause, note = "", clause
    note = note.removeprefix(LOCAL)
    unit_id = _unit_for(session, project, row.handling)
    why = (
        f"{ProjectLevel.label_of(project.level)}、牵头单位为{kind.label}"
        f"{'、问题类别为' + IssueCategory.label_of(issue_category) if issue_category else ''}"
        f"：{HANDLING_LABELS[row.handling]}{'（' + note + '）' if note else ''}"
    )
    if unit_id is None:  # no such unit registered: the lead unit, and the office decides
        unit_id = project.lead_unit_id
        why += "；项目未登记该层级的单位，暂以项目牵头单位为牵头责任单位，请研判指定"
    return Routing(row.handling, unit_id, clause, why)


def issue_category_of(session: Session, evidences: list[dict[str, Any]]) -> str | None:
    """The ledger category of the first issue the warnings are about (LP7), if any."""
    for evidence in evidences:
        issue_id = evidence.get("issue_id")
        if isinstance(issue_id, int):
            issue = session.get(ProjectIssue, issue_id)  # a batch may have read it already
            if issue is not None:
                return str(issue.category)
    return None


def check_override(proposal: dict[str, Any], form: dict[str, Any]) -> None:
    """A choice other than the proposed level or unit needs the key office's reason (LP13 研判);
    a matter without a proposal (the portfolio's) needs none."""
    if not proposal:
        return
    changed = form.get("routing") != proposal.get("routing_proposed") or form.get(
        "lead_unit_code"
    ) != proposal.get("routing_unit_proposed")
    if changed and not str(form.get(REASON_FIELD) or "").strip():
        raise ValidationError.single(
            REASON_FIELD, "改变协调层级的理由", "与建议的协调层级或牵头责任单位不同，须写明理由"
        )


@contextmanager
def teams_known(session: Session, project_ids: Sequence[int]) -> Iterator[None]:
    """Within the block, the routing of these projects reads their team units and the county
    government office from two queries read at the start, not from a query a matter."""
    wanted = sorted(set(project_ids))
    if not wanted or _TEAMS in session.info:
        yield
        return
    teams: dict[int, list[tuple[int, str]]] = {p: [] for p in wanted}
    for part in chunks(wanted):
        rows = session.execute(
            select(ProjectTeamMember.project_id, Unit.id, Unit.kind)
            .join(Unit, Unit.id == ProjectTeamMember.unit_id)
            .where(among(ProjectTeamMember.project_id, part))
            .order_by(Unit.id)
        )
        for project_id, unit_id, kind in rows:
            teams[project_id].append((unit_id, str(kind)))
    session.info[_TEAMS] = {"teams": teams}  # the office is read when first asked for
    try:
        yield
    finally:
        session.info.pop(_TEAMS, None)


def _office_query() -> Any:
    kind = UnitKind.COUNTY_GOV_OFFICE
    return (
        select(Unit.id).where(Unit.kind == kind, Unit.active.is_(True)).order_by(Unit.id).limit(1)
    )


def _unit_for(session: Session, project: Project, level: str) -> int | None:
    """The unit that coordinates at ``level``: the lead unit, a team unit, or the county
    government office."""
    kind = LEVEL_UNIT_KIND[level]
    if project.lead_unit.kind == kind:
        return project.lead_unit_id
    known = session.info.get(_TEAMS)
    if known is not None and project.id in known["teams"]:
        if kind == UnitKind.COUNTY_GOV_OFFICE:
            if "office" not in known:
                known["office"] = session.scalar(_office_query())
            return known["office"]  # type: ignore[no-any-return]
        return next((u for u, k in known["teams"][project.id] if k == kind), None)
    if kind == UnitKind.COUNTY_GOV_OFFICE:
        return session.scalar(_office_query())
    query = (
        select(Unit.id)
        .join(ProjectTeamMember, ProjectTeamMember.unit_id == Unit.id)
        .where(ProjectTeamMember.project_id == project.id, Unit.kind == kind)
    )
    return session.scalar(query.order_by(Unit.id).limit(1))
