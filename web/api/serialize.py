"""The JSON shapes of the API: codes with their Chinese labels, amounts as decimal strings, ISO times."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from keyproj.clock import BEIJING
from keyproj.codes import (
    COLOURS,
    ISSUE_CATEGORIES,
    PROJECT_LEVELS,
    PROJECT_NATURES,
    PROJECT_STAGES,
    START_STATUSES,
    TEAM_ROLES,
    WARNING_LEVELS,
)
from keyproj.db.models import (
    Case,
    CaseEvent,
    EarlyWarning,
    HumanTask,
    Project,
    ProjectIssue,
    Report,
)
from keyproj.services.projects.reports import FIELDS as REPORT_FIELDS
from keyproj.services.projects.views.projects import ISSUE_STATUSES, REPORT_STATUSES, ProjectDetail

JSON = dict[str, Any]


def amount(value: Decimal | None) -> str | None:
    """An amount (万元) or percentage as a plain decimal string: exact, unlike a float."""
    return None if value is None else format(value.normalize(), "f")


def day(value: date | None) -> str | None:
    """A date as YYYY-MM-DD."""
    return None if value is None else value.isoformat()


def moment(value: datetime | None) -> str | None:
    """A time in Beijing time, ISO 8601 with its +08:00 offset."""
    return None if value is None else value.astimezone(BEIJING).isoformat()


def plain(value: Any) -> Any:
    """Any stored value made JSON-friendly."""
    if isinstance(value, Decimal):
        return amount(value)
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def project(p: Project) -> JSON:
    """A project's registry facts."""
    return {
        "id": p.id,
        "code": p.code,
        "name": p.name,
        "level": p.level,
        "level_label": PROJECT_LEVELS.get(p.level, p.level),
        "nature": p.nature,
        "nature_label": PROJECT_NATURES.get(p.nature, p.nature),
        "stage": p.stage,
        "stage_label": PROJECT_STAGES.get(p.stage, p.stage),
        "total_investment": amount(p.total_investment),
        "central_funds": p.central_funds,
        "government_invested": p.government_invested,
        "lead_unit": {"id": p.lead_unit.id, "code": p.lead_unit.code, "name": p.lead_unit.name},
        "leader_name": p.leader.name if p.leader else None,
        "construction_unit": p.construction_unit,
        "location": p.location,
        "industry_chain": p.industry_chain,
        "approved_on": day(p.approved_on),
        "planned_start": day(p.planned_start),
        "planned_completion": day(p.planned_completion),
    }


def project_detail(d: ProjectDetail) -> JSON:
    """A project with its team, current plan and warnings."""
    return {
        **project(d.project),
        "description": d.project.description,
        "team": [
            {
                "role": t.role,
                "role_label": TEAM_ROLES.get(t.role, t.role),
                "name": t.name,
                "phone": t.phone,
                "unit_name": t.unit_name,
                "leader_name": t.leader_name,
            }
            for t in d.team
        ],
        "plan": None
        if d.plan is None
        else {
            "year": d.plan_year,
            "status": d.plan.status,
            "annual_investment": amount(d.plan.annual_investment),
            "milestones": d.plan.milestones,
            "periods": [
                {
                    "period": pp.period,
                    "planned_investment": amount(pp.planned_investment),
                    "planned_progress_pct": amount(pp.planned_progress_pct),
                    "milestone": pp.milestone,
                }
                for pp in d.plan_periods
            ],
        },
        "open_issue_count": len(d.open_issues),
        "warnings": [warning(w, with_project=False) for w in d.warnings],
    }


def report(r: Report) -> JSON:
    """A progress report with its AL6 content; ``locked`` once submitted."""
    body: JSON = {"id": r.id, "project_id": r.project_id, "period": r.period}
    body["period_end"] = day(r.period_end)
    body["status"] = r.status
    body["status_label"] = REPORT_STATUSES.get(r.status, r.status)
    body["locked"] = r.status == "submitted"
    body.update({name: plain(getattr(r, name)) for name in REPORT_FIELDS})
    body["start_status_label"] = START_STATUSES.get(r.start_status, r.start_status)
    body["submitted_at"] = moment(r.submitted_at)
    body["signed_off_at"] = moment(r.signed_off_at)
    return body


def issue(i: ProjectIssue) -> JSON:
    """A major-issue ledger entry (LP7)."""
    return {
        "id": i.id,
        "project_id": i.project_id,
        "category": i.category,
        "category_label": ISSUE_CATEGORIES.get(i.category, i.category),
        "title": i.title,
        "description": i.description,
        "owner_unit": {"code": i.owner_unit.code, "name": i.owner_unit.name},
        "urgent": i.urgent,
        "opened_on": day(i.opened_on),
        "status": i.status,
        "status_label": ISSUE_STATUSES.get(i.status, i.status),
        "resolved_on": day(i.resolved_on),
        "resolution": i.resolution,
    }


def warning(w: EarlyWarning, with_project: bool = True) -> JSON:
    """A warning with the numbers that raised it."""
    body: JSON = {
        "id": w.id,
        "rule_id": w.rule_id,
        "project_id": w.project_id,
        "period": w.period,
        "level": w.level,
        "level_label": WARNING_LEVELS.get(w.level, w.level),
        "colour": w.colour,
        "colour_label": COLOURS.get(w.colour, w.colour),
        "evidence": w.evidence,
        "source": w.source,
        "status": w.status,
        "raised_at": moment(w.raised_at),
        "closed_at": moment(w.closed_at),
    }
    if with_project:
        body["project_name"] = w.project.name if w.project else None
    return body


def case(c: Case) -> JSON:
    """A case's summary."""
    return {
        "id": c.id,
        "warning": warning(c.warning),
        "status": c.status,
        "outcome": c.outcome,
        "notice_number": c.notice_number,
        "opened_at": moment(c.opened_at),
        "closed_at": moment(c.closed_at),
    }


def task(t: HumanTask) -> JSON:
    """A human task as the inbox lists it; ``form`` names its JSON schema."""
    return {
        "id": t.id,
        "case_id": t.case_id,
        "name": t.name,
        "title": t.title,
        "lane": t.lane,
        "form": t.form,
        "status": t.status,
        "due_at": moment(t.due_at),
        "ready_at": moment(t.ready_at),
        "claimed_by_id": t.claimed_by_id,
        "claimed_at": moment(t.claimed_at),
        "completed_at": moment(t.completed_at),
    }


def event(e: CaseEvent, actors: dict[int, str], units: dict[int, str]) -> JSON:
    """One entry of a case's timeline: what happened, who did it for which unit, when."""
    return {
        "seq": e.seq,
        "kind": e.kind,
        "actor_id": e.actor_id,
        "actor_name": actors.get(e.actor_id) if e.actor_id is not None else None,
        "unit_id": e.unit_id,
        "unit_name": units.get(e.unit_id) if e.unit_id is not None else None,
        "task_name": e.task_name,
        "data": e.data,
        "occurred_at": moment(e.occurred_at),
        "hash": e.hash,
    }
