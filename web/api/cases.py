"""API endpoints of warnings, cases and the task inbox (X2): list, claim, complete."""

from __future__ import annotations

from flask import Response, jsonify, request

from keyproj.clock import now_utc
from keyproj.codes import CaseStatus, WarningLevel, WarningStatus
from keyproj.services.cases import commands as cases
from keyproj.services.cases.views import api as api_reads
from keyproj.services.cases.views.inbox import inbox_filters
from web.api import bp, serialize
from web.api.auth import api_viewer
from web.api.errors import error_response
from web.api.parse import filters, json_body
from web.db import db_session, state


@bp.get("/warnings", endpoint="warnings")
def warnings() -> Response:
    """Warnings of the projects the token's user may see, newest first."""
    read = filters()
    status = read.read_code("status", WarningStatus.labels())
    project_id = read.read_id("project_id")
    level = read.read_code("level", WarningLevel.labels())
    read.done()
    rows = api_reads.list_warnings(
        db_session(), api_viewer(), status=status, project_id=project_id, level=level
    )
    return jsonify({"count": len(rows), "warnings": [serialize.warning(w) for w in rows]})


@bp.get("/cases", endpoint="cases")
def case_list() -> Response:
    """Cases the token's user may see, newest first."""
    read = filters()
    status = read.read_code("status", CaseStatus.labels())
    read.done()
    rows = api_reads.list_cases(db_session(), api_viewer(), status)
    return jsonify({"count": len(rows), "cases": [serialize.case(c) for c in rows]})


@bp.get("/cases/<int:case_id>", endpoint="case")
def case_detail(case_id: int) -> Response:
    """One case: its warning, open tasks and the event timeline (who did what, when)."""
    detail = api_reads.case_detail(db_session(), api_viewer(), case_id)
    body = serialize.case(detail.case)
    body["open_tasks"] = [serialize.task(t) for t in detail.tasks]
    body["events"] = [
        serialize.event(e, detail.actor_names, detail.unit_names) for e in detail.events
    ]
    return jsonify(body)


@bp.get("/tasks", endpoint="tasks")
def tasks() -> Response:
    """The token's user's inbox: the inbox page's query, filters and order, a page at a time."""
    filters = inbox_filters(request.args, strict=True)
    page = api_reads.inbox_tasks(db_session(), api_viewer(), filters, now_utc())
    tasks = [serialize.inbox_task(r) for r in page.rows]
    return jsonify({"count": len(tasks), "total": page.total, "page": filters.page, "tasks": tasks})


@bp.post("/tasks/<int:task_id>/claim", endpoint="claim_task")
def claim(task_id: int) -> Response:
    """Claim a ready task; a task outside the user's cases is a 404, someone else's claim a 409."""
    session, viewer = db_session(), api_viewer()
    row = cases.claim_task(session, viewer, task_id, now_utc())
    session.commit()
    return jsonify(serialize.task(row))


@bp.post("/tasks/<int:task_id>/complete", endpoint="complete_task")
def complete(task_id: int) -> Response:
    """Submit a task's form (the body is the form's data); after its deadline a 409."""
    session, viewer = db_session(), api_viewer()
    form_data = json_body()
    result = cases.complete_task(
        session, viewer, task_id, form_data, state().profile, now_utc(), as_sent=True
    )
    # A late submission is refused but kept in the case's log: commit either way.
    session.commit()
    if not result.accepted:
        return error_response(409, "deadline_passed", result.message)
    return jsonify(
        {
            "accepted": True,
            "message": result.message,
            "case_status": result.case_status,
            "now_waiting_for": result.now_waiting_for,
        }
    )
