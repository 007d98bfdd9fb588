"""Project pages: the list with filters and one project's detail."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from keyproj.clock import today_beijing
from keyproj.codes import PROJECT_LEVELS
from keyproj.services.project_view import ProjectFilters, project_detail, project_list
from web.auth import current_viewer
from web.db import db_session

bp = Blueprint("projects", __name__)


@bp.route("/")
def index() -> Response:
    """The home page is the project list."""
    return redirect(url_for("projects.list"))


@bp.route("/projects", endpoint="list")
def list_view() -> str:
    """Projects the user may see, filtered by 单位, 级别 and 关键词."""
    listing = project_list(db_session(), current_viewer(), _filters())
    return render_template("projects/list.html", listing=listing, levels=PROJECT_LEVELS)


@bp.route("/projects/<int:project_id>", endpoint="detail")
def detail_view(project_id: int) -> str:
    """One project; a project outside the user's scope is a 404."""
    detail = project_detail(db_session(), current_viewer(), project_id, today_beijing())
    return render_template("projects/detail.html", detail=detail)


def _filters() -> ProjectFilters:
    """The filters from the query string; values that cannot be meant are ignored."""
    unit_id = request.args.get("unit", type=int)
    level = request.args.get("level", "")
    return ProjectFilters(
        unit_id=unit_id,
        level=level if level in PROJECT_LEVELS else None,
        search=request.args.get("q", "").strip() or None,
    )
