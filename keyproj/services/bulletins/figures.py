"""The figures of a bulletin period, section by section, each with what it was computed from."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from keyproj import periods
from keyproj.clock import BEIJING
from keyproj.codes import STARTED, ProjectStage, ReportStatus
from keyproj.db.models import Case, EarlyWarning, HumanTask, Project, Report, SupervisionMatter
from keyproj.policy import PolicyProfile
from keyproj.rules.base import listed_by
from keyproj.services.access import Viewer
from keyproj.services.decisions.warnings import early_warnings
from keyproj.services.evaluation.colours import colour_board
from keyproj.services.rankings.compute import rank

# Colours the bulletin names project by project: those falling behind (LP19 通报滞后项目).
LISTED = ("red", "yellow")
# Reaching the county government's assignment is an escalation (LP15, HD6, GS1, DC3).
ESCALATION_TASK = "county_gov_assign"
PLACES = Decimal("0.0001")


def bulletin_period(profile: PolicyProfile, key: str) -> periods.Period:
    """Period ``key`` of the profile's bulletin cadence (LP19 monthly, GS1 weekly)."""
    return periods.parse(profile.bulletin.cadence, key)


def compute(session: Session, profile: PolicyProfile, viewer: Viewer, key: str) -> dict[str, Any]:
    """Every section's figures for period ``key``, as stored with the bulletin (JSON-ready)."""
    period = bulletin_period(profile, key)
    start, end = _utc_bounds(period)
    return {
        "period": period.key,
        "cadence": period.cycle,
        "label": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        **_progress(session, profile, viewer, period),
        "starts": _starts(session, profile, period.end),
        "warnings": _warnings(session, start, end),
        "escalations": _escalations(session, start, end),
        "supervision": _supervision(session, start, end),
        "ranking": _ranking(session, profile, period.end),
    }


def _utc_bounds(period: periods.Period) -> tuple[datetime, datetime]:
    """The period's Beijing days as an instant range [start, end)."""
    start = datetime.combine(period.start, time(), BEIJING)
    return start, datetime.combine(period.end + timedelta(days=1), time(), BEIJING)


def _text(value: Decimal) -> str:
    """An amount as stored: plain digits, no trailing zeros (12000.0000 → 12000)."""
    return format(value.normalize(), "f")


def _rate(part: Decimal, whole: Decimal) -> str | None:
    return str((part / whole).quantize(PLACES)) if whole else None


def _progress(
    session: Session, profile: PolicyProfile, viewer: Viewer, period: periods.Period
) -> dict[str, Any]:
    """Overall progress, investment completion and projects by colour, from the four-colour
    evaluation of the progress period holding the bulletin period's end (HD3, LP11)."""
    key = periods.containing(profile.warnings.progress_cycle, period.end).key
    board = colour_board(session, viewer, profile, key)
    judged = [e for e in board.evaluations if e.standing is not None]
    planned = sum((e.standing.planned for e in judged if e.standing), Decimal(0))
    completed = sum((e.standing.completed for e in judged if e.standing), Decimal(0))
    listed = [
        {
            "project_id": e.project_id,
            "code": e.code,
            "name": e.name,
            "unit_id": e.unit_id,
            "unit": e.unit_name,
            "colour": e.outcome,
            "report_id": e.report_id,
            "report_period": e.standing.report_period if e.standing else None,
            "plan_year": e.plan_year,
            "planned": _text(e.standing.planned) if e.standing else None,
            "completed": _text(e.standing.completed) if e.standing else None,
        }
        for e in board.evaluations
        if e.outcome in LISTED
    ]
    return {
        "progress": {
            "evaluation_period": board.period.key,
            "projects": len(board.evaluations),
            "judged": len(judged),
            "basis": board.basis,
        },
        "investment": {
            "planned": _text(planned),
            "completed": _text(completed),
            "rate": _rate(completed, planned),
            "rule": "完成率 = 已评价项目年度完成投资之和 ÷ 截至报告期末序时计划投资之和",
        },
        "colours": {
            "counts": board.counts,
            "labels": {o: board.label(o) for o in board.outcomes},
            "listed": listed,
        },
    }


def _starts(session: Session, profile: PolicyProfile, end: date) -> list[dict[str, Any]]:
    """AL2: the start rate at each of the year's checkpoints passed by the period's end."""
    out = []
    for target in profile.starts.targets:
        checkpoint = target.on(end.year)
        if checkpoint > end:
            continue
        started = exists().where(
            Report.project_id == Project.id,
            Report.status == ReportStatus.SUBMITTED,
            Report.start_status.in_(STARTED),
            Report.started_on <= checkpoint,
        )
        due = (
            Project.nature != "preliminary",
            Project.stage != ProjectStage.IN_USE,
            listed_by(checkpoint),
        )
        total, begun = session.execute(
            select(func.count(), func.count().filter(started)).select_from(Project).where(*due)
        ).one()
        rate = _rate(Decimal(begun), Decimal(total))
        out.append(
            {
                "by": checkpoint.isoformat(),
                "target": str(target.rate),
                "total": total,
                "started": begun,
                "rate": rate,
                "met": rate is not None and Decimal(rate) >= Decimal(str(target.rate)),
            }
        )
    return out


def _warnings(session: Session, start: datetime, end: datetime) -> dict[str, Any]:
    """Warnings raised in the period and where their cases stand now (LP13, LP19)."""
    rows = session.execute(
        select(EarlyWarning.id, Case.status, Case.outcome)
        .outerjoin(Case, Case.id == EarlyWarning.case_id)
        .where(EarlyWarning.raised_at >= start, EarlyWarning.raised_at < end, early_warnings())
    ).all()
    stand: Counter[str] = Counter()
    for _, status, outcome in rows:
        if status is None:
            stand["triage"] += 1
        elif outcome is not None:
            stand[str(outcome.value)] += 1
        else:
            stand[str(status.value)] += 1
    return {"raised": len(rows), "standing": dict(sorted(stand.items()))}


def _escalations(session: Session, start: datetime, end: datetime) -> dict[str, Any]:
    """Cases that reached the county government in the period (LP15)."""
    count = session.scalar(
        select(func.count(func.distinct(HumanTask.case_id))).where(
            HumanTask.name == ESCALATION_TASK,
            HumanTask.ready_at >= start,
            HumanTask.ready_at < end,
        )
    )
    return {"cases": int(count or 0), "task": ESCALATION_TASK}


def _supervision(session: Session, start: datetime, end: datetime) -> dict[str, Any]:
    """Supervision matters filed (督查立项) and concluded in the period (LP20)."""

    def within(column: Any) -> int:
        found = session.scalar(
            select(func.count()).where(column >= start, column < end).select_from(SupervisionMatter)
        )
        return int(found or 0)

    filed = session.scalars(
        select(SupervisionMatter.filing_number).where(
            SupervisionMatter.filed_at >= start, SupervisionMatter.filed_at < end
        )
    ).all()
    return {
        "filed": len(filed),
        "numbers": sorted(n for n in filed if n),
        "concluded": within(SupervisionMatter.concluded_at),
    }


def _ranking(session: Session, profile: PolicyProfile, end: date) -> dict[str, Any]:
    """The ranking (HD5, GS2) of the ranking period holding the bulletin period's end."""
    ranking = rank(session, profile, periods.containing(profile.ranking.cadence, end).key)
    return {
        "period": ranking.period.key,
        "label": ranking.period.label,
        "rule": ranking.rule,
        "groups": [
            {
                "label": g.label,
                "top": [[r.rank, r.unit, r.rate_text] for r in g.top],
                "bottom": [[r.rank, r.unit, r.rate_text] for r in g.bottom],
            }
            for g in ranking.groups
            if any(r.rank for r in g.rows)
        ],
    }
