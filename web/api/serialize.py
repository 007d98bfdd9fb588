"""The JSON shapes of the API: codes with their Chinese labels, amounts as decimal strings, ISO times."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import object_session

from keyproj.clock import BEIJING
from keyproj.codes import (
    CaseOutcome,
    CaseStatus,
    Colour,
    IssueCategory,
    IssueStatus,
    ProjectLevel,
    ProjectNature,
    ProjectStage,
    ReportStatus,
    StartStatus,
    TaskStatus,
    TeamRole,
    WarningLevel,
    WarningStatus,
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
from keyproj.services.cases.views.inbox import InboxRow
from keyproj.services.projects.distribution import distribution_of
from keyproj.services.projects.reports import FIELDS as REPORT_FIELDS
from keyproj.services.projects.views.projects import ProjectDetail
from keyproj.services.reference import wording

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
        "level_label": ProjectLevel.label_of(p.level),
        "nature": p.nature,
        "nature_label": ProjectNature.label_of(p.nature),
        "stage": p.stage,
        "stage_label": ProjectStage.label_of(p.stage),
        "total_investment": amount(p.total_investment),
        "central_funds": p.central_funds,
        "government_invested": p.government_invested,
        "lead_unit": {"id": p.lead_unit.id, "code": p.lead_unit.code, "name": p.lead_unit.name},
        "leader_name": p.leader.name if p.leader else None,
        "construction_unit": p.construction_unit,
        "location": p.location,
        "industry_chain": p.industry_chain,
        "chain_id": p.chain_id,
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
                "role_label": TeamRole.label_of(t.role),
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
        "open_issue_count": d.open_issues.total,
        # The newest warnings; /warnings?project_id= pages through them all.
        "warnings": [warning(w, with_project=False) for w in d.warnings.items],
        "warning_count": d.warnings.total,
    }


def report(r: Report) -> JSON:
    """A progress report with its AL6 content; ``locked`` once submitted."""
    body: JSON = {"id": r.id, "project_id": r.project_id, "period": r.period}
    body["period_end"] = day(r.period_end)
    body["status"] = r.status
    body["status_label"] = ReportStatus.label_of(r.status)
    body["locked"] = r.status == ReportStatus.SUBMITTED
    body.update({name: plain(getattr(r, name)) for name in REPORT_FIELDS})
    body["start_status_label"] = StartStatus.label_of(r.start_status)
    body["submitted_at"] = moment(r.submitted_at)
    body["signed_off_at"] = moment(r.signed_off_at)
    body["distribution"] = _distribution(r)
    return body


def _distribution(r: Report) -> JSON | None:
    """LP8: who the report was copied to, and the bureau's review; None before submission."""
    session = object_session(r)
    shown = distribution_of(session, r) if session is not None else None
    if shown is None:
        return None
    return {
        "status": shown.status,
        "status_label": shown.status.label,
        "copied_to": shown.copied_to,
        "copied_at": moment(shown.copied_at),
        "reviewed_by": shown.reviewed_by,
        "forwarded_at": moment(shown.forwarded_at),
        "forwarded_to": shown.forwarded_to,
        "note": shown.note,
    }


def issue(i: ProjectIssue) -> JSON:
    """A major-issue ledger entry (LP7)."""
    return {
        "id": i.id,
        "project_id": i.project_id,
        "category": i.category,
        "category_label": IssueCategory.label_of(i.category),
        "title": i.title,
        "description": i.description,
        "owner_unit": {"code": i.owner_unit.code, "name": i.owner_unit.name},
        "urgent": i.urgent,
        "opened_on": day(i.opened_on),
        "status": i.status,
        "status_label": IssueStatus.label_of(i.status),
        "resolved_on": day(i.resolved_on),
        "resolution": i.resolution,
    }


def warning(w: EarlyWarning, with_project: bool = True) -> JSON:
    """A warning with the numbers that raised it."""
    body: JSON = {
        "id": w.id,
        "rule_id": w.rule_id,
        "rule_label": wording.rule_name(w.rule_id),
        "project_id": w.project_id,
        "period": w.period,
        "level": w.level,
        "level_label": WarningLevel.label_of(w.level),
        "colour": w.colour,
        "colour_label": Colour.label_of(w.colour),
        "evidence": w.evidence,
        "evidence_text": wording.evidence_text(w.evidence),
        "source": w.source,
        "status": w.status,
        "status_label": WarningStatus.label_of(w.status),
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
        "status_label": CaseStatus.label_of(c.status),
        "outcome": c.outcome,
        "outcome_label": CaseOutcome.label_of(c.outcome) or None,
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
        "status_label": TaskStatus.label_of(t.status),
        "due_at": moment(t.due_at),
        "ready_at": moment(t.ready_at),
        "claimed_by_id": t.claimed_by_id,
        "claimed_at": moment(t.claimed_at),
        "completed_at": moment(t.completed_at),
        "part_unit_id": t.part_unit_id,
    }


def inbox_task(row: InboxRow) -> JSON:
    """A task of the inbox: the task's own fields, with its project and warning beside them."""
    return {
        "id": row.task_id,
        "case_id": row.case_id,
        "name": row.name,
        "title": row.title,
        "lane": row.lane,
        "form": row.form,
        "status": row.status,
        "status_label": TaskStatus.label_of(row.status),
        "due_at": moment(row.deadline.due_at),
        "ready_at": moment(row.ready_at),
        "claimed_by_id": row.claimed_by_id,
        "claimed_at": moment(row.claimed_at),
        "completed_at": None,  # an inbox task is still open
        "part_unit_id": row.part_unit_id,
        "part_unit_name": row.part_unit_name,
        "claimed_by_name": row.claimed_by,
        "overdue": row.deadline.overdue,
        "deadline_text": row.deadline.text,
        "project_id": row.project_id,
        "project_code": row.project_code,
        "project_name": row.project_name,
        "warning_level": row.level,
        "warning_level_label": WarningLevel.label_of(row.level),
        "colour": row.colour,
        # A decided item's task: the item it carries out (its warning only carries the case).
        "decided_item": row.item_matter,
        "decided_item_origin": row.item_origin,
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
