"""Liveness and database check for load balancers and monitoring."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from web.db import state

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    """200 {"status": "ok"} when the database answers ``SELECT 1``, 503 otherwise."""
    try:
        with state().engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError:
        # Details go to the log, not into the answer: the endpoint is public.
        current_app.logger.exception("health check: database unavailable")
        return jsonify(status="unavailable", message="数据库不可用"), 503
    return jsonify(status="ok"), 200
