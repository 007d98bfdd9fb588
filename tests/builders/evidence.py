"""Warning evidence as the rules write it, for tests that store warnings by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from keyproj.rules.base import evidence
from keyproj.rules.no_progress import STALLED
from keyproj.rules.progress import LAG


def lag(planned: str = "1200", completed: str = "600", period: str = "2026-01") -> dict[str, Any]:
    """The evidence of a progress_lag warning (LP11-1): half the plan to date done."""
    ratio = (Decimal(completed) / Decimal(planned)).quantize(Decimal("0.0001"))
    return evidence(
        f"建设进度滞后于序时进度（红色）——年度完成投资{completed}万元，序时计划{planned}万元。",
        LAG,
        "LP11-1 / 本地取值：黄色及红色视为“建设进度未达要求”",
        report_period=period,
        as_of=date(2026, 1, 31),
        planned_investment=Decimal(planned),
        completed_investment=Decimal(completed),
        investment_ratio=ratio,
        planned_progress_pct=Decimal("10"),
        progress_pct=Decimal("5"),
        progress_ratio=Decimal("0.5"),
        ratio=ratio,
    )


# Who a stall calls to TV questioning (GS1), by the threshold it reached.
CALLED = {
    2: {"role": "责任单位主要负责人", "unit": "城关镇", "name": "张明"},
    3: {"role": "分包县领导", "unit": "副县长", "name": "李明"},
}


def stall(threshold: int = 2, weeks: int | None = None) -> dict[str, Any]:
    """The evidence of a no_progress_<threshold>w warning (GS1): ``weeks`` without progress."""
    called = CALLED[min(threshold, 3)]
    return evidence(
        f"自2026年第5周起连续{weeks or threshold}周无实质进度，达到连续{threshold}周，"
        f"按规定对{called['role']}（{called['unit']}{called['name']}）实行电视问政。",
        STALLED,
        "GS1",
        weeks=weeks or threshold,
        threshold_weeks=threshold,
        first_stalled_week="2026-W05",
        latest_week_end=date(2026, 2, 8),
        cumulative_completed=Decimal("600"),
        progress_pct=Decimal("5"),
        called=called,
    )
