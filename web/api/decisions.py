"""GET /api/v1/decisions: the decided items (议定事项) the token's account may see."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from keyproj.codes import DecidedItemState, DecisionOriginKind
from keyproj.services.decisions import views
from keyproj.services.decisions.items import ItemFilters, item_of
from keyproj.validation import QueryArgs
from web.api import bp
from web.api.auth import api_viewer
from web.api.paging import page_response, paging
from web.db import db_session

FILTER_LABELS = {"origin_kind": "议定来源", "owner_unit_id": "责任单位ID", "state": "状态"}


@bp.get("/decisions", endpoint="decisions")
def decisions() -> Response:
    """The items in scope (the offices all, a unit its own), nearest deadline first."""
    page = views.rows(db_session(), api_viewer(), _filters(), paging())
    return page_response("items", page, _item)


@bp.get("/decisions/<int:item_id>", endpoint="decision")
def decision(item_id: int) -> Response:
    """One item in scope; any other is 404."""
    item = item_of(db_session(), api_viewer(), item_id)
    return jsonify(_item(views.row_of(item)))


def _filters() -> ItemFilters:
    """The query's filters as the document states them; a bad value is a 422 naming it."""
    read = QueryArgs(request.args, FILTER_LABELS)
    origin = read.read_code("origin_kind", DecisionOriginKind.labels())
    owner = read.read_id("owner_unit_id")
    state = read.read_code("state", DecidedItemState.labels())
    read.done()
    return ItemFilters(origin, owner, state)


def _item(row: views.ItemRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "origin_kind": row.origin_kind,
        "origin_title": row.origin_title,
        "position": row.position,
        "matter": row.matter,
        "owner_unit_id": row.owner_unit_id,
        "owner_unit": row.owner_unit,
        "project": None if row.project == "—" else row.project,
        "due_on": row.due_on.isoformat(),
        "acceptance": row.acceptance,
        "state": row.state,
        "state_label": row.state_label,
        "case_id": row.case_id,
        "overdue_at": row.overdue_at,
        "done_at": row.done_at,
        "rejection_reason": row.rejection_reason,
    }
