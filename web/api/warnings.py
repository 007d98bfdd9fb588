"""POST /api/v1/warnings: warnings sent by the provincial or city system (LP12)."""

from __future__ import annotations

from flask import Response, jsonify

from keyproj.clock import now_utc
from keyproj.errors import ImportRowError
from keyproj.services.scan.feedback import BY_NAME
from keyproj.services.scan.hand import receive_feedback
from web.api import bp
from web.api.auth import api_viewer
from web.api.errors import ApiError
from web.api.parse import json_body
from web.db import db_session, state


@bp.post("/warnings", endpoint="receive_warnings")
def receive() -> tuple[Response, int]:
    """Raise the warnings sent (one object, or ``{"warnings": [...]}``) into the key office's
    triage (LP13; their notices go out at once where the profile allows).

    Idempotent: a warning sent again (same origin, level, project and period, as the file
    import knows it) is not raised twice; the answer names the warning it already is, with
    ``created`` false, so a system that retries after a lost answer gets the same ids.
    """
    session = db_session()
    body = json_body()
    try:
        received = receive_feedback(session, state().profile, api_viewer(), body, now_utc())
    except ImportRowError as exc:
        session.rollback()
        listed = isinstance(body, dict) and "warnings" in body
        fields = {_field(row, column, listed): reason for row, column, reason in exc.rows}
        raise ApiError(422, "validation_failed", f"预警未接收：{exc}", fields) from None
    session.commit()
    created = set(received.created)
    answer = {
        "warnings": [{"id": i, "created": i in created} for i in received.warning_ids],
        "cases_started": received.cases_started,
    }
    return jsonify(answer), 201 if created else 200


def _field(row: int, column: str, listed: bool) -> str:
    """The field a problem is about, as the client named it: ``warnings[0].colour`` or ``colour``."""
    known = BY_NAME.get(column)
    if column in ("JSON", "文件"):  # the body's shape, not one field (an item not an object, none)
        return "warnings" if listed else ""
    name = known.key if known else column  # an unknown field is named as it was sent
    return f"warnings[{row - 1}].{name}" if listed else name
