"""A unit head's home: the reports waiting for my signature (AL6 sign-off)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from keyproj.codes import ReportStatus
from keyproj.db.models import Project, Report
from keyproj.services.access import Viewer
from keyproj.services.home.common import SHORT_LIST


@dataclass(frozen=True)
class WaitingReport:
    """A report of the unit's project waiting for the head's signature."""

    report_id: int
    period: str
    project_id: int
    project_name: str
    submitted_at: datetime | None


@dataclass(frozen=True)
class UnitHeadHome:
    """What a unit head sees first."""

    waiting: int
    reports: list[WaitingReport]


def unit_head_home(session: Session, viewer: Viewer) -> UnitHeadHome:
    """Reports of the unit's projects waiting for sign-off, oldest first."""
    where = (
        Report.status == ReportStatus.PENDING_SIGN_OFF,
        Project.lead_unit_id == viewer.unit_id,
    )
    rows = session.execute(
        select(Report.id, Report.period, Project.id, Project.name, Report.submitted_at)
        .join(Project, Project.id == Report.project_id)
        .where(*where)
        .order_by(Report.period_end, Report.id)
        .limit(SHORT_LIST)
    ).all()
    total = session.scalar(
        select(func.count())
        .select_from(Report)
        .join(Project, Project.id == Report.project_id)
        .where(*where)
    )
    return UnitHeadHome(int(total or 0), [WaitingReport(*row) for row in rows])
