"""Jinja filters: 万元 amounts, percentages, Beijing times, code labels and period names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import Flask

from keyproj import codes, periods
from keyproj.clock import BEIJING
from keyproj.errors import ValidationError

EMPTY = "—"
# The code lists templates name in ``label``: one label per code, whatever page shows it.
LABELS: dict[str, type[codes.Code]] = {
    "level": codes.ProjectLevel,
    "nature": codes.ProjectNature,
    "stage": codes.ProjectStage,
    "team_role": codes.TeamRole,
    "issue_category": codes.IssueCategory,
    "issue_status": codes.IssueStatus,
    "warning_level": codes.WarningLevel,
    "warning_status": codes.WarningStatus,
    "colour": codes.Colour,
    "plan_status": codes.PlanStatus,
    "report_status": codes.ReportStatus,
    "start_status": codes.StartStatus,
    "unit_kind": codes.UnitKind,
    "role": codes.Role,
    "case_status": codes.CaseStatus,
    "case_outcome": codes.CaseOutcome,
    "case_unit_role": codes.CaseUnitRole,
    "task_status": codes.TaskStatus,
    "update_kind": codes.UpdateKind,
    "notification_kind": codes.NotificationKind,
}


def amount(value: Decimal | None) -> str:
    """An amount in 万元 with thousands separators and no trailing zeros: 12,000 or 8,800.5."""
    if value is None:
        return EMPTY
    text = f"{Decimal(value).quantize(Decimal('0.0001')):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(value: Decimal | None) -> str:
    """A percentage number without trailing zeros (the column header carries the %)."""
    return amount(value)


def beijing_time(value: datetime | None) -> str:
    """A stored UTC moment shown in Beijing time, to the minute."""
    if value is None:
        return EMPTY
    return value.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def day(value: date | None) -> str:
    """A calendar date as 2026-03-31."""
    return value.isoformat() if value else EMPTY


def label(code: str | None, table: str) -> str:
    """The Chinese label of ``code`` in the code list ``table``; unknown codes show as they are."""
    if not code:
        return EMPTY
    return LABELS[table].label_of(code)


def period_label(key: str | None) -> str:
    """A period key (2026-03, 2026-03-1, 2026-W12, 2026-Q1) as 2026年3月 and so on."""
    if not key:
        return EMPTY
    for cycle in periods.CYCLE_LABELS:
        try:
            return periods.parse(cycle, key).label
        except ValidationError:
            continue
    return key


def evidence(value: dict[str, Any] | None) -> str:
    """A warning's evidence as "key：value" pairs."""
    if not value:
        return EMPTY
    return "；".join(f"{k}：{v}" for k, v in value.items())


FILTERS: dict[str, Callable[..., str]] = {
    "amount": amount,
    "percent": percent,
    "beijing_time": beijing_time,
    "day": day,
    "label": label,
    "period_label": period_label,
    "evidence": evidence,
}


def register(app: Flask) -> None:
    """Make the filters, and the code lists (for comparisons such as ``codes.TaskStatus.READY``),
    available to templates."""
    for name, func in FILTERS.items():
        app.add_template_filter(func, name)
    app.jinja_env.globals["codes"] = codes
