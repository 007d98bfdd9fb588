"""API read of a joint inspection group's own weekly report (GS5: 督导检查报告单独印发), for the
offices that compile it: as issued, else the draft it would be now."""

from __future__ import annotations

from flask import Response, jsonify

from keyproj.clock import BEIJING
from keyproj.services.inspections.separate import report
from web.api import bp
from web.api.auth import api_viewer
from web.api.operations import operation, path_id, ref
from web.api.schemas import DATE, STR, nullable, obj
from web.api.serialize import JSON, day
from web.db import db_session, state

WEEK_IN = {
    "type": "string",
    "pattern": r"^\d{4}-W\d{2}$",
    "description": "检查周，如 2026-W12",
}
REPORT = obj(
    {
        "group": {**STR, "description": "检查组，如“第6组（县百城提质办）”"},
        "week": STR,
        "title": STR,
        "body": {"type": "array", "items": STR, "description": "报告正文，按段"},
        "number": {**nullable(STR), "description": "文号；未印发时为空（草稿）"},
        "issued_on": nullable(DATE),
    }
)
SCHEMAS: dict[str, JSON] = {"InspectionReport": REPORT}


def report_paths() -> JSON:
    """The report's read endpoint, documented."""
    return {
        "/api/v1/inspection-groups/{group_id}/reports/{week}": {
            "get": operation(
                "单独印发的检查组督导检查报告（GS5），已印发的或当前草稿；限重点办、督查室",
                ("200", "督导检查报告", ref("InspectionReport")),
                [
                    path_id("group_id", "检查组ID"),
                    {
                        "name": "week",
                        "in": "path",
                        "required": True,
                        "description": "检查周",
                        "schema": WEEK_IN,
                    },
                ],
                errors=("401", "403", "404", "409"),
            )
        }
    }


@bp.get("/inspection-groups/<int:group_id>/reports/<week>", endpoint="inspection_report")
def inspection_report(group_id: int, week: str) -> Response:
    """The group's report of the week, as issued or as a draft; 409 for a bulletin group."""
    draft = report(db_session(), state().profile, api_viewer(), group_id, week)
    issued = draft.issued
    return jsonify(
        {
            "group": draft.group.label,
            "week": draft.week.key,
            "title": draft.title,
            "body": draft.body,
            "number": issued.number if issued else None,
            "issued_on": day(issued.issued_at.astimezone(BEIJING).date()) if issued else None,
        }
    )
