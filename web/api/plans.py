"""API endpoints of year plans (LP6, AL4, AL5, HD1): a project's plan with its versions, one
version; the lead unit drafts and submits, the key office approves or returns."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request, url_for

from keyproj.clock import today_beijing
from keyproj.codes import UNIT_STAFF_ROLES, Role
from keyproj.db.models import PlanVersion, Project
from keyproj.errors import PermissionDenied
from keyproj.inputs import parse_year
from keyproj.services.access import Viewer, visible_project
from keyproj.services.projects import plan_windows as windows
from keyproj.services.projects.plans import reject_version
from keyproj.services.projects.views.plans import plan_page, visible_version
from keyproj.validation import QueryArgs
from web.api import bp
from web.api.auth import api_viewer
from web.api.parse import decision_body, json_body, plan_body
from web.api.serialize import amount, day, moment
from web.db import db_session, state

JSON = dict[str, Any]


@bp.get("/projects/<int:project_id>/plans", endpoint="project_plans")
def project_plans(project_id: int) -> Response:
    """A project's plan for ``year`` (default: this Beijing year): its versions, newest first."""
    rules = state().profile.plans
    page = plan_page(db_session(), api_viewer(), project_id, _year(), rules)
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


@bp.post("/projects/<int:project_id>/plans", endpoint="draft_plan")
def draft(project_id: int) -> tuple[Response, int, dict[str, str]]:
    """Draft the year's plan (or a revision of the approved one) with its breakdown (LP6, AL5)."""
    session, viewer, rules = db_session(), api_viewer(), state().profile.plans
    project = visible_project(session, viewer, project_id)
    _require_lead_unit(viewer, project)
    year = _year()
    data, records = plan_body(json_body())
    made = windows.draft_plan(session, viewer, project, year, data, records, rules, today_beijing())
    session.commit()
    location = url_for("api.plan_version", version_id=made.id)
    return jsonify(version(made, rules)), 201, {"Location": location}


@bp.post("/plans/versions/<int:version_id>/submit", endpoint="submit_plan")
def submit(version_id: int) -> Response:
    """Send a draft to the key office (a calibration once the unit head has signed, AL4)."""
    session, viewer, rules = db_session(), api_viewer(), state().profile.plans
    found = visible_version(session, viewer, version_id)
    _require_lead_unit(viewer, found.plan.project)
    windows.submit_plan(session, viewer, found, rules)
    session.commit()
    return jsonify(version(found, rules))


@bp.post("/plans/versions/<int:version_id>/approve", endpoint="approve_plan")
def approve(version_id: int) -> Response:
    """The key office approves: the version becomes the plan in force (AL5: with the decision)."""
    session, viewer, rules = db_session(), api_viewer(), state().profile.plans
    found = visible_version(session, viewer, version_id)
    _require_key_office(viewer)
    note, decision = decision_body(json_body())
    windows.approve_plan(session, viewer, found, rules, note, decision)
    session.commit()
    return jsonify(version(found, rules))


@bp.post("/plans/versions/<int:version_id>/return", endpoint="return_plan")
def send_back(version_id: int) -> Response:
    """The key office returns the version with its reason."""
    session, viewer, rules = db_session(), api_viewer(), state().profile.plans
    found = visible_version(session, viewer, version_id)
    _require_key_office(viewer)
    note, _ = decision_body(json_body())
    reject_version(session, viewer, found, note or "")
    session.commit()
    return jsonify(version(found, rules))


def _require_lead_unit(viewer: Viewer, project: Project) -> None:
    """Through the API only the project's lead unit drafts and submits its plan (LP6)."""
    if not (viewer.has(*UNIT_STAFF_ROLES) and viewer.unit_id == project.lead_unit_id):
        raise PermissionDenied("只有项目牵头责任单位可以编制和报送年度计划")


def _require_key_office(viewer: Viewer) -> None:
    """Only the key office approves or returns a plan."""
    if not viewer.has(Role.KEY_OFFICE):
        raise PermissionDenied("只有重点办可以审批或退回年度计划")


def _year() -> int:
    """The ``year`` query argument (default: this Beijing year); a bad one is a 422 naming it."""
    read = QueryArgs(request.args, {"year": "年度"}, blank_is_given=True)
    year = read.read("year", parse_year)
    read.done()
    return year or today_beijing().year


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
