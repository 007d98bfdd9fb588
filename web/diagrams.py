"""The diagrams' versions (X3): list, view, diff, deploy from a file, retire, migrate running cases.

Administrators change them; the key office and auditors read them (the services check both).
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from keyproj.clock import now_utc
from keyproj.errors import Conflict, DiagramRefused, NotFound, ValidationError
from keyproj.inputs import BadInput, parse_int
from keyproj.services.cases.definitions import title_of
from keyproj.services.diagrams import migration, versions
from keyproj.services.diagrams.diff import diff_versions
from keyproj.services.diagrams.validation import (
    MAX_DIAGRAM_BYTES,
    DiagramProblem,
    validate_diagram,
)
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session

bp = Blueprint("diagrams", __name__)


@bp.route("/diagrams")
def index() -> str:
    """Each diagram: its versions, their status and running cases, and the change log."""
    session, viewer = db_session(), current_viewer()
    rows = versions.list_versions(session, viewer)
    keys: dict[str, list[versions.VersionRow]] = {}
    for row in rows:
        keys.setdefault(row.key, []).append(row)
    return render_template(
        "diagrams/index.html",
        keys=keys,
        changes=versions.changes(session, viewer),
        editor=versions.may_edit(viewer),
        profiles=versions.profile_diagrams(),
    )


@bp.route("/diagrams/<key>/versions/<int:number>")
def show(key: str, number: int) -> str:
    """One version, drawn by the diagram viewer."""
    session = db_session()
    found = versions.version(session, current_viewer(), key, number)
    title = title_of(session, found.id)
    return render_template("diagrams/version.html", definition=found, marked=[], title=title)


@bp.route("/diagrams/<key>/versions/<int:number>.bpmn")
def xml(key: str, number: int) -> Response:
    """The BPMN XML of one version (read by the viewer)."""
    found = versions.version(db_session(), current_viewer(), key, number)
    return Response(found.bpmn_xml, mimetype="application/xml")


@bp.route("/diagrams/<key>/diff")
def diff(key: str) -> str:
    """What version ``b`` added, removed and changed against version ``a``."""
    session, viewer = db_session(), current_viewer()
    versions.require_reader(viewer)  # who may not read learns nothing of the parameters
    a, b = _number("a"), _number("b")
    changes = diff_versions(session, viewer, key, a, b)
    newer = versions.version(session, viewer, key, b)
    marked = [c.element_id for c in changes if c.change != "removed"]
    return render_template(
        "diagrams/diff.html",
        key=key,
        a=a,
        b=b,
        changes=changes,
        definition=newer,
        marked=marked,
        title=title_of(session, newer.id),
    )


@bp.route("/diagrams/<key>/deploy", methods=["POST"])
def deploy(key: str) -> BaseResponse | tuple[str, int]:
    """Deploy an uploaded .bpmn file as the next version; its problems are listed per element."""
    versions.require_editor(current_viewer())
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError.single("file", "流程图文件", "请选择 .bpmn 文件")
    data = upload.read(MAX_DIAGRAM_BYTES + 1)  # a larger file is refused unread beyond this
    note = request.form.get("note", "").strip() or None
    problems = validate_diagram(data, key)  # the size, the XML and its encoding first
    if problems:
        return _refused(key, problems)
    with commit_or_refuse(DiagramRefused, Conflict) as outcome:
        found = versions.deploy_version(
            db_session(), current_viewer(), key, data.decode("utf-8"), note, now_utc()
        )
    if isinstance(outcome.refusal, DiagramRefused):
        return _refused(key, outcome.refusal.problems)
    if outcome.refusal is not None:
        outcome.flash("")
        return redirect(url_for("diagrams.index"), 303)
    title = title_of(db_session(), found.id)
    outcome.flash(f"已部署“{title}”第 {found.version} 版：新案件从此使用该版本")
    return redirect(url_for("diagrams.index"), 303)


@bp.route("/diagrams/<key>/versions/<int:number>/retire", methods=["POST"])
def retire(key: str, number: int) -> BaseResponse:
    """Retire a version: it takes no new cases."""
    note = request.form.get("note", "").strip() or None
    title = ""
    with commit_or_refuse(Conflict) as outcome:
        retired = versions.retire(db_session(), current_viewer(), key, number, now_utc(), note)
        title = title_of(db_session(), retired.id)
    outcome.flash(f"已停用“{title}”第 {number} 版：新案件改用最新的在用版本")
    return redirect(url_for("diagrams.index"), 303)


@bp.route("/diagrams/<key>/migrate")
def preview(key: str) -> str:
    """The running cases of version ``source`` and what moving each to ``target`` would do."""
    session, viewer = db_session(), current_viewer()
    versions.require_editor(viewer)
    source, target = _number("source"), _number("target")
    rows = versions.list_versions(session, viewer, key)
    if not rows:
        raise NotFound(f"流程“{key}”尚未部署")
    # The same version twice, or a retired target: the page offers the choice of versions only.
    shown, problem = None, "请选择不同的源版本和目标版本。"
    if source != target:
        try:
            shown = migration.preview(session, viewer, key, source, target)
        except Conflict as exc:
            problem = str(exc)
    return render_template(
        "diagrams/migrate.html",
        problem=problem,
        key=key,
        preview=shown,
        rows=rows,
        source=source,
        target=target,
        title=rows[0].title,
    )


@bp.route("/diagrams/<key>/migrate", methods=["POST"])
def apply(key: str) -> BaseResponse:
    """Move the chosen cases in one go."""
    versions.require_editor(current_viewer())
    source, target = _number("source"), _number("target")
    chosen = [int(v) for v in request.form.getlist("case") if v.isdigit()]
    if not chosen:
        raise ValidationError.single("case", "案件", "请选择要迁移的案件")
    result = migration.MigrationResult()
    with commit_or_refuse(Conflict) as outcome:
        result = migration.apply(
            db_session(), current_viewer(), key, source, target, chosen, now_utc()
        )
    refused = f"；{len(result.refused)} 件未迁移" if result.refused else ""
    outcome.flash(f"已将 {len(result.moved)} 件案件迁移至第 {target} 版{refused}")
    return redirect(url_for("diagrams.index"), 303)


def _refused(key: str, problems: list[DiagramProblem]) -> tuple[str, int]:
    """The page listing a refused diagram's problems, each naming its element."""
    rows = versions.list_versions(db_session(), current_viewer(), key)
    title = rows[0].title if rows else key
    return render_template("diagrams/refused.html", title=title, problems=problems), 400


def _number(name: str) -> int:
    """A version number from the query string or the form."""
    text = (request.values.get(name) or "").strip()
    try:
        return parse_int(text, 1)
    except BadInput as exc:
        raise ValidationError.single(name, "版本号", str(exc)) from None
