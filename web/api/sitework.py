"""API reads of site work: a spot-check cycle's plan and checks (LP10), a week's site visits
and shortfalls (GS3, DC2), the industry chains and one chain's page (DC5); scoped as the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, jsonify, request

from keyproj import periods
from keyproj.clock import today_beijing
from keyproj.errors import NotFound
from keyproj.services.chains.views import NOT_SET, ChainPage, chain_page, chains_for
from keyproj.services.spot_checks.views import plan_view
from keyproj.services.visits.weeks import flags_of_week, visits_of
from keyproj.validation import QueryArgs
from web.api import bp
from web.api.auth import api_viewer
from web.api.serialize import amount, day
from web.db import db_session, state

JSON = dict[str, Any]


def _on() -> date:
    """The day ``on`` asked for (YYYY-MM-DD), else today in Beijing."""
    read = QueryArgs(request.args, {"on": "日期"}, blank_is_given=True)
    on = read.read_date("on")
    read.done()
    return on or today_beijing()


@bp.get("/spot-checks", endpoint="spot_checks")
def spot_checks() -> Response:
    """The plan and checks of the cycle holding the day ``on`` (default: today), LP10."""
    view = plan_view(db_session(), state().profile, api_viewer(), None, _on())
    return jsonify(
        {
            "cycle": view.cycle.key,
            "threshold_wan": view.threshold_wan,
            "plan_id": view.plan_id,
            "seed": view.seed,
            "entries": [
                {
                    "project_id": e.project_id,
                    "project_code": e.project_code,
                    "project_name": e.project_name,
                    "total_investment": amount(e.total_investment),
                    "reason": e.reason,
                    "reason_label": e.reason_label,
                    "note": e.note,
                    "removed": e.removed,
                    "removal_reason": e.removal_reason,
                    "checks": e.checks,
                }
                for e in view.entries
            ],
            "checks": [
                {
                    "id": c.id,
                    "project_id": c.project_id,
                    "checked_on": day(c.checked_on),
                    "checkers": c.checkers,
                    "findings": c.findings,
                    "warning_id": c.warning_id,
                    "issue_id": c.issue_id,
                }
                for c in view.checks
            ],
        }
    )


@bp.get("/visits", endpoint="visits")
def visits() -> Response:
    """The visits of the week holding the day ``on`` (default: today) and the roles flagged
    short in it (GS3, DC2)."""
    week = periods.containing("weekly", _on())
    session, viewer = db_session(), api_viewer()
    return jsonify(
        {
            "week": week.key,
            "start": day(week.start),
            "end": day(week.end),
            "visits": [
                {
                    "id": v.id,
                    "project_id": v.project_id,
                    "role": v.role.value,
                    "role_label": v.role.label,
                    "person": v.person,
                    "visited_on": day(v.visited_on),
                    "kind": v.kind.value,
                    "kind_label": v.kind.label,
                    "notes": v.notes,
                }
                for v in visits_of(session, viewer, week.start, week.end)
            ],
            "short": [
                {
                    "project_id": f.project_id,
                    "role_label": f.role_label,
                    "person": f.person,
                    "required": f.required,
                    "made": f.made,
                }
                for f in flags_of_week(session, viewer, week.key)
            ],
        }
    )


@bp.get("/chains", endpoint="chains")
def chains() -> Response:
    """The industry chains the user may see (DC5); none, with the reason, where the regulation
    has no chains."""
    viewer = api_viewer()
    if state().profile.chains is None:
        return jsonify({"chains": [], "reason": NOT_SET})
    return jsonify(
        {
            "chains": [
                {
                    "id": c.id,
                    "name": c.name,
                    "chief": c.chief,
                    "projects": c.projects,
                    "total_investment": amount(c.total_investment),
                }
                for c in chains_for(db_session(), viewer)
            ]
        }
    )


@bp.get("/chains/<int:chain_id>", endpoint="chain")
def chain(chain_id: int) -> Response:
    """One chain: its plan, lists and projects' progress for the last progress period ended
    by the day ``on`` (default: today); not found where the regulation has no chains."""
    viewer = api_viewer()
    if state().profile.chains is None:
        raise NotFound(NOT_SET)
    page = chain_page(db_session(), state().profile, viewer, chain_id, _on())
    return jsonify(_chain(page))


def _chain(page: ChainPage) -> JSON:
    c = page.chain
    return {
        "id": c.id,
        "name": c.name,
        "chief": c.chief.name if c.chief else None,
        "plan": c.plan,
        "period": page.period.key,
        "matters": [
            {
                "text": m.text,
                "owner_unit": m.owner_unit.name if m.owner_unit else None,
                "due_on": day(m.due_on),
            }
            for m in page.matters
        ],
        "parks": [p.text for p in page.parks],
        "companies": [p.text for p in page.companies],
        "projects": [
            {
                "project_id": r.evaluation.project_id,
                "code": r.evaluation.code,
                "name": r.evaluation.name,
                "unit": r.evaluation.unit_name,
                "total_investment": amount(r.total_investment),
                "outcome": r.evaluation.outcome,
                "outcome_label": r.colour_label,
                "completed": amount(r.evaluation.standing.completed)
                if r.evaluation.standing
                else None,
                "planned": amount(r.evaluation.standing.planned) if r.evaluation.standing else None,
                "progress_pct": amount(r.evaluation.standing.progress_pct)
                if r.evaluation.standing
                else None,
                "open_warnings": r.open_warnings,
                "open_cases": r.open_cases,
            }
            for r in page.projects
        ],
    }
