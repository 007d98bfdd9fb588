"""Project pages: the list with filters and one project's detail with its plan-against-actual chart."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from keyproj.clock import today_beijing
from keyproj.codes import COLOURS, PROJECT_LEVELS, PROJECT_STAGES
from keyproj.db.models import Project
from keyproj.errors import PermissionDenied
from keyproj.services.access import require_project_writer, visible_project
from keyproj.services.projects.views.projects import (
    NO_WARNING,
    SEARCH_MAX_LENGTH,
    ProjectFilters,
    case_list,
    project_detail,
    project_list,
    warning_list,
)
from keyproj.validation import QueryArgs
from web.auth import current_viewer
from web.db import db_session, state
from web.paging import kept_args, paging

bp = Blueprint("projects", __name__)
COLOUR_CHOICES = {**COLOURS, NO_WARNING: "无预警"}
FILTER_LABELS = {
    "unit": "单位",
    "level": "级别",
    "q": "关键词",
    "colour": "预警颜色",
    "stage": "项目阶段",
}


@bp.route("/projects", endpoint="list")
def list_view() -> str:
    """A page of the projects the user may see, filtered by 单位, 级别, 预警颜色, 项目阶段 and 关键词."""
    listing = project_list(db_session(), current_viewer(), _filters(), paging())
    return render_template(
        "projects/list.html",
        listing=listing,
        levels=PROJECT_LEVELS,
        colours=COLOUR_CHOICES,
        stages=PROJECT_STAGES,
        query=kept_args("unit", "level", "colour", "stage", "q"),
    )


@bp.route("/projects/<int:project_id>", endpoint="detail")
def detail_view(project_id: int) -> str:
    """One project; a project outside the user's scope is a 404."""
    profile = state().profile
    detail = project_detail(
        db_session(), current_viewer(), project_id, today_beijing(), profile.plans.breakdown
    )
    return render_template(
        "projects/detail.html",
        detail=detail,
        may_write=may_write(detail.project),
        same_day_start=profile.reporting.start_report_same_day,
    )


@bp.route("/projects/<int:project_id>/warnings", endpoint="warnings")
def warnings_view(project_id: int) -> str:
    """A page of one project's warnings, newest first."""
    return _rows_page(project_id, "warnings", "预警记录", "条")


@bp.route("/projects/<int:project_id>/cases", endpoint="cases")
def cases_view(project_id: int) -> str:
    """A page of the cases of one project's warnings, newest first."""
    return _rows_page(project_id, "cases", "预警案件", "件")


def _rows_page(project_id: int, kind: str, heading: str, unit: str) -> str:
    session, asked = db_session(), paging()
    project = visible_project(session, current_viewer(), project_id)
    read = warning_list if kind == "warnings" else case_list
    return render_template(
        "projects/rows.html",
        project=project,
        rows=read(session, project.id, asked),
        kind=kind,
        heading=heading,
        unit=unit,
        endpoint=f"projects.{kind}",
        query={**kept_args(), "project_id": project.id},
    )


def may_write(project: Project) -> bool:
    """True when the signed-in user may report for ``project`` (lead unit or key office)."""
    try:
        require_project_writer(current_viewer(), project)
    except PermissionDenied:
        return False
    return True


def _filters() -> ProjectFilters:
    """The filters from the query string; a malformed one is refused with its name (a 400 page)."""
    read = QueryArgs(request.args, FILTER_LABELS)
    filters = ProjectFilters(
        unit_id=read.read_id("unit"),
        level=read.read_code("level", PROJECT_LEVELS),
        search=read.read_keyword("q", SEARCH_MAX_LENGTH),
        colour=read.read_code("colour", COLOUR_CHOICES),
        stage=read.read_code("stage", PROJECT_STAGES),
    )
    read.done()
    return filters
