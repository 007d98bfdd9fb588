"""Site-visit pages (GS3, DC2): the visits of a week with the form to record one, and the weeks
flagged short of the required visits with who was short."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from keyproj import periods
from keyproj.clock import now_utc, today_beijing
from keyproj.codes.sitework import VisitKind
from keyproj.db.models import Project
from keyproj.errors import NotFound, PermissionDenied, ValidationError
from keyproj.inputs import BadInput, parse_id
from keyproj.services.access import project_scope
from keyproj.services.visits.records import VisitData, record_visit, roles_of
from keyproj.services.visits.weeks import flagged_weeks, flags_of_week, visits_of
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state

bp = Blueprint("visits", __name__)


def _week() -> periods.Period:
    """The week asked for (``week``, e.g. 2026-W11), else the current one (Beijing)."""
    typed = request.args.get("week", "").strip()
    return periods.parse("weekly", typed, "week") if typed else _current()


def _current() -> periods.Period:
    return periods.containing("weekly", today_beijing())


VISIT_FIELDS = ("project_id", "role", "person", "visited_on", "kind", "notes")


@bp.route("/visits", endpoint="page")
def page() -> str:
    """A week's visits on the viewer's projects, the rule, the flagged weeks and the form."""
    return _page(_week())


def _page(week: periods.Period, typed: dict[str, str] | None = None) -> str:
    """The week's page; ``typed`` is a refused visit's form, shown again to be put right."""
    session, viewer = db_session(), current_viewer()
    projects = session.execute(
        select(Project.id, Project.name).where(project_scope(viewer)).order_by(Project.code)
    ).all()
    return render_template(
        "visits/page.html",
        week=week,
        before=periods.containing("weekly", week.start - timedelta(days=1)),
        after=periods.containing("weekly", week.end + timedelta(days=1)),
        visits=visits_of(session, viewer, week.start, week.end),
        weeks=flagged_weeks(session, viewer),
        rules=state().profile.visits,
        roles=roles_of(state().profile.visits),
        kinds=VisitKind.labels(),
        projects=projects,
        today=today_beijing(),
        typed=typed or {},
        section="sitework",
    )


@bp.route("/visits/weeks/<week>", endpoint="week")
def week_flags(week: str) -> str:
    """The projects flagged short of their visits in ``week``, with who was short."""
    period = periods.parse("weekly", week, "week")
    flags = flags_of_week(db_session(), current_viewer(), period.key)
    return render_template("visits/week.html", week=period, flags=flags, section="sitework")


def _project_id(typed: str) -> int:
    """The chosen project's id; 0 (no project, refused by the service) for anything else,
    ``²`` too, which ``str.isdigit`` takes and ``int`` refuses."""
    try:
        return parse_id(typed.strip())
    except BadInput:
        return 0


@bp.route("/visits", methods=["POST"], endpoint="record")
def record() -> Response | tuple[str, int]:
    """Record a visit; a refusal names the field and why, and shows what was typed again."""
    form = request.form
    typed = {f: form.get(f, "") for f in VISIT_FIELDS}
    typed_project, typed_day = typed["project_id"], typed["visited_on"].strip()
    try:
        day: date | None = date.fromisoformat(typed_day) if typed_day else None
    except ValueError:
        flash("走访日期：请填写 YYYY-MM-DD 格式的日期", "error")
        return _page(_current(), typed), 422
    data = VisitData(
        _project_id(typed_project),
        form.get("role", ""),
        day,
        form.get("kind", ""),
        form.get("person") or None,
        form.get("notes") or None,
    )
    with commit_or_refuse(ValidationError, NotFound, PermissionDenied) as outcome:
        record_visit(db_session(), current_viewer(), state().profile, data, now_utc())
    outcome.flash("现场走访已登记")
    if isinstance(outcome.refusal, ValidationError):
        return _page(_current(), typed), 422
    week = periods.containing("weekly", day).key if day and outcome.refusal is None else None
    return redirect(url_for("visits.page", week=week), 303)
