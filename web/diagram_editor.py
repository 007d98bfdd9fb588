"""The browser modeler (X3): a key's newest deployed diagram opened for editing, the server's
check of an edited diagram, and its deployment as the next version. Administrators only."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response as Redirect

from keyproj.clock import now_utc
from keyproj.errors import Conflict, DiagramRefused
from keyproj.inputs import text_problem
from keyproj.services.diagrams.editor import editor_page, newest_version, require_diagram_editor
from keyproj.services.diagrams.validation import (
    MAX_DIAGRAM_BYTES,
    DiagramProblem,
    validate_diagram,
)
from keyproj.services.diagrams.versions import deploy_version
from keyproj.services.reference.wording import beijing_time
from web.auth import current_viewer
from web.db import db_session, state

bp = Blueprint("diagram_editor", __name__, url_prefix="/diagrams")
# The JSON around the diagram's text: the note and the quoting of the text's quotes.
JSON_MARGIN = 256 * 1024
MAX_NOTE = 200


@bp.before_request
def only_editors() -> None:
    """Refuse every page of the modeler to anyone but an administrator (403)."""
    require_diagram_editor(current_viewer())


@bp.route("/edit", endpoint="start")
def start() -> Redirect:
    """The modeler on the diagram this county's profile runs its cases on."""
    return redirect(url_for("diagram_editor.edit", key=state().profile.process.diagram))


@bp.route("/<key>/edit", endpoint="edit")
def edit(key: str) -> str:
    """The modeler on the newest deployed version of ``key``."""
    page = editor_page(db_session(), current_viewer(), key)
    return render_template("diagrams/edit.html", page=page)


@bp.route("/<key>/edit/<int:version>.bpmn", endpoint="source")
def source(key: str, version: int) -> Response:
    """The diagram the page opened (the newest deployed version, as the page named it)."""
    newest = newest_version(db_session(), current_viewer(), key)
    if version != newest.version:
        return Response("该版本已不是最新版本，请刷新页面", 409, mimetype="text/plain")
    return Response(newest.bpmn_xml, mimetype="application/xml")


@bp.route("/<key>/edit/check", methods=["POST"], endpoint="check")
def check(key: str) -> tuple[Response, int]:
    """检查: the server's validation of the posted diagram, its problems per element."""
    newest_version(db_session(), current_viewer(), key)  # the key must have a deployed version
    posted = _posted()
    if isinstance(posted, tuple):
        return posted
    return jsonify(problems=[_problem(p) for p in validate_diagram(posted["xml"], key)]), 200


@bp.route("/<key>/edit/deploy", methods=["POST"], endpoint="deploy")
def deploy(key: str) -> tuple[Response, int]:
    """部署为新版本: validate and deploy the posted diagram; refused → its problems."""
    session = db_session()
    before = newest_version(session, current_viewer(), key).version
    posted = _posted()
    if isinstance(posted, tuple):
        return posted
    if posted["base"] != before:
        # Someone deployed a newer version since this editor opened its own: deploying now
        # would silently undo their change.
        message = f"该流程图已有更新的第 {before} 版，请刷新页面后在最新版本上修改"
        return _refusal(409, "stale", message)
    try:
        definition = deploy_version(
            session, current_viewer(), key, posted["xml"], posted["note"], now_utc()
        )
    except DiagramRefused as refused:
        session.rollback()
        problems = [_problem(p) for p in refused.problems]
        return jsonify(message="流程图有错误，未部署", problems=problems), 422
    except Conflict as same:  # the very text of a deployed version: nothing new to deploy
        session.rollback()
        return _refusal(409, "unchanged", str(same))
    session.commit()
    return jsonify(
        message=f"已部署为第 {definition.version} 版",
        created=True,
        version=definition.version,
        deployed_at=beijing_time(definition.deployed_at),
        deployed_by=str(current_user.display_name),
        note=definition.note or "",
        problems=[],
    ), 200


def _posted() -> dict[str, Any] | tuple[Response, int]:
    """The posted JSON {xml, note, base}: the diagram, the version's note and the version the
    editor opened. Too large (refused unread), malformed or unstorable → a JSON refusal."""
    length = request.content_length
    if length is not None and length > MAX_DIAGRAM_BYTES + JSON_MARGIN:
        limit = MAX_DIAGRAM_BYTES // (1024 * 1024)
        return _refusal(413, "size", f"流程图文件超过 {limit} MB 上限，未读取其内容")
    request.max_content_length = MAX_DIAGRAM_BYTES + JSON_MARGIN
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("xml"), str):
        return _refusal(400, "request", "请求中没有流程图（JSON 字段 xml）")
    note = body.get("note")
    if note is not None and not isinstance(note, str):
        return _refusal(400, "request", "版本说明必须是文字")
    note = (note or "").strip() or None
    if note is not None and (len(note) > MAX_NOTE or text_problem(note)):
        return _refusal(400, "note", f"版本说明不能超过 {MAX_NOTE} 字，且不能含控制字符")
    base = body.get("base")
    if request.endpoint == "diagram_editor.deploy" and not isinstance(base, int):
        return _refusal(400, "request", "请求中没有所编辑的版本号（JSON 字段 base）")
    return {"xml": body["xml"], "note": note, "base": base}


def _refusal(status: int, rule: str, message: str) -> tuple[Response, int]:
    problem = {"element_id": None, "rule": rule, "message": message}
    return jsonify(message=message, problems=[problem]), status


def _problem(problem: DiagramProblem) -> dict[str, str | None]:
    return {"element_id": problem.element_id, "rule": problem.rule, "message": problem.message}
