"""API endpoints of warnings, cases and the task inbox (X2): list, claim, complete."""

from __future__ import annotations

from functools import partial

from flask import Response, jsonify, request

from keyproj.clock import now_utc
from keyproj.codes import CaseStatus, WarningLevel, WarningStatus
from keyproj.db.models import CaseEvent
from keyproj.paging import API_PAGE_SIZE, Page
from keyproj.services.cases import commands as cases
from keyproj.services.cases.views import api as api_reads
from keyproj.services.cases.views.inbox import inbox_filters
from web.api import bp, serialize
from web.api.auth import api_viewer
from web.api.errors import error_response
from web.api.paging import page_response, paging
from web.api.parse import filters, json_body
from web.db import db_session, state


@bp.get("/warnings", endpoint="warnings")
def warnings() -> Response:
    """A page of the warnings of the projects the token's user may see, newest first."""
    asked = paging()
    read = filters()
    status = read.read_code("status", WarningStatus.labels())
    project_id = read.read_id("project_id")
    level = read.read_code("level", WarningLevel.labels())
    read.done()
    page = api_reads.list_warnings(
        db_session(), api_viewer(), asked, status=status, project_id=project_id, level=level
    )
    return page_response("warnings", page, serialize.warning)


@bp.get("/cases", endpoint="cases")
def case_list() -> Response:
    """A page of the cases the token's user may see, newest first."""
    asked = paging()
    read = filters()
    status = read.read_code("status", CaseStatus.labels())
    project_id = read.read_id("project_id")
    read.done()
    page = api_reads.list_cases(db_session(), api_viewer(), asked, status, project_id)
    return page_response("cases", page, serialize.case)


@bp.get("/cases/<int:case_id>", endpoint="case")
def case_detail(case_id: int) -> Response:
    """One case: its warning, open tasks and the first events of its log (who did what, when)."""
    detail = api_reads.case_detail(db_session(), api_viewer(), case_id)
    body = serialize.case(detail.case)
    body["open_tasks"] = [serialize.task(t) for t in detail.tasks]
    body["events"] = _events(detail.log)
    body["event_count"] = detail.log.events.total
    return jsonify(body)


@bp.get("/cases/<int:case_id>/events", endpoint="case_events")
def case_events(case_id: int) -> Response:
    """A page of a case's event log, in the order it was written."""
    asked = paging()
    log = api_reads.case_events(db_session(), api_viewer(), case_id, asked)
    return page_response("events", log.events, partial(_event, log))


def _events(log: api_reads.CaseEvents) -> list[serialize.JSON]:
    return [_event(log, e) for e in log.events.items]


def _event(log: api_reads.CaseEvents, event: CaseEvent) -> serialize.JSON:
    return serialize.event(event, log.actor_names, log.unit_names)


@bp.get("/tasks", endpoint="tasks")
def tasks() -> Response:
    """The token's user's inbox: the inbox page's query, filters and order, a page at a time."""
    filters = inbox_filters(request.args, strict=True, per_page=API_PAGE_SIZE)
    inbox = api_reads.inbox_tasks(db_session(), api_viewer(), filters, now_utc())
    page = Page(inbox.rows, inbox.total, inbox.page, inbox.per_page)
    return page_response("tasks", page, serialize.inbox_task)


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
