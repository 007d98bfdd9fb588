"""Decided items (议定事项, AL13 一是, DC3 三(三), GS6): the list, scoped and filtered, and the
office's form for items not recorded from a meeting's minutes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from keyproj.clock import now_utc
from keyproj.codes import DecidedItemState, DecisionOriginKind
from keyproj.errors import FieldError, ValidationError
from keyproj.inputs import LONG_TEXT
from keyproj.services.access import require_role
from keyproj.services.decisions import views
from keyproj.services.decisions.items import (
    RECORDERS,
    DecisionOrigin,
    ItemFilters,
    may_record,
    record_items,
)
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.paging import kept_args, paging

bp = Blueprint("decisions", __name__)
# The office's own page records items of these origins (a meeting's typed title).
PAGE_ORIGINS = {
    k: v
    for k, v in DecisionOriginKind.labels().items()
    if k in (DecisionOriginKind.MEETING, DecisionOriginKind.APPROVAL_MEETING)
}
ROW_FIELDS = ("matter", "owner_unit_code", "due_on", "acceptance", "project_code")


@bp.route("/decisions", endpoint="index")
def index() -> str:
    """The decided items the viewer may see: the offices all, a unit its own."""
    session, viewer = db_session(), current_viewer()
    filters = _filters()
    return render_template(
        "decisions/index.html",
        page=views.rows(session, viewer, filters, paging()),
        filters=filters,
        query=kept_args("origin", "owner", "state"),
        origins=DecisionOriginKind.labels(),
        states=DecidedItemState.labels(),
        choices=views.choices(session, viewer),
        may_record=may_record(viewer),
        section="decisions",
    )


@bp.route("/decisions/new", methods=["GET", "POST"], endpoint="new")
def new() -> BaseResponse | str | tuple[str, int]:
    """The office records an item (one a meeting decided, typed from its minutes)."""
    viewer = current_viewer()
    require_role(viewer, *RECORDERS)
    if request.method == "GET":
        return _form()
    form = request.form
    typed = {name: form.get(name, "") for name in ("origin_kind", "origin_title", *ROW_FIELDS)}
    origin = DecisionOrigin(typed["origin_kind"], 0, typed["origin_title"], viewer.unit_id)
    row = {name: typed[name] for name in ROW_FIELDS}
    with commit_or_refuse(ValidationError) as outcome:
        [item] = record_items(db_session(), state().profile, viewer, origin, [row], now_utc())
    if outcome.refusal is not None:
        return _form(outcome.refusal.errors, typed), 422
    flash("议定事项已交办，责任单位可在待办任务中办理", "success")
    return redirect(url_for("cases.detail", case_id=item.case_id), 303)


def _form(errors: list[FieldError] | None = None, typed: dict[str, str] | None = None) -> str:
    session, viewer = db_session(), current_viewer()
    # A row's cells are named items[0].<field> by the service; the form's fields by <field>.
    shown = {e.field.removeprefix("items[0]."): str(e) for e in errors or []}
    return render_template(
        "decisions/new.html",
        choices=views.choices(session, viewer),
        origins=PAGE_ORIGINS,
        errors=shown,
        typed=typed or {"origin_kind": DecisionOriginKind.MEETING},
        text_max=LONG_TEXT,
        section="decisions",
    )


def _filters() -> ItemFilters:
    """The list's filters; an unknown value is no filter."""
    args = request.args
    origin = args.get("origin", "")
    owner = args.get("owner", "")
    chosen = args.get("state", "")
    return ItemFilters(
        origin_kind=origin if DecisionOriginKind.parse(origin) else None,
        owner_unit_id=int(owner)
        if owner.isascii() and owner.isdigit() and len(owner) < 10
        else None,
        state=chosen if DecidedItemState.parse(chosen) else None,
    )
