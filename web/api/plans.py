"""API endpoints of year plans (LP6, AL4, AL5, HD1): a project's plan with its versions, one version."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from keyproj.clock import today_beijing
from keyproj.db.models import PlanVersion
from keyproj.inputs import parse_year
from keyproj.services.projects import plan_windows as windows
from keyproj.services.projects.views.plans import plan_page, visible_version
from keyproj.validation import QueryArgs
from web.api import bp
from web.api.auth import api_viewer
from web.api.serialize import amount, day, moment
from web.db import db_session, state

JSON = dict[str, Any]


@bp.get("/projects/<int:project_id>/plans", endpoint="project_plans")
def project_plans(project_id: int) -> Response:
    """A project's plan for ``year`` (default: this Beijing year): its versions, newest first."""
    read = QueryArgs(request.args, {"year": "年度"}, blank_is_given=True)
    year = read.read("year", parse_year)
    read.done()
    rules = state().profile.plans
    page = plan_page(db_session(), api_viewer(), project_id, year or today_beijing().year, rules)
    return jsonify(
        {
            "project_id": page.project.id,
            "year": page.year,
            "breakdown": rules.breakdown,
            "due_on": day(page.due),
            "current_version_id": page.current.id if page.current else None,
            "versions": [version(v, rules) for v in page.versions],
        }
    )


@bp.get("/plans/versions/<int:version_id>", endpoint="plan_version")
def plan_version(version_id: int) -> Response:
    """One plan version with its breakdown; outside the user's scope a 404."""
    found = visible_version(db_session(), api_viewer(), version_id)
    return jsonify(version(found, state().profile.plans))


def version(v: PlanVersion, rules: windows.Plans) -> JSON:
    """A plan version: figures, state, the records its window asks for, and its periods."""
    return {
        "id": v.id,
        "number": v.number,
        "kind": v.kind,
        "status": v.status,
        "annual_investment": amount(v.annual_investment),
        "milestones": v.milestones,
        "reason": v.reason,
        "responsible_leader": v.responsible_leader,
        "responsible_person": v.responsible_person,
        "signed_at": moment(v.signed_at),
        "request": v.request,
        "government_decision": v.government_decision,
        "submitted_at": moment(v.submitted_at),
        "decided_at": moment(v.decided_at),
        "decision_note": v.decision_note,
        "late": windows.is_late(v, rules, v.plan.year),
        "periods": [
            {
                "period": p.period,
                "planned_investment": amount(p.planned_investment),
                "planned_progress_pct": amount(p.planned_progress_pct),
                "milestone": p.milestone,
                "procedures": p.procedures,
            }
            for p in v.periods
        ],
    }
