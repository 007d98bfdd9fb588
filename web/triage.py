"""The key office's triage (LP13): the queue of new warnings by project matter, and its actions
— a notice per matter, a merge into an open case, a dismissal with its reason, in bulk too."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from keyproj.clock import now_utc
from keyproj.codes import WARNING_LEVELS, Role
from keyproj.db.models import EarlyWarning
from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.forms import form_fields
from keyproj.inputs import BadInput, parse_id
from keyproj.rules.base import among
from keyproj.services.access import require_role
from keyproj.services.triage import actions, notices
from keyproj.services.triage.queue import queue_page
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.paging import paging

bp = Blueprint("triage", __name__)
MAX_SELECTED = 500
REFUSALS = (ValidationError, Conflict, NotFound, PermissionDenied)
PORTFOLIO = "portfolio"  # the matter of the warnings without a project


@bp.route("/triage")
def index() -> str:
    """待研判预警: the queue by project matter, strongest first, with a notice proposed for each."""
    session, viewer = db_session(), current_viewer()
    require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    profile = state().profile
    page = queue_page(session, viewer, profile, paging(per_page=20))
    proposals = {
        _key(group.project_id): notices.proposal_for(
            session, profile, [w.id for w in group.warnings]
        )
        for group in page.items
    }
    fields = {f.name: f for f in form_fields(notices.NOTICE_FORM)}
    return render_template(
        "triage/index.html",
        page=page,
        proposals=proposals,
        fields=fields,
        levels=WARNING_LEVELS,
        may_act=viewer.has(Role.KEY_OFFICE),
        key=_key,
    )


@bp.post("/triage/notice")
def notice() -> Response:
    """Issue one notice covering the ticked warnings of one project matter, as the office wrote it."""
    session, viewer = db_session(), current_viewer()
    group = request.form.get("group", "")
    form = _notice_form(group)
    with commit_or_refuse(*REFUSALS) as outcome:
        ids = _ticked_of(group)
        case = notices.issue_notice(session, viewer, ids, form, state().profile, now_utc())
    if outcome.refusal is None:
        flash(f"已发出预警催办通知 {case.notice_number}，处置案件已启动", "success")
    else:
        flash(f"未能发出通知：{outcome.refusal}", "error")
    return _back()


@bp.post("/triage/merge")
def merge() -> Response:
    """Join the ticked warnings of a project to one of its open cases."""
    session, viewer = db_session(), current_viewer()
    group, _, case_value = request.form.get("merge", "").partition(":")
    with commit_or_refuse(*REFUSALS) as outcome:
        case_id = _id_of(case_value, "merge", "并入案件")
        actions.merge_into_case(session, viewer, _ticked_of(group), case_id, now_utc())
    outcome.flash("预警已并入在办案件，已通知责任单位")
    return _back()


@bp.post("/triage/dismiss")
def dismiss() -> Response:
    """Dismiss the ticked warnings (any project) with one reason (不予处置)."""
    session, viewer = db_session(), current_viewer()
    with commit_or_refuse(*REFUSALS) as outcome:
        done = actions.dismiss(
            session, viewer, _ticked(), request.form.get("reason", ""), now_utc()
        )
    if outcome.refusal is None:
        flash(f"已将 {len(done)} 条预警作不予处置，理由已记录", "success")
    else:
        flash(f"未能作不予处置：{outcome.refusal}", "error")
    return _back()


@bp.post("/triage/bulk")
def bulk() -> Response:
    """One notice per project over the ticked warnings, on the profile's template."""
    session, viewer = db_session(), current_viewer()
    with commit_or_refuse(*REFUSALS) as outcome:
        cases = notices.issue_bulk(session, viewer, _ticked(), state().profile, now_utc())
    if outcome.refusal is None:
        flash(f"已按项目发出预警催办通知 {len(cases)} 份", "success")
    else:
        flash(f"未能批量发出：{outcome.refusal}", "error")
    return _back()


def _key(project_id: int | None) -> str:
    """How the page names a matter in its fields: the project id, or ``portfolio``."""
    return PORTFOLIO if project_id is None else str(project_id)


def _ticked() -> list[int]:
    """The ticked warnings; a malformed one is named."""
    values = request.form.getlist("warning")[:MAX_SELECTED]
    try:
        return [parse_id(v) for v in values]
    except BadInput as exc:
        raise ValidationError.single("warning", "预警", str(exc)) from None


def _ticked_of(group: str) -> list[int]:
    """The ticked warnings of one matter (the page's form holds every matter's boxes)."""
    ticked = _ticked()
    if not ticked:
        raise ValidationError.single("warning", "预警", "请至少勾选一条预警")
    project = None if group == PORTFOLIO else _id_of(group, "group", "项目")
    rows = db_session().execute(
        select(EarlyWarning.id, EarlyWarning.project_id).where(among(EarlyWarning.id, ticked))
    )
    mine = [i for i, p in rows if p == project]
    if not mine:
        raise ValidationError.single("warning", "预警", "请勾选该项目的预警")
    return mine


def _id_of(value: str, field: str, label: str) -> int:
    try:
        return parse_id(value)
    except BadInput:
        raise ValidationError.single(field, label, "未指明") from None


def _notice_form(group: str) -> dict[str, Any]:
    """The notice fields of one matter, as the form schema names them."""
    values: dict[str, Any] = {}
    for name in ("level", "routing", "lead_unit_code", "routing_reason", "notice_text"):
        value = request.form.get(f"{name}-{group}", "").strip()
        if value:
            values[name] = value
    phases = [c.strip() for c in request.form.get(f"phase_unit_codes-{group}", "").split(",")]
    if any(phases):
        values["phase_unit_codes"] = [c for c in phases if c]
    if request.form.get(f"major-{group}"):
        values["major"] = True
    return values


def _back() -> Response:
    page = request.args.get("page")
    return redirect(url_for("triage.index", page=page) if page else url_for("triage.index"), 303)
