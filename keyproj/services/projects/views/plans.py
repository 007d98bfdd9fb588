"""What the plan pages and the API show: a project's year plan with its versions, one version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes.plans import PlanKind
from keyproj.db.models import AnnualPlan, PlanVersion, Project
from keyproj.errors import NotFound
from keyproj.policy.model import Plans
from keyproj.services.access import Viewer, project_scope, visible_project
from keyproj.services.projects import plan_windows as windows
from keyproj.services.projects import plans


@dataclass(frozen=True)
class PlanPage:
    """A project's plan for one year: every version, the one in force, and the profile's days."""

    project: Project
    year: int
    versions: list[PlanVersion]
    current: PlanVersion | None
    due: date | None
    windows: list[tuple[str, date, date]]


def plan_page(
    session: Session, viewer: Viewer, project_id: int, year: int, rules: Plans
) -> PlanPage:
    """The year plan of a project the viewer may see (NotFound otherwise), newest version first."""
    project = visible_project(session, viewer, project_id)
    plan = plans.plan_for(session, project.id, year)
    versions = sorted(plan.versions, key=lambda v: -v.number) if plan else []
    spans = [
        (kind.label, *span)
        for kind in (PlanKind.CALIBRATION, PlanKind.ADJUSTMENT)
        if (span := windows.window(rules, year, kind))
    ]
    current = plan.current_version if plan else None
    return PlanPage(project, year, versions, current, windows.filing_due(rules, year), spans)


def visible_version(session: Session, viewer: Viewer, version_id: int) -> PlanVersion:
    """A plan version of a project the viewer may see; NotFound otherwise (no existence leak)."""
    version = session.scalar(
        select(PlanVersion)
        .join(AnnualPlan, PlanVersion.plan_id == AnnualPlan.id)
        .join(Project, AnnualPlan.project_id == Project.id)
        .where(PlanVersion.id == version_id, project_scope(viewer))
    )
    if version is None:
        raise NotFound(f"计划版本 {version_id} 不存在或无权查看")
    return version
