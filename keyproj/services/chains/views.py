"""What the chain pages and API show (DC5): the chains a viewer may see, and one chain with its
lists and its projects' progress (the latest period's figures and colour, HD3) and open
warnings and cases. The offices see every chain; a chain chief sees their chain whole; others
see the chains holding projects in their scope, with those projects only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.orm import Session, joinedload

from keyproj import periods
from keyproj.codes import COLOURS, CaseStatus, WarningStatus
from keyproj.codes.sitework import ChainListKind
from keyproj.db.models import Case, ChainItem, EarlyWarning, IndustryChain, Project, Unit
from keyproj.errors import NotFound
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, project_scope
from keyproj.services.evaluation.colours import Evaluation, evaluate

NOT_SET = "本地制度未设产业链链长制"  # where the profile has no [chains] (DC5)


def chain_scope(viewer: Viewer) -> ColumnElement[bool]:
    """Chains the viewer may see, as a WHERE clause."""
    if viewer.county_wide:
        return true()
    held = select(Project.chain_id).where(project_scope(viewer), Project.chain_id.is_not(None))
    clauses: list[ColumnElement[bool]] = [IndustryChain.id.in_(held)]
    if viewer.leader_id is not None:
        clauses.append(IndustryChain.chief_id == viewer.leader_id)
    return or_(*clauses)


@dataclass(frozen=True)
class ChainSummary:
    """A chain as listed."""

    id: int
    name: str
    chief: str | None
    projects: int
    total_investment: Decimal


def chains_for(session: Session, viewer: Viewer) -> list[ChainSummary]:
    """The chains the viewer may see, by name, with their projects in the viewer's view."""
    chains = session.scalars(
        select(IndustryChain)
        .where(chain_scope(viewer))
        .options(joinedload(IndustryChain.chief))
        .order_by(IndustryChain.name)
    ).all()
    out = []
    for chain in chains:
        count, total = session.execute(
            select(
                func.count(Project.id), func.coalesce(func.sum(Project.total_investment), 0)
            ).where(Project.chain_id == chain.id, _projects_seen(viewer, chain))
        ).one()
        chief = chain.chief.name if chain.chief else None
        out.append(ChainSummary(chain.id, chain.name, chief, count, Decimal(total)))
    return out


def _projects_seen(viewer: Viewer, chain: IndustryChain) -> ColumnElement[bool]:
    """The chain's projects the viewer sees: all for the offices and the chain's chief."""
    if viewer.leader_id is not None and chain.chief_id == viewer.leader_id:
        return true()
    return project_scope(viewer)


@dataclass(frozen=True)
class ProjectRow:
    """One of the chain's projects: its evaluation for the period and what is open on it."""

    evaluation: Evaluation
    total_investment: Decimal
    open_warnings: int
    open_cases: int

    @property
    def colour_label(self) -> str:
        """The colour or why there is none (无年度计划, 未报送…)."""
        return self.evaluation.label


@dataclass
class ChainPage:
    """A chain with its plan, lists and projects."""

    chain: IndustryChain
    period: periods.Period
    matters: list[ChainItem] = field(default_factory=list)
    parks: list[ChainItem] = field(default_factory=list)
    companies: list[ChainItem] = field(default_factory=list)
    projects: list[ProjectRow] = field(default_factory=list)

    @property
    def colour_counts(self) -> dict[str, int]:
        """The projects by colour (the four colours only, zeros included)."""
        return {c: sum(1 for p in self.projects if p.evaluation.outcome == c) for c in COLOURS}


def chain_page(
    session: Session,
    profile: PolicyProfile,
    viewer: Viewer,
    chain_id: int,
    today: date,
    period_key: str | None = None,
) -> ChainPage:
    """The chain's page for the progress period ``period_key`` (the last ended one when None)."""
    chain = session.scalar(
        select(IndustryChain).where(IndustryChain.id == chain_id, chain_scope(viewer))
    )
    if chain is None:
        raise NotFound(f"产业链 {chain_id} 不存在或无权查看")
    cycle = profile.warnings.progress_cycle
    period = periods.parse(cycle, period_key) if period_key else periods.last_ended(cycle, today)
    page = ChainPage(chain, period)
    for item in chain.items:
        {
            ChainListKind.MATTER: page.matters,
            ChainListKind.PARK: page.parks,
            ChainListKind.COMPANY: page.companies,
        }[item.kind].append(item)
    rows = session.execute(
        select(Project, Unit.name)
        .join(Unit, Unit.id == Project.lead_unit_id)
        .where(Project.chain_id == chain.id, _projects_seen(viewer, chain))
        .order_by(Project.code)
    ).all()
    evaluations = evaluate(session, profile, [(p, name) for p, name in rows], period)
    warnings, cases = _open_counts(session, [p.id for p, _ in rows])
    page.projects = [
        ProjectRow(e, p.total_investment, warnings.get(p.id, 0), cases.get(p.id, 0))
        for (p, _), e in zip(rows, evaluations, strict=True)
    ]
    return page


def _open_counts(session: Session, ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Open warnings and open cases per project."""
    if not ids:
        return {}, {}
    warnings = session.execute(
        select(EarlyWarning.project_id, func.count())
        .where(EarlyWarning.project_id.in_(ids), EarlyWarning.status == WarningStatus.OPEN)
        .group_by(EarlyWarning.project_id)
    )
    cases = session.execute(
        select(EarlyWarning.project_id, func.count(func.distinct(Case.id)))
        .join(Case, Case.warning_id == EarlyWarning.id)
        .where(EarlyWarning.project_id.in_(ids), Case.status == CaseStatus.OPEN)
        .group_by(EarlyWarning.project_id)
    )
    return (
        {p: n for p, n in warnings if p is not None},
        {p: n for p, n in cases if p is not None},
    )
