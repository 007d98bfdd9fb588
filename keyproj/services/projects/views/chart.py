"""Plan against actual by period for one project's year: cumulative investment (万元) and progress (%)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.codes import ReportStatus
from keyproj.db.models import PlanVersion, Report


@dataclass(frozen=True)
class ChartRow:
    """One plan period: the year's planned and completed investment to its end, planned and actual progress."""

    period: str
    label: str
    planned_investment: Decimal | None
    actual_investment: Decimal | None
    planned_pct: Decimal | None
    actual_pct: Decimal | None


@dataclass(frozen=True)
class ProgressChart:
    """The rows of the chart and of the table beside it (the same numbers)."""

    year: int
    rows: list[ChartRow]

    def as_json(self) -> dict[str, Any]:
        """The series as ECharts reads them: labels and numbers, null where nothing is known."""
        return {
            "year": self.year,
            "labels": [r.label for r in self.rows],
            "planned_investment": [_num(r.planned_investment) for r in self.rows],
            "actual_investment": [_num(r.actual_investment) for r in self.rows],
            "planned_pct": [_num(r.planned_pct) for r in self.rows],
            "actual_pct": [_num(r.actual_pct) for r in self.rows],
        }


def progress_chart(
    session: Session, project_id: int, year: int, plan: PlanVersion | None, breakdown: str
) -> ProgressChart:
    """Plan periods of ``year`` against the newest submitted report that ends within each period.

    The plan gives each period's investment, so its running sum is the year's cumulative plan;
    the report's 年度完成投资 is the year's cumulative actual (the same comparison as LP11-1).
    """
    plan_periods = list(plan.periods) if plan else []
    if plan_periods:
        breakdown = "quarterly" if "-Q" in plan_periods[0].period else "monthly"
    buckets = periods.of_year(breakdown, year)
    planned = {p.period: p for p in plan_periods}
    reports = _submitted_reports(session, project_id, year)
    rows: list[ChartRow] = []
    running = Decimal(0)
    last_pct: Decimal | None = None
    for bucket in buckets:
        entry = planned.get(bucket.key)
        if entry is not None:
            running += entry.planned_investment
            last_pct = entry.planned_progress_pct
        report = _newest_within(reports, bucket)
        rows.append(
            ChartRow(
                period=bucket.key,
                label=bucket.label,
                planned_investment=running if plan_periods else None,
                actual_investment=report.annual_completed if report else None,
                planned_pct=last_pct if plan_periods else None,
                actual_pct=report.progress_pct if report else None,
            )
        )
    return ProgressChart(year, _trim(rows, planned))


def _submitted_reports(session: Session, project_id: int, year: int) -> list[Report]:
    query = (
        select(Report)
        .where(
            Report.project_id == project_id,
            Report.status == ReportStatus.SUBMITTED,
            Report.period_end >= periods.parse("monthly", f"{year}-01").start,
            Report.period_end <= periods.parse("monthly", f"{year}-12").end,
        )
        .order_by(Report.period_end)
    )
    return list(session.scalars(query))


def _newest_within(reports: list[Report], bucket: periods.Period) -> Report | None:
    inside = [r for r in reports if bucket.start <= r.period_end <= bucket.end]
    return inside[-1] if inside else None


def _trim(rows: list[ChartRow], planned: Mapping[str, object]) -> list[ChartRow]:
    """Only the stretch of the year that has a plan or a report: no empty periods at the ends."""
    known = [
        i for i, r in enumerate(rows) if r.period in planned or r.actual_investment is not None
    ]
    return rows[known[0] : known[-1] + 1] if known else []


def _num(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None
