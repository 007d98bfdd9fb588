"""The auditors' pages of a case (X4): its history step by step, the re-execution, the dossier."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request

from keyproj.paging import refuse
from keyproj.services.cases.views.dossier import (
    dossier_docx,
    events_json,
    reexecution_text,
    verification_text,
)
from keyproj.services.cases.views.history import HISTORY_READERS, CaseHistory, case_history
from keyproj.validation import QueryArgs
from web.auth import current_viewer
from web.db import db_session
from web.downloads import DOCX, attachment

bp = Blueprint("history", __name__)


@bp.route("/cases/<int:case_id>/history")
def history(case_id: int) -> str:
    """Step ``step`` of the case's log on its pinned diagram, the chain verified (X4)."""
    found = _history(case_id)
    read = QueryArgs(request.args, {"step": "步骤"})
    asked = read.read_id("step")
    refuse([], read.errors)  # a malformed step is named on a 400 page
    step = found.step(asked)
    return render_template(
        "cases/history.html",
        history=found,
        step=step,
        verification=verification_text(found),
        marks=[{"path": s.path, "position": s.position} for s in found.steps],
    )


@bp.route("/cases/<int:case_id>/history/reexecute")
def reexecute(case_id: int) -> str:
    """The recorded inputs run again on the pinned diagram: each step's hash reproduced or not."""
    found = _history(case_id)
    return render_template(
        "cases/reexecute.html",
        history=found,
        verification=verification_text(found),
        result=reexecution_text(found),
    )


@bp.route("/cases/<int:case_id>/dossier.docx")
def dossier(case_id: int) -> Response:
    """The case's dossier for the archive as a Word document."""
    found = _history(case_id)
    body = dossier_docx(db_session(), current_viewer(), found)
    name = f"案件档案-{found.case.notice_number or found.case.id}.docx"
    return attachment(body, DOCX, name)


@bp.route("/cases/<int:case_id>/events.json")
def events(case_id: int) -> Response:
    """The case's raw events with their hashes, as stored."""
    found = _history(case_id)
    payload = events_json(db_session(), current_viewer(), found)
    text = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True)
    return attachment(text, "application/json", f"案件事件-{found.case.id}.json")


@bp.app_template_global("may_audit")
def may_audit() -> bool:
    """Whether the signed-in user may replay case histories (the case page links them)."""
    return current_viewer().has(*HISTORY_READERS)


def _history(case_id: int) -> CaseHistory:
    return case_history(db_session(), current_viewer(), case_id)
