"""Ledger dates missed (AL7, HD6, LP7) and the start rate at the AL2 checkpoints."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, func, select

from keyproj.codes import STARTED, Colour, ProjectStage, ReportStatus, StartStatus, WarningLevel
from keyproj.db.models import Project, Report, Unit
from keyproj.rules.base import (
    BUILDING_STAGES,
    FINISHED_STAGES,
    Candidate,
    RuleContext,
    colour_for,
    evidence,
    latest_reports,
    listed_by,
    percent,
)

START = ("HD6", "AL7", "LP7")
COMPLETION = ("HD6", "LP7")
RATE = ("AL2",)
LISTED = 20  # projects named in a start-rate warning; the rest are counted


def _reported(*statuses: str, by: date | None = None) -> Any:
    """A submitted report of the project shows one of ``statuses`` (started on or before ``by``)."""
    where = [
        Report.project_id == Project.id,
        Report.status == ReportStatus.SUBMITTED,
        Report.start_status.in_(statuses),
    ]
    if by is not None:
        where.append(Report.started_on <= by)
    return exists().where(*where)


def _dates_missed(ctx: RuleContext, column: Any, done: Any) -> Any:
    """Projects whose ledger date in ``column`` is over while ``done`` is false, with the
    newest report's explanation (AL6: reason and expected start)."""
    latest = latest_reports(
        date(ctx.today.year - 1, 1, 1), Report.not_started_reason, Report.expected_start
    ).subquery("latest")
    return ctx.session.execute(
        select(
            Project.id,
            column.label("planned"),
            latest.c.not_started_reason,
            latest.c.expected_start,
        )
        .outerjoin(latest, latest.c.project_id == Project.id)
        .where(column.is_not(None), column < ctx.today, ~done)
        .order_by(Project.id)
    )


def start_overdue(ctx: RuleContext) -> Iterator[Candidate]:
    """HD6, AL7, LP7: the planned start date (台账开工日期) is over and no report shows a start
    and the project's stage is not yet construction. On the planned day itself it is not late."""
    started = _reported(*STARTED) | Project.stage.in_(BUILDING_STAGES)
    for row in _dates_missed(ctx, Project.planned_start, started):
        late = (ctx.today - row.planned).days
        why = f"；未开工原因：{row.not_started_reason}" if row.not_started_reason else ""
        expected = f"；预计开工：{row.expected_start}" if row.expected_start else ""
        summary = f"计划于{row.planned}开工，已逾期{late}天仍未开工{why}{expected}。"
        yield Candidate(
            "start_overdue",
            row.id,
            row.planned.isoformat(),
            WarningLevel.PROGRESS,
            Colour.RED,
            evidence(
                summary,
                START,
                "项目台账的计划开工日期（HD6）；开工以报表的开（复）工情况为准（AL6、AL7）",
                planned_start=row.planned,
                days_overdue=late,
                not_started_reason=row.not_started_reason,
                expected_start=row.expected_start,
            ),
        )


def completion_overdue(ctx: RuleContext) -> Iterator[Candidate]:
    """HD6, LP7 (未按期投产): the planned completion date is over and no report says completed
    and the project is neither in acceptance nor in use. On the planned day it is not late."""
    finished = _reported(StartStatus.COMPLETED) | Project.stage.in_(FINISHED_STAGES)
    for row in _dates_missed(ctx, Project.planned_completion, finished):
        late = (ctx.today - row.planned).days
        summary = f"计划于{row.planned}竣工，已逾期{late}天仍未竣工。"
        yield Candidate(
            "completion_overdue",
            row.id,
            row.planned.isoformat(),
            WarningLevel.PROGRESS,
            Colour.RED,
            evidence(
                summary,
                COMPLETION,
                "项目台账的计划竣工日期（HD6）；竣工以报表或项目阶段为准",
                planned_completion=row.planned,
                days_overdue=late,
            ),
        )


def start_rate(ctx: RuleContext) -> Iterator[Candidate]:
    """AL2 (DC start target): at each passed checkpoint of ``starts.targets`` (this year's and
    last year's), the share of the year's projects started by that day must reach the rate.
    The year's projects are those listed by the checkpoint that are not preliminary (前期)
    or already in use. Exactly at the rate is on target. One portfolio warning (no project)
    for the key office per checkpoint, coloured by the bands on rate ÷ target."""
    for year in (ctx.today.year - 1, ctx.today.year):
        for target in ctx.profile.starts.targets:
            checkpoint = target.on(year)
            if checkpoint >= ctx.today:
                continue
            found = _start_rate(ctx, checkpoint, Decimal(str(target.rate)))
            if found is not None:
                yield found


def started_by(checkpoint: date) -> Any:
    """AL2: a submitted report of the project shows it started on or before ``checkpoint``."""
    return _reported(*STARTED, by=checkpoint)


def due_to_start(checkpoint: date) -> tuple[Any, ...]:
    """AL2: the year's projects at ``checkpoint``: listed by then, neither 前期 nor in use."""
    return (
        Project.nature != "preliminary",
        Project.stage != ProjectStage.IN_USE,
        listed_by(checkpoint),
    )


def _start_rate(ctx: RuleContext, checkpoint: date, target: Decimal) -> Candidate | None:
    started = started_by(checkpoint)
    due = due_to_start(checkpoint)
    total, begun = ctx.session.execute(
        select(func.count(), func.count().filter(started)).select_from(Project).where(*due)
    ).one()
    if not total or Decimal(begun) >= target * total:
        return None
    rate = (Decimal(begun) / Decimal(total)).quantize(Decimal("0.0001"))
    laggards = ctx.session.execute(
        select(Project.code, Project.name, Unit.name.label("unit"))
        .join(Unit, Unit.id == Project.lead_unit_id)
        .where(*due, ~started)
        .order_by(Project.code)
        .limit(LISTED)
    ).all()
    summary = (
        f"截至{checkpoint}，应开工项目{total}个，已开工{begun}个，开工率{percent(rate)}，"
        f"低于{percent(target)}的目标；未开工{total - begun}个。"
    )
    return Candidate(
        "start_rate",
        None,
        checkpoint.isoformat(),
        WarningLevel.PROGRESS,
        colour_for(ctx.profile, rate / target),
        evidence(
            summary,
            RATE,
            ctx.cite("starts.targets"),
            checkpoint=checkpoint,
            target_rate=target,
            start_rate=rate,
            projects=total,
            started=begun,
            not_started=[{"code": c, "name": n, "unit": u} for c, n, u in laggards],
        ),
    )
