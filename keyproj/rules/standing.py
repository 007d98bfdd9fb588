"""A project's newest report against its approved plan to date (序时进度), shared by the progress rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Integer, and_, case, cast, extract, func, select
from sqlalchemy.orm import aliased

from keyproj import periods
from keyproj.codes import ProjectStage, StartStatus
from keyproj.db.models import AnnualPlan, PlanPeriod, Project, Report
from keyproj.rules.base import (
    FOUR_PLACES,
    RuleContext,
    amount,
    dec,
    latest_reports,
    percent,
    ratio,
)


@dataclass(frozen=True)
class Standing:
    """A project's newest report of an ended period set against its approved plan up to that period's end."""

    project_id: int
    central_funds: bool
    report_period: str
    as_of: date
    completed: Decimal  # 年度完成投资
    planned: Decimal  # planned investment of the year up to as_of
    progress_pct: Decimal  # cumulative physical progress
    planned_pct: Decimal  # planned cumulative physical progress at as_of

    @property
    def investment_ratio(self) -> Decimal | None:
        """Completed ÷ planned investment; None with nothing planned yet."""
        return ratio(self.completed, self.planned)

    @property
    def progress_ratio(self) -> Decimal | None:
        """Physical progress ÷ planned progress; None with nothing planned yet."""
        return ratio(self.progress_pct, self.planned_pct)

    @property
    def ratio(self) -> Decimal | None:
        """The worse of the two ratios: either measure falling behind is a lag (LP11-1)."""
        known = [r for r in (self.investment_ratio, self.progress_ratio) if r is not None]
        return min(known) if known else None

    def numbers(self) -> dict[str, object]:
        """The figures quoted as evidence."""
        return {
            "report_period": self.report_period,
            "as_of": self.as_of,
            "planned_investment": self.planned,
            "completed_investment": self.completed,
            "investment_ratio": self.investment_ratio,
            "planned_progress_pct": self.planned_pct,
            "progress_pct": self.progress_pct,
            "progress_ratio": self.progress_ratio,
            "ratio": self.ratio,
        }

    def sentence(self) -> str:
        """The figures as users read them."""
        inv, phy = self.investment_ratio, self.progress_ratio
        inv_text = f"，完成{percent(inv)}" if inv is not None else "（序时计划为0，不评价）"
        phy_text = f"，完成{percent(phy)}" if phy is not None else "（序时计划为0，不评价）"
        return (
            f"截至{self.as_of}：年度完成投资{amount(self.completed)}万元，"
            f"序时计划{amount(self.planned)}万元{inv_text}；形象进度{amount(self.progress_pct)}%，"
            f"序时计划{amount(self.planned_pct)}%{phy_text}"
        )


def standings(ctx: RuleContext) -> list[Standing]:
    """Every project's standing, computed once per scan (both rules of this module read it)."""
    return ctx.memo("progress.standings", lambda: _load(ctx))


def _load(ctx: RuleContext) -> list[Standing]:
    """Two aggregate queries' worth of SQL: newest reports, summed plan periods, the running one."""
    latest = latest_reports(
        date(ctx.today.year - 1, 1, 1),
        Report.period,
        Report.period_end,
        Report.annual_completed,
        Report.progress_pct,
        Report.start_status,
        # Issue 15: a period that has not ended is judged when it has (no lag on a part-month).
        ended_by=ctx.today,
    ).subquery("latest")
    ended = PlanPeriod.period_end <= latest.c.period_end
    plan_year = cast(extract("year", latest.c.period_end), Integer)
    summed = (
        select(
            latest.c.project_id,
            latest.c.period,
            latest.c.period_end,
            latest.c.annual_completed,
            latest.c.progress_pct,
            AnnualPlan.current_version_id.label("version_id"),
            func.sum(case((ended, PlanPeriod.planned_investment), else_=0)).label("done"),
            func.max(case((ended, PlanPeriod.planned_progress_pct))).label("done_pct"),
            func.min(case((~ended, PlanPeriod.period_end))).label("next_end"),
        )
        .join(
            AnnualPlan,
            and_(AnnualPlan.project_id == latest.c.project_id, AnnualPlan.year == plan_year),
        )
        .join(PlanPeriod, PlanPeriod.version_id == AnnualPlan.current_version_id)
        .where(latest.c.start_status != StartStatus.COMPLETED)  # a finished project cannot lag
        .group_by(
            latest.c.project_id,
            latest.c.period,
            latest.c.period_end,
            latest.c.annual_completed,
            latest.c.progress_pct,
            AnnualPlan.current_version_id,
        )
        .subquery("summed")
    )
    running = aliased(PlanPeriod, name="running")
    query = (
        select(
            summed,
            running.period.label("running_period"),
            running.planned_investment.label("running_investment"),
            running.planned_progress_pct.label("running_pct"),
            Project.central_funds,
        )
        .join(Project, Project.id == summed.c.project_id)
        .outerjoin(
            running,
            and_(
                running.version_id == summed.c.version_id, running.period_end == summed.c.next_end
            ),
        )
        .where(Project.stage != ProjectStage.IN_USE)
    )
    out: list[Standing] = []
    for row in ctx.session.execute(query):
        planned, planned_pct = dec(row.done), dec(row.done_pct)
        if row.running_period is not None:
            # 序时: the period under way counts in proportion to its days gone by.
            share = _share(row.running_period, row.period_end)
            planned += dec(row.running_investment) * share
            planned_pct += (dec(row.running_pct) - planned_pct) * share
        out.append(
            Standing(
                project_id=row.project_id,
                central_funds=bool(row.central_funds),
                report_period=row.period,
                as_of=row.period_end,
                completed=dec(row.annual_completed),
                planned=planned.quantize(FOUR_PLACES),
                progress_pct=dec(row.progress_pct),
                planned_pct=planned_pct.quantize(FOUR_PLACES),
            )
        )
    return out


def _share(key: str, as_of: date) -> Decimal:
    """How much of a plan period (month or quarter) has passed by the end of ``as_of``."""
    period = periods.parse("quarterly" if "-Q" in key else "monthly", key)
    days = (period.end - period.start).days + 1
    gone = min(max((as_of - period.start).days + 1, 0), days)
    return Decimal(gone) / Decimal(days)
