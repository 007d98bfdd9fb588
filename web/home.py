"""The signed-in user's home page: each of their roles' counts, each linking to its list (issue 15)."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from keyproj.clock import now_utc
from keyproj.errors import FieldError
from keyproj.paging import PAGE_SIZE, paging_of, refuse
from keyproj.services.home.page import home_page
from keyproj.services.home.waiting import TASKS, WaitingFilters, waiting_tasks
from keyproj.validation import QueryArgs
from web.auth import current_viewer
from web.db import db_session, state
from web.paging import kept_args

bp = Blueprint("home", __name__)
FILTER_LABELS = {"task": "办理环节", "unit": "单位", "overdue": "是否逾期", "page": "页码"}
OVERDUE = {"1": "已逾期"}


@bp.route("/", endpoint="index")
def index() -> str:
    """The home page: a section per role the user holds."""
    now = now_utc()
    profile = state().profile
    page = home_page(db_session(), current_viewer(), profile, now)
    return render_template(
        "home/index.html",
        home=page,
        triage_url=url_for("triage.index"),
        notice_days=profile.deadlines.notice_working_days,
    )


@bp.route("/waiting", endpoint="waiting")
def waiting() -> str:
    """The open tasks behind a home count: by 办理环节, 单位 and 是否逾期, within the user's cases."""
    filters = _filters()
    page = waiting_tasks(db_session(), current_viewer(), filters, now_utc())
    return render_template(
        "home/waiting.html",
        page=page,
        filters=filters,
        tasks=TASKS,
        query=kept_args("task", "unit", "overdue"),
    )


def _filters() -> WaitingFilters:
    """The filters from the query string; a malformed one is refused with its name (a 400 page)."""
    refused: list[FieldError] = []
    asked = paging_of(request.args, PAGE_SIZE, False, refused)
    read = QueryArgs(request.args, FILTER_LABELS)
    filters = WaitingFilters(
        task=read.read_code("task", TASKS),
        unit_id=read.read_id("unit"),
        overdue=read.read_code("overdue", OVERDUE) is not None,
        page=asked.page,
        per_page=asked.per_page,
    )
    refuse(refused, read.errors)  # every bad parameter named at once
    return filters
