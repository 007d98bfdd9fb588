"""Weeks without substantive progress, escalating from the unit's head to the county leader (GS1)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, literal, or_, select
from sqlalchemy.orm import aliased

from keyproj import periods
from keyproj.codes import Colour, ProjectStage, ReportStatus, StartStatus, WarningLevel
from keyproj.db.models import Leader, Project, ProjectTeamMember, Report, Unit
from keyproj.rules.base import Candidate, RuleContext, amount, dec, evidence, latest_reports

STALLED = ("GS1", "GS3")
UNDER_WAY = (
    StartStatus.STARTED,
    StartStatus.RESTARTED,
    StartStatus.SUSPENDED,
)  # a stopped site makes no progress either
COLOURS_BY_STEP = (Colour.YELLOW, Colour.RED)  # the first threshold, then every later one


def _rows(ctx: RuleContext) -> Any:
    """Per project: the newest report, and the first report at its level (three aggregates)."""
    since = date(ctx.today.year - 1, 1, 1)
    latest = latest_reports(
        since,
        Report.period_end,
        Report.cumulative_completed,
        Report.progress_pct,
        Report.start_status,
    ).subquery("latest")
    earlier = aliased(Report, name="earlier")
    # The last report below today's level: progress happened after it.
    moved = (
        select(earlier.project_id, func.max(earlier.period_end).label("moved_end"))
        .join(latest, latest.c.project_id == earlier.project_id)
        .where(
            earlier.status == ReportStatus.SUBMITTED,
            earlier.period_end >= since,
            earlier.period_end < latest.c.period_end,
            or_(
                earlier.cumulative_completed < latest.c.cumulative_completed,
                earlier.progress_pct < latest.c.progress_pct,
            ),
        )
        .group_by(earlier.project_id)
        .subquery("moved")
    )
    after = aliased(Report, name="after")
    # The first report after that one: the level was reached then and has not moved since.
    reached = (
        select(after.project_id, func.min(after.period_end).label("reached_end"))
        .outerjoin(moved, moved.c.project_id == after.project_id)
        .where(
            after.status == ReportStatus.SUBMITTED,
            after.period_end >= since,
            after.period_end > func.coalesce(moved.c.moved_end, literal(since - timedelta(days=1))),
        )
        .group_by(after.project_id)
        .subquery("reached")
    )
    responsible = (
        select(ProjectTeamMember.project_id, func.min(ProjectTeamMember.name).label("name"))
        .where(ProjectTeamMember.role == "responsible")
        .group_by(ProjectTeamMember.project_id)
        .subquery("responsible")
    )
    return ctx.session.execute(
        select(
            latest.c.project_id,
            latest.c.period_end,
            latest.c.cumulative_completed,
            latest.c.progress_pct,
            reached.c.reached_end,
            Unit.name.label("unit"),
            responsible.c.name.label("head"),
            Leader.name.label("leader"),
            Leader.title.label("leader_title"),
        )
        .join(reached, reached.c.project_id == latest.c.project_id)
        .join(Project, Project.id == latest.c.project_id)
        .join(Unit, Unit.id == Project.lead_unit_id)
        .outerjoin(Leader, Leader.id == Project.leader_id)
        .outerjoin(responsible, responsible.c.project_id == Project.id)
        .where(
            latest.c.start_status.in_(UNDER_WAY),
            reached.c.reached_end < latest.c.period_end,
            Project.stage != ProjectStage.IN_USE,
        )
        .order_by(latest.c.project_id)
    )


def _called(step: int, row: Any) -> dict[str, str | None]:
    """Who answers for the stall (GS1): the responsible unit's head first, then the county leader."""
    if step == 0:
        return {"role": "责任单位主要负责人", "unit": row.unit, "name": row.head}
    return {"role": "分包县领导", "unit": row.leader_title, "name": row.leader}


def stalled(ctx: RuleContext) -> Iterator[Candidate]:
    """GS1: a project under way whose weekly reports show no substantive progress (neither
    cumulative investment nor physical progress rose) for each of ``warnings.no_progress_weeks``
    consecutive weeks. The first threshold calls the responsible unit's head (yellow), later
    ones the county leader in charge (red); a stall keeps one warning per threshold however
    long it lasts, because the warning's period is the stall's first week."""
    thresholds = ctx.profile.warnings.no_progress_weeks
    if not thresholds:
        return
    for row in _rows(ctx):
        weeks = (row.period_end - row.reached_end).days // 7
        first_week = periods.containing("weekly", row.reached_end + timedelta(days=1))
        for step, needed in enumerate(thresholds):
            if weeks < needed:
                break
            called = _called(step, row)
            who = f"{called['unit'] or ''}{called['name'] or ''}" or "（未登记）"
            summary = (
                f"自{first_week.label}起连续{weeks}周无实质进度（累计完成投资"
                f"{amount(dec(row.cumulative_completed))}万元、形象进度"
                f"{amount(dec(row.progress_pct))}%未增加），达到连续{needed}周，"
                f"按规定对{called['role']}（{who}）实行电视问政。"
            )
            yield Candidate(
                f"no_progress_{needed}w",
                row.project_id,
                first_week.key,
                WarningLevel.PROGRESS,
                COLOURS_BY_STEP[min(step, 1)],
                evidence(
                    summary,
                    STALLED,
                    ctx.cite("warnings.no_progress_weeks"),
                    weeks=weeks,
                    threshold_weeks=needed,
                    first_stalled_week=first_week.key,
                    latest_week_end=row.period_end,
                    cumulative_completed=dec(row.cumulative_completed),
                    progress_pct=dec(row.progress_pct),
                    called=called,
                ),
            )
