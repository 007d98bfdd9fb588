"""API endpoints of projects, their progress reports and their issue ledgers."""

from __future__ import annotations

from flask import Response, jsonify, url_for

from keyproj.clock import today_beijing
from keyproj.codes import ISSUE_CATEGORIES, PROJECT_LEVELS, IssueStatus, ReportStatus
from keyproj.services.access import visible_project
from keyproj.services.projects.issues import issue_list, open_issue
from keyproj.services.projects.project import project_page
from keyproj.services.projects.reports import report_list, submit_report
from keyproj.services.projects.views.projects import SEARCH_MAX_LENGTH, project_detail
from web.api import bp, serialize
from web.api.auth import api_viewer
from web.api.paging import page_response, paging
from web.api.parse import filters, issue_body, json_body, report_body
from web.db import db_session, state


@bp.get("/projects", endpoint="projects")
def projects() -> Response:
    """A page of the projects the token's user may see, filtered by lead unit, level and keyword."""
    asked = paging()
    read = filters()
    unit_id, level = read.read_id("unit_id"), read.read_code("level", PROJECT_LEVELS)
    search = read.read_keyword("q", SEARCH_MAX_LENGTH)
    read.done()
    page = project_page(
        db_session(), api_viewer(), asked, unit_id=unit_id, level=level, search=search
    )
    return page_response("projects", page, serialize.project)


@bp.get("/projects/<int:project_id>", endpoint="project")
def project(project_id: int) -> Response:
    """One project with its team, current plan and warnings; outside the user's scope a 404."""
    detail = project_detail(db_session(), api_viewer(), project_id, today_beijing())
    return jsonify(serialize.project_detail(detail))


@bp.get("/projects/<int:project_id>/reports", endpoint="reports")
def reports(project_id: int) -> Response:
    """A page of a project's progress reports, newest period first."""
    asked = paging()
    found = visible_project(db_session(), api_viewer(), project_id)
    return page_response("reports", report_list(db_session(), found.id, asked), serialize.report)


@bp.post("/projects/<int:project_id>/reports", endpoint="submit_report")
def submit(project_id: int) -> tuple[Response, int, dict[str, str]]:
    """Save and submit a period's report (AL6); it locks, and the rule scan is requested."""
    session, viewer = db_session(), api_viewer()
    found = visible_project(session, viewer, project_id)
    period, data = report_body(json_body())
    report = submit_report(session, viewer, found, period, data, state().profile, today_beijing())
    session.commit()
    if report.status == ReportStatus.SUBMITTED:
        state().request_scan()  # never raises: the outbox row committed above is the promise
    location = url_for("api.reports", project_id=found.id)
    return jsonify(serialize.report(report)), 201, {"Location": location}


@bp.get("/projects/<int:project_id>/issues", endpoint="issues")
def issues(project_id: int) -> Response:
    """A page of a project's issue ledger (LP7), filtered by status and category."""
    asked = paging()
    session, viewer = db_session(), api_viewer()
    found = visible_project(session, viewer, project_id)
    read = filters()
    status = read.read_code("status", IssueStatus.labels())
    category = read.read_code("category", ISSUE_CATEGORIES)
    read.done()
    page = issue_list(session, viewer, asked, project_id=found.id, status=status, category=category)
    return page_response("issues", page, serialize.issue)


@bp.post("/projects/<int:project_id>/issues", endpoint="open_issue")
def add_issue(project_id: int) -> tuple[Response, int]:
    """Record an issue in the project's ledger (LP7)."""
    session, viewer = db_session(), api_viewer()
    found = visible_project(session, viewer, project_id)
    today = today_beijing()
    issue = open_issue(
        session, viewer, found, issue_body(json_body(), today), today, state().profile
    )
    session.commit()
    return jsonify(serialize.issue(issue)), 201
