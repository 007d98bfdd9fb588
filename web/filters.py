"""Jinja filters: 万元 amounts, percentages, Beijing times, code labels, period and rule names,
evidence in words and clause codes (the wording is keyproj.services.reference.wording's)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from decimal import Decimal

from flask import Flask, current_app

from keyproj import codes
from keyproj.policy.clauses import Clause, clause
from keyproj.services.reference import wording

log = logging.getLogger(__name__)
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


def label(code: str | None, table: str) -> str:
    """The Chinese label of ``code`` in the code list ``table``; an unknown code is logged and
    shown as 其他, never as the code itself."""
    if not code:
        return EMPTY
    member = LABELS[table].parse(code)
    if member is None:
        log.warning("a %s code without a label: %s", table, code)
        return "其他"
    return member.label


def clause_of(code: str) -> Clause | None:
    """The clause behind ``code`` when it is the active profile's regulation's: a rule cites the
    matching clause of every jurisdiction (LP11-1, HD3, AL13, ...), a page links its own."""
    found = clause(code)
    seed = current_app.extensions["keyproj"].profile.profile.seed
    return found if found is not None and found.seed == seed else None


def clause_refs(codes: Iterable[str]) -> list[tuple[str, Clause]]:
    """The clauses ``codes`` cite in the active regulation, one per article (LP11-1 and LP11-3
    are both 第十一条), in order."""
    refs: dict[str, tuple[str, Clause]] = {}
    for code in codes:
        found = clause_of(code)
        if found is not None:
            refs.setdefault(found.id, (code, found))
    return list(refs.values())


FILTERS: dict[str, Callable[..., object]] = {
    "amount": amount,
    "percent": percent,
    "beijing_time": wording.beijing_time,
    "day": wording.day,
    "label": label,
    "period_label": wording.period_label,
    "evidence": wording.evidence_text,
    "evidence_lines": wording.evidence,
    "rule_name": wording.rule_name,
    "without_clauses": wording.without_clauses,
    "clauses_in": wording.clauses_in,
    "citation": wording.citation,
    "clause_refs": clause_refs,
}


def register(app: Flask) -> None:
    """Make the filters, and the code lists (for comparisons such as ``codes.TaskStatus.READY``),
    available to templates."""
    for name, func in FILTERS.items():
        app.add_template_filter(func, name)
    app.jinja_env.globals["codes"] = codes
    app.jinja_env.globals["clause_of"] = clause_of
