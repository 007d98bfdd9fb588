"""What the spot-check pages and API show: a cycle's plan, its checks, and its coverage, each
limited to the projects the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from keyproj import periods
from keyproj.codes import ProjectStage
from keyproj.db.models import Project, SpotCheck, SpotCheckEntry, SpotCheckPlan
from keyproj.errors import NotFound
from keyproj.policy import PolicyProfile
from keyproj.services.access import Viewer, project_scope
from keyproj.services.spot_checks.plans import cycle_of, plan_for, rules, threshold


@dataclass(frozen=True)
class EntryRow:
    """A project in the plan, why it is there, whether it was checked in the cycle."""

    project_id: int
    project_code: str
    project_name: str
    total_investment: Decimal
    reason: str
    reason_label: str
    note: str | None
    removed: bool
    removal_reason: str | None
    checks: int


@dataclass(frozen=True)
class CheckRow:
    """A check as listed."""

    id: int
    project_id: int
    project_name: str
    checked_on: date
    checkers: str
    findings: str | None
    warning_id: int | None
    issue_id: int | None


@dataclass
class PlanView:
    """A cycle with its plan (None before it is drawn), entries and checks."""

    cycle: periods.Period
    threshold_wan: str
    plan_id: int | None = None
    seed: int | None = None
    entries: list[EntryRow] = field(default_factory=list)
    checks: list[CheckRow] = field(default_factory=list)

    @property
    def unchecked(self) -> list[EntryRow]:
        """The planned projects not yet checked in the cycle."""
        return [e for e in self.entries if not e.removed and not e.checks]


def plan_view(
    session: Session, profile: PolicyProfile, viewer: Viewer, cycle_key: str | None, today: date
) -> PlanView:
    """The plan of the cycle ``cycle_key`` (the current one when None), as the viewer may see it."""
    cycle_rule = rules(profile).cycle
    cycle = periods.parse(cycle_rule, cycle_key) if cycle_key else cycle_of(profile, today)
    view = PlanView(cycle, f"{threshold(profile):f}")
    plan = plan_for(session, cycle.key)
    view.checks = _checks(session, viewer, cycle)
    if plan is None:
        return view
    view.plan_id, view.seed = plan.id, plan.seed
    counts: dict[int, int] = {}
    for c in view.checks:
        counts[c.project_id] = counts.get(c.project_id, 0) + 1
    view.entries = [_entry(e, counts.get(e.project_id, 0)) for e in _entries(session, viewer, plan)]
    return view


def _entries(session: Session, viewer: Viewer, plan: SpotCheckPlan) -> list[SpotCheckEntry]:
    return list(
        session.scalars(
            select(SpotCheckEntry)
            .join(Project, Project.id == SpotCheckEntry.project_id)
            .where(SpotCheckEntry.plan_id == plan.id, project_scope(viewer))
            .options(joinedload(SpotCheckEntry.project))
            .order_by(Project.total_investment.desc(), Project.code)
        )
    )


def _entry(e: SpotCheckEntry, checks: int) -> EntryRow:
    return EntryRow(
        e.project_id,
        e.project.code,
        e.project.name,
        e.project.total_investment,
        e.reason.value,
        e.reason.label,
        e.note,
        e.removed_at is not None,
        e.removal_reason,
        checks,
    )


def _checks(session: Session, viewer: Viewer, cycle: periods.Period) -> list[CheckRow]:
    rows = session.scalars(
        select(SpotCheck)
        .join(Project, Project.id == SpotCheck.project_id)
        .where(
            SpotCheck.checked_on >= cycle.start,
            SpotCheck.checked_on <= cycle.end,
            project_scope(viewer),
        )
        .options(joinedload(SpotCheck.project))
        .order_by(SpotCheck.checked_on.desc(), SpotCheck.id.desc())
    )
    return [_row(c) for c in rows]


def uncovered(session: Session, profile: PolicyProfile, cycle_key: str) -> list[int]:
    """The projects at or above the threshold missing from the cycle's plan (LP10's coverage);
    an empty list when the plan covers them all."""
    plan = plan_for(session, cycle_key)
    planned = (
        set() if plan is None else {e.project_id for e in plan.entries if e.removed_at is None}
    )
    big = session.scalars(
        select(Project.id).where(
            Project.total_investment >= threshold(profile), Project.stage != ProjectStage.IN_USE
        )
    )
    return sorted(p for p in big if p not in planned)


def check_in_scope(session: Session, viewer: Viewer, check_id: int) -> CheckRow:
    """One check the viewer may see (its project in their scope); NotFound otherwise."""
    c = session.scalar(
        select(SpotCheck)
        .join(Project, Project.id == SpotCheck.project_id)
        .where(SpotCheck.id == check_id, project_scope(viewer))
    )
    if c is None:
        raise NotFound(f"抽查记录 {check_id} 不存在或无权查看")
    return _row(c)


def _row(c: SpotCheck) -> CheckRow:
    return CheckRow(
        c.id,
        c.project_id,
        c.project.name,
        c.checked_on,
        c.checkers,
        c.findings,
        c.warning_id,
        c.issue_id,
    )
