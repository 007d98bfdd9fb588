"""Read models of the report pages: one report with its AL6 content, sign-off and amendments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import PROCEDURE_ITEMS, PROCEDURE_STATUSES, START_STATUSES, StartStatus
from keyproj.db.models import Project, Report, User
from keyproj.errors import NotFound
from keyproj.services.access import Viewer, project_scope
from keyproj.services.projects.plans import current_version
from keyproj.services.projects.reports import FIELDS, LABELS, ReportData

EMPTY = "—"


@dataclass(frozen=True)
class ChangeRow:
    """One field of an amendment, old and new value as users read them."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class AmendmentView:
    """A correction: when, by whom, why and what changed (AL6)."""

    amended_at: datetime
    amended_by: str
    reason: str
    changes: list[ChangeRow]


@dataclass(frozen=True)
class ReportPage:
    """Everything one report's page shows."""

    report: Report
    project: Project
    procedures: list[tuple[str, str, str]]
    submitted_by: str | None
    signed_off_by: str | None
    amendments: list[AmendmentView]


def visible_report(session: Session, viewer: Viewer, report_id: int) -> Report:
    """The report if its project is in the viewer's scope; NotFound otherwise (no existence leak)."""
    report = session.scalar(
        select(Report).join(Project).where(Report.id == report_id, project_scope(viewer))
    )
    if report is None:
        raise NotFound(f"报表 {report_id} 不存在或无权查看")
    return report


def report_page(session: Session, viewer: Viewer, report_id: int) -> ReportPage:
    """One report with names, procedures and amendments ready to show."""
    report = visible_report(session, viewer, report_id)
    amendments = list(report.amendments)
    names = _user_names(
        session,
        {report.submitted_by_id, report.signed_off_by_id, *(a.amended_by_id for a in amendments)},
    )
    return ReportPage(
        report=report,
        project=report.project,
        procedures=procedure_lines(report.procedures),
        submitted_by=names.get(report.submitted_by_id or 0),
        signed_off_by=names.get(report.signed_off_by_id or 0),
        amendments=[
            AmendmentView(
                amended_at=a.amended_at,
                amended_by=names.get(a.amended_by_id, EMPTY),
                reason=a.reason,
                changes=[
                    ChangeRow(
                        c.get("label") or LABELS.get(c["field"], c["field"]),
                        shown(c["field"], c.get("old")),
                        shown(c["field"], c.get("new")),
                    )
                    for c in a.changes
                ],
            )
            for a in reversed(amendments)
        ],
    )


def procedure_lines(procedures: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """(item, status, note) for each reported procedure item, in the AL6/AL10 order."""
    procedures = procedures or {}
    return [
        (
            name,
            PROCEDURE_STATUSES.get((procedures[code] or {}).get("status", ""), EMPTY),
            (procedures[code] or {}).get("note") or "",
        )
        for code, name in PROCEDURE_ITEMS.items()
        if code in procedures
    ]


def shown(field: str, value: Any) -> str:
    """A stored field value (as an amendment records it) in the words users read."""
    if value is None or value == "" or value == {}:
        return EMPTY
    if field == "start_status":
        return START_STATUSES.get(str(value), str(value))
    if field == "procedures" and isinstance(value, dict):
        return "；".join(
            f"{item}：{status}" + (f"（{note}）" if note else "")
            for item, status, note in procedure_lines(value)
        )
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def carry_over(session: Session, project: Project, today: date) -> ReportData:
    """Starting values of a new report: the last report's figures, else the project's and plan's."""
    last = session.scalar(
        select(Report)
        .where(Report.project_id == project.id)
        .order_by(Report.period_end.desc(), Report.id.desc())
        .limit(1)
    )
    if last is not None:
        return data_of(last)
    plan = current_version(session, project.id, today.year)
    return ReportData(
        total_investment=project.total_investment,
        cumulative_completed=Decimal(0),
        annual_plan_investment=plan.annual_investment if plan else Decimal(0),
        annual_completed=Decimal(0),
        start_status=StartStatus.NOT_STARTED,
        progress_pct=Decimal(0),
    )


def data_of(report: Report) -> ReportData:
    """A stored report's AL6 content as ReportData (a copy: changing it changes nothing stored)."""
    values = {name: getattr(report, name) for name in FIELDS}
    values["procedures"] = {k: dict(v or {}) for k, v in (report.procedures or {}).items()}
    return ReportData(**values)


def current_report(session: Session, project_id: int, period_key: str) -> Report | None:
    """The project's report of a period, if one exists."""
    return session.scalar(
        select(Report).where(Report.project_id == project_id, Report.period == period_key)
    )


def _user_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {row.id: row.display_name for row in rows}
