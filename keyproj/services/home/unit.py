"""A unit liaison's home: my tasks, the report due for the newest ended period, my projects' warnings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.codes import ProjectStage, ReportStatus, WarningStatus
from keyproj.db.models import EarlyWarning, HumanTask, HumanTaskCandidate, Project, Report
from keyproj.services.access import Viewer, inbox_scope, lanes_taken_by
from keyproj.services.home.common import SHORT_LIST, ColourCounts, colour_counts


@dataclass(frozen=True)
class ReportDue:
    """A project of the unit whose report for the period is missing or not yet submitted."""

    project_id: int
    project_name: str
    report_id: int | None
    status: ReportStatus | None


@dataclass(frozen=True)
class UnitHome:
    """What a unit's liaison sees first."""

    tasks_open: int
    tasks_overdue: int
    period: periods.Period
    reports_due: int
    reports: list[ReportDue]
    open_warnings: int
    colours: ColourCounts


def newest_ended_period(cycle: str, today: date) -> periods.Period:
    """The newest period of ``cycle`` that has ended by ``today`` (Beijing)."""
    return periods.last_ended(cycle, today)


def unit_home(session: Session, viewer: Viewer, cycle: str, now: datetime, today: date) -> UnitHome:
    """The liaison's counts: the inbox's tasks, the reports due, the unit's projects' warnings."""
    period = newest_ended_period(cycle, today)
    mine = Project.lead_unit_id == viewer.unit_id
    due = _reports_due(viewer.unit_id, period)
    reports = session.execute(due.order_by(Project.code).limit(SHORT_LIST)).all()
    warnings = (
        select(func.count())
        .select_from(EarlyWarning)
        .where(
            EarlyWarning.status == WarningStatus.OPEN,
            EarlyWarning.project_id.in_(select(Project.id).where(mine)),
        )
    )
    return UnitHome(
        tasks_open=_tasks(session, viewer),
        tasks_overdue=_tasks(session, viewer, now),
        period=period,
        reports_due=int(session.scalar(select(func.count()).select_from(due.subquery())) or 0),
        reports=[ReportDue(*row) for row in reports],
        open_warnings=int(session.scalar(warnings) or 0),
        colours=colour_counts(session, mine),
    )


def _tasks(session: Session, viewer: Viewer, overdue_at: datetime | None = None) -> int:
    """The viewer's inbox count (X2), or of its tasks past their deadline at ``overdue_at``."""
    if not lanes_taken_by(viewer):
        return 0
    query = (
        select(func.count(func.distinct(HumanTask.id)))
        .select_from(HumanTaskCandidate)
        .join(HumanTask, HumanTask.id == HumanTaskCandidate.task_id)
        .where(*inbox_scope(viewer))
    )
    if overdue_at is not None:
        query = query.where(HumanTask.due_at < overdue_at)
    return int(session.scalar(query) or 0)


def _reports_due(unit_id: int, period: periods.Period):  # type: ignore[no-untyped-def]
    """The unit's projects on the list for ``period`` without a submitted report (as LP8 reminds)."""
    return (
        select(Project.id, Project.name, Report.id, Report.status)
        .outerjoin(Report, and_(Report.project_id == Project.id, Report.period == period.key))
        .where(
            Project.lead_unit_id == unit_id,
            Project.stage != ProjectStage.IN_USE,
            or_(Project.approved_on.is_(None), Project.approved_on <= period.end),
            or_(Report.id.is_(None), Report.status != ReportStatus.SUBMITTED),
        )
    )
