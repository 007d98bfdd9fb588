"""GET /api/v1/interviews: the interview register (约谈, HD6) in the token's scope, read only."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from keyproj.codes import InterviewState
from keyproj.db.models import Interview, InterviewCommitment
from keyproj.services.interviews import register
from keyproj.services.reference.wording import without_clauses
from web.api import bp
from web.api.auth import api_viewer
from web.api.paging import page_response, paging
from web.api.parse import filters
from web.api.serialize import day, moment
from web.db import db_session

JSON = dict[str, Any]


@bp.get("/interviews", endpoint="interviews")
def interviews() -> Response:
    """A page of the interviews the token's user may read, of one state when asked."""
    asked = paging()
    read = filters()
    chosen = read.read_code("state", InterviewState.labels())
    read.done()
    page = register.interview_page(db_session(), api_viewer(), asked, chosen)
    return page_response("interviews", page, interview)


@bp.get("/interviews/<int:interview_id>", endpoint="interview")
def one(interview_id: int) -> Response:
    """One interview with its commitments; outside the user's scope a 404."""
    return jsonify(interview(register.interview(db_session(), api_viewer(), interview_id)))


def interview(row: Interview) -> JSON:
    """An interview as the API gives it."""
    return {
        "id": row.id,
        "unit": {"id": row.unit.id, "code": row.unit.code, "name": row.unit.name},
        "trigger": row.trigger.value,
        "trigger_label": without_clauses(row.trigger.label),
        "state": row.state.value,
        "state_label": row.state.label,
        "reason": row.reason,
        "proposed_by_system": row.created_by_id is None,
        "created_at": moment(row.created_at),
        "projects": [{"id": p.id, "code": p.code, "name": p.name} for p in row.projects],
        "requested_by": row.requested_by.name if row.requested_by else None,
        "leader": row.leader.name if row.leader else None,
        "scheduled_at": moment(row.scheduled_at),
        "place": row.place,
        "number": row.number,
        "held_at": moment(row.held_at),
        "minutes": row.minutes,
        "dismissed_reason": row.dismissed_reason,
        "commitments": [commitment(c) for c in row.commitments],
    }


def commitment(row: InterviewCommitment) -> JSON:
    """A commitment made at the interview."""
    return {
        "id": row.id,
        "text": row.text,
        "due_on": day(row.due_on),
        "state": row.state.value,
        "state_label": row.state.label,
        "done_note": row.done_note,
        "done_at": moment(row.done_at),
    }
