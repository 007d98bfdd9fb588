"""API endpoints of the key office's triage (LP13): the queue, notices, merge and dismissal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Response, jsonify

from keyproj.clock import now_utc
from keyproj.codes import Colour, WarningLevel
from keyproj.db.models import Case
from keyproj.errors import ValidationError
from keyproj.inputs import DB_INT_MAX
from keyproj.services.triage import actions, notices
from keyproj.services.triage.queue import QueuedWarning, QueueGroup, queue_page
from web.api import bp
from web.api.auth import api_viewer
from web.api.paging import page_response, paging
from web.api.parse import json_body
from web.api.serialize import JSON, moment
from web.db import db_session, state

MAX_SELECTED = 500


@bp.get("/triage", endpoint="triage")
def queue() -> Response:
    """A page of the queue's matters, strongest first (key office tokens only)."""
    asked = paging()
    session, profile = db_session(), state().profile
    page = queue_page(session, api_viewer(), profile, asked)

    def proposed(group: QueueGroup) -> JSON:
        ids = [w.id for w in group.warnings]
        return _group(group) | {"proposal": notices.proposal_for(session, profile, ids)}

    return page_response("groups", page, proposed)


@bp.post("/triage/notice", endpoint="triage_notice")
def notice() -> tuple[Response, int]:
    """One notice over chosen warnings of one project, with the issue_notice form as sent."""
    body = _body({"warning_ids", "form"})
    form = body.get("form")
    if not isinstance(form, dict):
        raise ValidationError.single("form", "通知", "应为 issue_notice 表单对象")
    session = db_session()
    case = notices.issue_notice(session, api_viewer(), _ids(body), form, state().profile, now_utc())
    session.commit()
    return jsonify(_done([case], [])), 201


@bp.post("/triage/bulk", endpoint="triage_bulk")
def bulk() -> tuple[Response, int]:
    """One notice per project over the chosen warnings, on the profile's template."""
    body = _body({"warning_ids"})
    session = db_session()
    cases = notices.issue_bulk(session, api_viewer(), _ids(body), state().profile, now_utc())
    session.commit()
    return jsonify(_done(cases, [])), 201


@bp.post("/triage/merge", endpoint="triage_merge")
def merge() -> Response:
    """Join the chosen warnings to an open case of their project."""
    body = _body({"warning_ids", "case_id"})
    case_id = body.get("case_id")
    if not isinstance(case_id, int) or isinstance(case_id, bool) or not 1 <= case_id <= DB_INT_MAX:
        raise ValidationError.single("case_id", "并入案件", "应为案件ID")
    ids = _ids(body)
    session = db_session()
    actions.merge_into_case(session, api_viewer(), ids, case_id, now_utc())
    session.commit()
    return jsonify({"cases": [_case(session.get_one(Case, case_id))], "warning_ids": ids})


@bp.post("/triage/dismiss", endpoint="triage_dismiss")
def dismiss() -> Response:
    """Dismiss the chosen warnings with one reason (不予处置)."""
    body = _body({"warning_ids", "reason"})
    reason = body.get("reason")
    session = db_session()
    done = actions.dismiss(
        session, api_viewer(), _ids(body), reason if isinstance(reason, str) else "", now_utc()
    )
    session.commit()
    return jsonify(_done([], [w.id for w in done]))


def _body(known: set[str]) -> dict[str, Any]:
    body = json_body()
    unknown = sorted(set(body) - known)
    if unknown:
        raise ValidationError.single(unknown[0], unknown[0], "未知字段")
    return body


def _ids(body: dict[str, Any]) -> list[int]:
    """The warning ids sent: a list of 1 to 500 ids."""
    value = body.get("warning_ids")
    if (
        not isinstance(value, list)
        or not 1 <= len(value) <= MAX_SELECTED
        or not all(
            isinstance(i, int) and not isinstance(i, bool) and 1 <= i <= DB_INT_MAX for i in value
        )
    ):
        raise ValidationError.single("warning_ids", "预警", f"应为1至{MAX_SELECTED}个预警ID")
    return list(value)


def _done(cases: Sequence[Case], warning_ids: list[int]) -> JSON:
    covered = warning_ids or []
    return {"cases": [_case(c) for c in cases], "warning_ids": covered}


def _case(case: Case) -> JSON:
    return {
        "id": case.id,
        "notice_number": case.notice_number,
        "project_id": case.warning.project_id if case.warning else None,
    }


def _group(group: QueueGroup) -> JSON:
    unit = (
        {"id": group.unit_id, "code": group.unit_code, "name": group.unit_name}
        if group.unit_id is not None
        else None
    )
    return {
        "project_id": group.project_id,
        "project_code": group.project_code,
        "project_name": group.project_name,
        "unit": unit,
        "proposed_level": group.proposed_level,
        "notice_due": moment(group.earliest_due),
        "warnings": [_warning(w) for w in group.warnings],
        "open_cases": [{"id": c.id, "notice_number": c.notice_number} for c in group.open_cases],
    }


def _warning(w: QueuedWarning) -> JSON:
    return {
        "id": w.id,
        "rule_id": w.rule_id,
        "level": w.level,
        "level_label": WarningLevel.label_of(w.level),
        "colour": w.colour,
        "colour_label": Colour.label_of(w.colour),
        "period": w.period,
        "summary": w.summary,
        "raised_at": moment(w.raised_at),
        "notice_due": moment(w.notice_due),
    }
