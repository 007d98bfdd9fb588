"""Observation tour pages (观摩点评, DC4, GS2): the tours in the viewer's scope, the office's plan
form, the scorers' score sheets, the results, the printable guide and its DOCX, and the tours'
results for a half-year or year as they count in the evaluation."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from keyproj.clock import now_utc, today_beijing
from keyproj.codes import TourState
from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.inputs import BadInput, parse_year
from keyproj.services.tours import plans, results, scoring
from keyproj.services.tours.evaluation import half_year, tour_component
from keyproj.services.tours.guide import guide_docx, guide_lines
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.downloads import DOCX, attachment

bp = Blueprint("tours", __name__)
VEHICLE_ROWS = 4


@bp.route("/tours", endpoint="page")
def page() -> str:
    """The tours the viewer may see, and the half-year's or year's tour scores by unit."""
    session, viewer = db_session(), current_viewer()
    year, half = _span()
    span = half_year(year, half) if half else (half_year(year, 1)[0], half_year(year, 2)[1])
    return render_template(
        "tours/page.html",
        rules=state().profile.tours,
        clause=_clause("tours.every_months"),
        inspections=state().profile.inspections,
        tours=plans.tours_for(session, viewer),
        states=TourState.labels(),
        component=tour_component(session, state().profile, *span),
        year=year,
        half=half,
        may_plan=viewer.has(*plans.OFFICE),
    )


@bp.route("/tours/new", methods=["GET", "POST"], endpoint="new")
def new() -> str | BaseResponse | tuple[str, int]:
    """The office drafts a tour's plan."""
    return _plan_form(None)


@bp.route("/tours/<int:tour_id>/edit", methods=["GET", "POST"], endpoint="edit")
def edit(tour_id: int) -> str | BaseResponse | tuple[str, int]:
    """The office rewrites a draft plan."""
    return _plan_form(tour_id)


@bp.route("/tours/<int:tour_id>", endpoint="detail")
def detail(tour_id: int) -> str:
    """A tour: its plan, the viewer's sheets to write, and the results in the viewer's scope."""
    session, viewer = db_session(), current_viewer()
    tour = plans.tour_for(session, viewer, tour_id)
    mine = {s.project_id: s for s in scoring.sheets_in_scope(session, viewer, tour)}
    return render_template(
        "tours/detail.html",
        tour=tour,
        state_label=TourState.label_of(tour.state),
        results=results.in_scope(tour, viewer),
        sheets=mine,
        is_scorer=plans.is_scorer(tour, viewer),
        is_office=viewer.has(*plans.OFFICE),
        guide=guide_lines(session, tour),
    )


@bp.route("/tours/<int:tour_id>/open", methods=["POST"], endpoint="open")
def open_scoring(tour_id: int) -> BaseResponse:
    """The office publishes the plan and opens scoring."""
    with commit_or_refuse(Conflict) as outcome:
        plans.open_scoring(db_session(), current_viewer(), tour_id, now_utc())
    outcome.flash("方案已发布，已通知打分人员")
    return redirect(url_for("tours.detail", tour_id=tour_id), 303)


@bp.route("/tours/<int:tour_id>/close", methods=["POST"], endpoint="close")
def close_scoring(tour_id: int) -> BaseResponse:
    """The office closes scoring; the results are stored with their figures."""
    with commit_or_refuse(Conflict) as outcome:
        results.close_scoring(db_session(), current_viewer(), tour_id, now_utc())
    outcome.flash("打分已结束，结果已排名")
    return redirect(url_for("tours.detail", tour_id=tour_id), 303)


@bp.route(
    "/tours/<int:tour_id>/projects/<int:project_id>/score",
    methods=["GET", "POST"],
    endpoint="score",
)
def score(tour_id: int, project_id: int) -> str | BaseResponse | tuple[str, int]:
    """A scorer's sheet for one project: marks per criterion and a comment."""
    session, viewer = db_session(), current_viewer()
    tour = plans.tour_for(session, viewer, tour_id)
    stop = next((s for s in tour.stops if s.project_id == project_id), None)
    if stop is None or not plans.is_scorer(tour, viewer):
        raise NotFound("该项目不在本次观摩路线中，或您不是打分人员")
    sheet = scoring.sheet_of(session, tour.id, project_id, viewer.user_id)
    typed = {"comment": sheet.comment or ""} if sheet else {}
    typed |= {f"marks.{k}": v for k, v in (sheet.marks if sheet else {}).items()}
    errors: dict[str, str] = {}
    if request.method == "POST":
        typed = {k: request.form.get(k, "") for k in _sheet_fields(tour.criteria)}
        marks = {c["key"]: typed[f"marks.{c['key']}"] for c in tour.criteria}
        with commit_or_refuse(ValidationError, Conflict, PermissionDenied) as outcome:
            scoring.save_sheet(
                session, viewer, tour.id, project_id, marks, typed["comment"], now_utc()
            )
        if outcome.refusal is None:
            flash(f"已保存对“{stop.project.name}”的打分", "success")
            return redirect(url_for("tours.detail", tour_id=tour.id), 303)
        errors = _errors(outcome.refusal)
        html = render_template("tours/score.html", tour=tour, stop=stop, typed=typed, errors=errors)
        return html, 422
    return render_template("tours/score.html", tour=tour, stop=stop, typed=typed, errors=errors)


@bp.route("/tours/<int:tour_id>/guide", endpoint="guide")
def guide(tour_id: int) -> str:
    """The guide as a print-friendly page."""
    session = db_session()
    tour = plans.tour_for(session, current_viewer(), tour_id)
    return render_template("tours/guide.html", tour=tour, lines=guide_lines(session, tour))


@bp.route("/tours/<int:tour_id>/guide.docx", endpoint="guide_docx")
def guide_download(tour_id: int) -> Response:
    """The guide as DOCX (印制活动指南)."""
    session = db_session()
    tour = plans.tour_for(session, current_viewer(), tour_id)
    body = guide_docx(session, state().profile, tour)
    return attachment(body, DOCX, f"{tour.title}活动指南.docx")


def _plan_form(tour_id: int | None) -> str | BaseResponse | tuple[str, int]:
    session, viewer = db_session(), current_viewer()
    if not viewer.has(*plans.OFFICE):
        raise PermissionDenied("只有重点项目办公室可以拟定观摩方案")
    tour = plans.tour_for(session, viewer, tour_id) if tour_id is not None else None
    typed = _typed_from(tour)
    if request.method == "GET":
        return render_template(
            "tours/plan.html", tour=tour, typed=typed, errors={}, rows=VEHICLE_ROWS
        )
    typed = {k: request.form.get(k, "") for k in typed}
    data = plans.TourPlan(
        title=typed["title"],
        tour_on=typed["tour_on"],
        meeting_point=typed["meeting_point"],
        project_codes=typed["project_codes"].split(),
        scorer_usernames=typed["scorer_usernames"].split(),
        vehicles=[
            {f: typed[f"vehicle{n}_{f}"] for f in ("name", "seats", "driver")}
            for n in range(1, VEHICLE_ROWS + 1)
        ],
        notes=typed["notes"],
    )
    with commit_or_refuse(ValidationError, Conflict) as outcome:
        saved = plans.save_plan(session, state().profile, viewer, data, now_utc(), tour_id)
    if outcome.refusal is None:
        flash("观摩方案已保存", "success")
        return redirect(url_for("tours.detail", tour_id=saved.id), 303)
    html = render_template(
        "tours/plan.html",
        tour=tour,
        typed=typed,
        errors=_errors(outcome.refusal),
        rows=VEHICLE_ROWS,
    )
    return html, 422


def _typed_from(tour: Any) -> dict[str, str]:
    typed = {k: "" for k in ("title", "tour_on", "meeting_point", "project_codes")}
    typed |= {"scorer_usernames": "", "notes": ""}
    for n in range(1, VEHICLE_ROWS + 1):
        typed |= {f"vehicle{n}_{f}": "" for f in ("name", "seats", "driver")}
    if tour is None:
        return typed
    typed |= {"title": tour.title, "tour_on": tour.tour_on.isoformat()}
    typed |= {"meeting_point": tour.meeting_point, "notes": tour.notes or ""}
    typed["project_codes"] = "\n".join(s.project.code for s in tour.stops)
    typed["scorer_usernames"] = "\n".join(s.user.username for s in tour.scorers)
    for n, v in enumerate(tour.vehicles[:VEHICLE_ROWS], start=1):
        typed |= {f"vehicle{n}_{f}": str(v.get(f, "")) for f in ("name", "seats", "driver")}
    return typed


def _clause(key: str) -> list[str]:
    """The clause a profile value cites, for the page's 依据 link (none for a local value)."""
    cited = state().profile.citations.get(key, "").split(" / ")[0]
    return [] if not cited or cited.startswith("本地取值") else [cited]


def _sheet_fields(criteria: list[dict[str, Any]]) -> list[str]:
    return [f"marks.{c['key']}" for c in criteria] + ["comment"]


def _errors(refusal: Exception | None) -> dict[str, str]:
    if isinstance(refusal, ValidationError):
        return {e.field: str(e) for e in refusal.errors}
    return {"": str(refusal)} if refusal is not None else {}


def _span() -> tuple[int, int]:
    """The year and half (0: the whole year) asked for; this year by default."""
    try:
        year = parse_year(request.args.get("year", "").strip())
    except BadInput:
        year = today_beijing().year
    half = request.args.get("half", "")
    return year, int(half) if half in ("1", "2") else 0
