"""Case pages: the scoped list, one case (timeline, tasks, notice, updates) and its pinned diagram."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from keyproj.clock import now_utc
from keyproj.codes import WARNING_LEVELS, AttachmentOwner, CaseStatus, UpdateKind, WarningLevel
from keyproj.errors import Conflict, FieldError, PermissionDenied, ValidationError
from keyproj.paging import PAGE_SIZE, paging_of, refuse
from keyproj.services.attachments.files import case_files
from keyproj.services.cases.commands import add_update
from keyproj.services.cases.views.inbox import KEYWORD_MAX_LENGTH
from keyproj.services.cases.views.pages import (
    CaseFilters,
    case_detail,
    case_list,
    diagram_xml,
)
from keyproj.services.cases.views.timeline import TIMELINE_PAGE, timeline_pages
from keyproj.services.decisions.views import item_row_of_case
from keyproj.services.instructions import following
from keyproj.services.instructions.commands import INSTRUCTION_MAX_LENGTH, give_instruction
from keyproj.services.instructions.lists import instruction_panel
from keyproj.services.supervision.filing import may_file
from keyproj.services.supervision.views.ledger import case_matters
from keyproj.validation import QueryArgs
from web import attachments
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session
from web.paging import paging

bp = Blueprint("cases", __name__)
FILTER_LABELS = {
    "status": "状态",
    "level": "预警级别",
    "project": "项目",
    "unit": "责任单位",
    "page": "页码",
}


@bp.route("/cases")
def index() -> str:
    """Cases the viewer may see, filtered by status, level, project and responsible unit."""
    listing = case_list(db_session(), current_viewer(), _filters(), now_utc())
    return render_template(
        "cases/index.html",
        listing=listing,
        levels=WARNING_LEVELS,
        statuses=CaseStatus.labels(),
        query=_query_args(),
    )


@bp.route("/cases/<int:case_id>")
def detail(case_id: int) -> str:
    """One case: facts, notice document, current tasks, timeline, updates and the diagram."""
    return _render_case(case_id)


@bp.route("/cases/<int:case_id>/diagram.bpmn")
def diagram(case_id: int) -> Response:
    """The BPMN XML of the diagram version the case is pinned to (read by the diagram viewer)."""
    xml = diagram_xml(db_session(), current_viewer(), case_id)
    response = Response(xml, mimetype="application/xml")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.route("/cases/<int:case_id>/updates", methods=["POST"])
def post_update(case_id: int) -> BaseResponse | tuple[str, int]:
    """A progress update (LP18 动态报告) or a comment on the case."""
    session, viewer = db_session(), current_viewer()
    kind = request.form.get("kind", UpdateKind.COMMENT)
    text = request.form.get("text", "")
    with commit_or_refuse(ValidationError, PermissionDenied) as outcome:
        add_update(session, viewer, case_id, kind, text, now_utc())
    if isinstance(outcome.refusal, ValidationError):
        return _render_case(case_id, outcome.refusal.by_field(), kind, text), 422
    if outcome.refusal is not None:
        return _render_case(case_id, {"kind": str(outcome.refusal)}, kind, text), 403
    flash(f"{UpdateKind.label_of(kind)}已记录", "success")
    # The update is the newest event: show the timeline's last page.
    last = timeline_pages(session, case_id)
    page: dict[str, Any] = {"page": last} if last > 1 else {}
    return redirect(url_for("cases.detail", case_id=case_id, _anchor="timeline", **page))


@bp.route("/cases/<int:case_id>/instructions", methods=["POST"])
def post_instruction(case_id: int) -> BaseResponse | tuple[str, int]:
    """The linked county leader's instruction (批示) on the case, with an optional deadline."""
    session, viewer = db_session(), current_viewer()
    typed = {"text": request.form.get("text", ""), "due_on": request.form.get("due_on", "")}
    with commit_or_refuse(ValidationError, PermissionDenied, Conflict) as outcome:
        give_instruction(session, viewer, case_id, typed["text"], typed["due_on"], now_utc())
    refusal = outcome.refusal
    if isinstance(refusal, ValidationError):
        return _render_case(case_id, instruction=(typed, refusal.by_field())), 422
    if refusal is not None:
        status = 409 if isinstance(refusal, Conflict) else 403
        return _render_case(case_id, instruction=(typed, {"text": str(refusal)})), status
    flash("批示已送达责任单位，并记入办理过程", "success")
    return redirect(url_for("cases.detail", case_id=case_id, _anchor="instructions"))


@bp.route("/cases/<int:case_id>/follow", methods=["POST"])
def follow(case_id: int) -> BaseResponse:
    """Follow the case (a linked leader, the key office): its events reach the follower."""
    with commit_or_refuse(PermissionDenied) as outcome:
        following.follow(db_session(), current_viewer(), case_id, now_utc())
    outcome.flash("已关注该案件，案件的办理进展将通知您")
    return redirect(url_for("cases.detail", case_id=case_id))


@bp.route("/cases/<int:case_id>/unfollow", methods=["POST"])
def unfollow(case_id: int) -> BaseResponse:
    """Stop following the case."""
    with commit_or_refuse(PermissionDenied) as outcome:
        following.unfollow(db_session(), current_viewer(), case_id)
    outcome.flash("已取消关注该案件")
    return redirect(url_for("cases.detail", case_id=case_id))


def _render_case(
    case_id: int,
    errors: dict[str, str] | None = None,
    kind: str = "",
    text: str = "",
    instruction: tuple[dict[str, str], dict[str, str]] | None = None,
) -> str:
    asked = paging(TIMELINE_PAGE)
    detail_ = case_detail(db_session(), current_viewer(), case_id, now_utc(), asked)
    typed, refused = instruction or ({}, {})
    return render_template(
        "cases/detail.html",
        case=detail_,
        instructions=instruction_panel(db_session(), current_viewer(), case_id),
        instruction_typed=typed,
        instruction_errors=refused,
        instruction_max=INSTRUCTION_MAX_LENGTH,
        update_kinds=UpdateKind.labels(),
        errors=errors or {},
        typed_kind=kind,
        typed_text=text,
        evidence_files=attachments.listed(AttachmentOwner.WARNING, detail_.warning.id),
        task_files=case_files(db_session(), current_viewer(), detail_.case),
        supervision=case_matters(db_session(), case_id),  # LP20: filings both ways
        may_file_case=may_file(current_viewer()),
        # AL13 一是, DC3, GS6: a decided item's case shows the item, not its carrier warning.
        decided_item=item_row_of_case(db_session(), current_viewer(), case_id),
    )


def _filters() -> CaseFilters:
    """The filters from the query string; a malformed one is refused with its name (a 400 page)."""
    refused: list[FieldError] = []
    asked = paging_of(request.args, PAGE_SIZE, False, refused)
    read = QueryArgs(request.args, FILTER_LABELS)
    filters = CaseFilters(
        status=CaseStatus.parse(read.read_code("status", CaseStatus.labels())),
        level=WarningLevel.parse(read.read_code("level", WarningLevel.labels())),
        project=read.read_keyword("project", KEYWORD_MAX_LENGTH),
        unit_id=read.read_id("unit"),
        page=asked.page,
        per_page=asked.per_page,
    )
    refuse(refused, read.errors)  # every bad parameter named at once
    return filters


def _query_args() -> dict[str, Any]:
    """The filter arguments to carry over to other pages of the list."""
    keys = ("status", "level", "project", "unit", "per_page")
    return {k: request.args[k] for k in keys if request.args.get(k)}
