"""Progress behind the plan to date: lag colours (LP11-1, LP7, HD3) and central-funds projects (LP11-2)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from keyproj import periods
from keyproj.codes import COLOURS, WarningLevel
from keyproj.rules.base import Candidate, RuleContext, colour_for, evidence, percent
from keyproj.rules.standing import Standing, standings

LAG = ("LP11-1", "LP7", "HD3", "AL13", "DC6", "GS7")
CENTRAL = ("LP11-2",)


def _warning_period(ctx: RuleContext, standing: Standing) -> periods.Period:
    return periods.containing(ctx.profile.warnings.progress_cycle, standing.as_of)


def lagging(ctx: RuleContext) -> Iterator[Candidate]:
    """LP11-1, LP7, HD3 (AL13, DC6, GS7): progress behind the plan to date, coloured by the
    profile's bands; a warning when the colour is one of ``warnings.warning_colours``.

    The worse of investment and physical progress decides; a measure with nothing planned
    yet is not judged, so a zero plan or a project not due to start raises nothing.
    """
    bands = ctx.profile.warnings
    for s in standings(ctx):
        value = s.ratio
        if value is None:
            continue
        colour = colour_for(ctx.profile, value)
        if colour not in bands.warning_colours:
            continue
        period = _warning_period(ctx, s)
        summary = f"{period.label}建设进度滞后于序时进度（{COLOURS[colour]}）——{s.sentence()}。"
        yield Candidate(
            "progress_lag",
            s.project_id,
            period.key,
            WarningLevel.PROGRESS,
            colour,
            evidence(summary, LAG, ctx.cite("warnings.warning_colours"), **s.numbers()),
        )


def central_funds(ctx: RuleContext) -> Iterator[Candidate]:
    """LP11-2: a project using central funds whose progress ratio is below
    ``warnings.central_funds_min_ratio`` (the ministries' requirement), coloured by the bands."""
    required = Decimal(str(ctx.profile.warnings.central_funds_min_ratio))
    for s in standings(ctx):
        value = s.ratio
        if not s.central_funds or value is None or value >= required:
            continue
        period = _warning_period(ctx, s)
        summary = (
            f"使用中央资金的项目{period.label}进度为序时进度的{percent(value)}，"
            f"未达到{percent(required)}的要求——{s.sentence()}。"
        )
        yield Candidate(
            "central_funds",
            s.project_id,
            period.key,
            WarningLevel.PROGRESS,
            colour_for(ctx.profile, value),
            evidence(
                summary,
                CENTRAL,
                ctx.cite("warnings.central_funds_min_ratio"),
                required_ratio=required,
                **s.numbers(),
            ),
        )
