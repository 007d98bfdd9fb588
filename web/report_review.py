"""LP8 pages: the reports copied to a county leader, the bureau's review queue, forwarding."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from keyproj.codes import Role
from keyproj.errors import Conflict, PermissionDenied, ValidationError
from keyproj.services.access import require_role
from keyproj.services.projects import distribution
from keyproj.services.projects.views.reports import visible_report
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.paging import kept_args, paging

bp = Blueprint("report_review", __name__)


@bp.route("/reports/copies", endpoint="copies")
def copies() -> str:
    """The monthly reports copied to the signed-in county leader (LP8 抄送挂钩县领导)."""
    viewer = current_viewer()
    page = distribution.copied_to_me(db_session(), viewer, paging())
    return render_template("reports/copies.html", reviews=page, query=kept_args())


@bp.route("/reports/review", endpoint="queue")
def queue() -> str:
    """The development-and-reform bureau's queue of submitted reports to review (LP8)."""
    viewer = current_viewer()
    require_role(viewer, Role.DRB_REVIEWER, Role.ADMIN)
    page = distribution.awaiting_review(db_session(), viewer, paging())
    return render_template(
        "reports/review_queue.html",
        reviews=page,
        query=kept_args(),
        forwarded_to=state().profile.reporting.forwarded_to,
    )


@bp.route("/reports/<int:report_id>/forward", methods=["POST"], endpoint="forward")
def forward(report_id: int) -> Response | tuple[str, int]:
    """The bureau reviews a report and forwards it to those the profile names (LP8)."""
    session, viewer = db_session(), current_viewer()
    report = visible_report(session, viewer, report_id)
    with commit_or_refuse(Conflict, ValidationError, PermissionDenied) as outcome:
        distribution.forward(session, viewer, report, request.form.get("note"), state().profile)
    if isinstance(outcome.refusal, PermissionDenied):
        raise outcome.refusal
    if outcome.refusal is not None:
        flash(str(outcome.refusal), "error")
        return redirect(url_for("reports.detail", report_id=report_id), 303)
    flash("已审核并报送", "info")
    return redirect(url_for("reports.detail", report_id=report_id), 303)
