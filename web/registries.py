"""Registry pages: county leaders, unit liaisons and the published list (LP5, AL8), project teams
and the site sign (GS3, DC1), each with an xlsx template and import."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from keyproj.clock import today_beijing
from keyproj.db.models import Project
from keyproj.errors import FieldError, ImportRowError, PermissionDenied, ValidationError
from keyproj.inputs import ADMIN_YEARS, BadInput, parse_date
from keyproj.services.access import visible_project
from keyproj.services.org import leaders, liaison_list, liaisons, sheets
from keyproj.services.projects import site_sign, teams
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.paging import kept_args, paging

bp = Blueprint("registries", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEMPLATES = {  # the import templates, by registry
    "leaders": ("县领导名录", leaders.COLUMNS),
    "liaisons": ("联络员名单", liaisons.COLUMNS),
    "teams": ("项目专班", teams.COLUMNS),
}


@bp.route("/registries", endpoint="index")
def index() -> str:
    """The registries and, for a leader or the bureau, their LP8 report lists."""
    return render_template("registries/index.html", profile=state().profile)


def template(kind: str) -> Response:
    """An import template: the columns' headers and one example row."""
    title, columns = TEMPLATES[kind]
    return _download(sheets.template(title, columns), f"{title}导入模板.xlsx", XLSX)


# One route per registry: a route's only path arguments are database ids (the access test).
for _kind in TEMPLATES:
    bp.add_url_rule(
        f"/registries/{_kind}/template.xlsx",
        f"{_kind}_template",
        lambda kind=_kind: template(kind),
    )


# --- leaders ----------------------------------------------------------------------------------


@bp.route("/registries/leaders", methods=["GET", "POST"], endpoint="leaders")
def leaders_page() -> Response | str:
    """The county leaders, each with their account and projects; the key office adds or edits."""
    session, viewer = db_session(), current_viewer()
    leaders.require_registrar(viewer)
    errors: list[FieldError] = []
    if request.method == "POST":
        data = leaders.LeaderData(*(_form(k) or "" for k in ("name", "title", "phone", "username")))
        with commit_or_refuse(ValidationError) as outcome:
            leaders.register_leader(session, viewer, data)
        if outcome.refusal is None:
            flash(f"已登记县领导{data.name.strip()}", "info")
            return redirect(url_for("registries.leaders"), 303)
        errors = outcome.refusal.errors
    page = leaders.leader_rows(session, paging())
    return render_template("registries/leaders.html", rows=page, query=kept_args(), errors=errors)


@bp.route("/registries/leaders/import", methods=["POST"], endpoint="import_leaders")
def import_leaders() -> Response | tuple[str, int]:
    """Register the leaders of an uploaded sheet, all or none."""
    viewer = current_viewer()
    leaders.require_registrar(viewer)
    return _import(
        "registries.leaders", lambda data: leaders.import_leaders(db_session(), viewer, data)
    )


# --- liaisons ---------------------------------------------------------------------------------


@bp.route("/registries/liaisons", methods=["GET", "POST"], endpoint="liaisons")
def liaisons_page() -> Response | str:
    """The published list of current liaisons; a unit names its own, the key office any (LP5)."""
    session, viewer = db_session(), current_viewer()
    units = liaisons.nameable_units(session, viewer)
    errors: list[FieldError] = []
    if request.method == "POST":
        if not (units or liaisons.names_project_liaisons(viewer)):
            raise PermissionDenied("当前账号不能登记联络员")
        with commit_or_refuse(ValidationError) as outcome:
            data = liaisons.LiaisonData(
                _form("unit") or "",
                _form("name") or "",
                _form("phone") or "",
                _form("position"),
                _since(),
                _form("project"),
            )
            liaisons.name_liaison(session, viewer, data, today_beijing())
        if outcome.refusal is None:
            flash("联络员已登记，原联络员的任职截至新任职日期", "info")
            return redirect(url_for("registries.liaisons"), 303)
        errors = outcome.refusal.errors
    listing = liaison_list.published_list(session, state().profile.profile.name, today_beijing())
    return render_template(
        "registries/liaisons.html",
        listing=listing,
        units=units,
        names_projects=liaisons.names_project_liaisons(viewer),
        errors=errors,
        may_import=viewer.has("key_office", "admin"),
    )


@bp.route("/registries/liaisons/history", endpoint="liaison_history")
def liaison_history() -> str:
    """One unit's liaisons over time (``?unit=`` its code), or a construction unit's
    (``?project=`` its 项目代码); a unit sees its own."""
    viewer, args = current_viewer(), request.args
    whose, rows = liaisons.history(
        db_session(), viewer, args.get("unit") or "", args.get("project") or ""
    )
    return render_template("registries/liaison_history.html", whose=whose, rows=rows)


@bp.route("/registries/liaisons.xlsx", endpoint="liaisons_xlsx")
def liaisons_xlsx() -> Response:
    """The published list as a workbook (LP5)."""
    return liaison_export("xlsx")


@bp.route("/registries/liaisons.docx", endpoint="liaisons_docx")
def liaisons_docx() -> Response:
    """The published list as a DOCX in the official layout (LP5)."""
    return liaison_export("docx")


def liaison_export(fmt: str) -> Response:
    """The published list as a workbook or as a DOCX in the official layout (LP5 汇总印发)."""
    county = state().profile.profile.name
    listing = liaison_list.published_list(db_session(), county, today_beijing())
    name = f"{listing.title}（{listing.dated.isoformat()}）.{fmt}"
    if fmt == "xlsx":
        return _download(liaison_list.as_xlsx(listing), name, XLSX)
    return _download(liaison_list.as_docx(listing, f"{county}重点项目建设办公室"), name, DOCX)


@bp.route("/registries/liaisons/import", methods=["POST"], endpoint="import_liaisons")
def import_liaisons() -> Response | tuple[str, int]:
    """Name the liaisons of an uploaded sheet, all or none."""
    viewer = current_viewer()
    return _import(
        "registries.liaisons",
        lambda data: liaisons.import_liaisons(db_session(), viewer, data, today_beijing()),
    )


# --- teams and the site sign ------------------------------------------------------------------


@bp.route("/projects/<int:project_id>/team", methods=["GET", "POST"], endpoint="team")
def team(project_id: int) -> Response | str:
    """A project's team by the profile's roles (GS3, DC1); the key office edits it."""
    session, viewer = db_session(), current_viewer()
    project = visible_project(session, viewer, project_id)
    profile = state().profile
    roles = teams.team_roles(profile)
    errors: list[FieldError] = []
    if request.method == "POST":
        members = [
            teams.MemberData(role, *(_form(f"{role}_{k}") or "" for k in teams.FORM_FIELDS))
            for role in roles
            if (_form(f"{role}_name") or "").strip()
        ]
        with commit_or_refuse(ValidationError) as outcome:
            teams.save_team(session, viewer, project, members, profile)
        if outcome.refusal is None:
            flash("项目专班已保存", "info")
            return redirect(url_for("registries.team", project_id=project.id), 303)
        errors = outcome.refusal.errors
    current = {m.role: m for m in project.team}
    return render_template(
        "registries/team.html",
        project=project,
        roles=roles,
        current=current,
        errors=errors,
        may_edit=viewer.has("key_office", "admin"),
        citation=profile.citations.get("team.roles"),
        site_sign=profile.team.site_sign,
    )


@bp.route("/projects/<int:project_id>/site-sign", endpoint="site_sign")
def sign(project_id: int) -> str:
    """The printable site sign (DC1), where the profile posts one."""
    project = _signed_project(project_id)
    return render_template(
        "registries/site_sign.html", sign=site_sign.site_sign(project, state().profile)
    )


@bp.route("/projects/<int:project_id>/site-sign.docx", endpoint="site_sign_docx")
def sign_docx(project_id: int) -> Response:
    """The site sign as a DOCX to print (DC1)."""
    project = _signed_project(project_id)
    data = site_sign.as_docx(site_sign.site_sign(project, state().profile))
    return _download(data, f"公示牌-{project.code}.docx", DOCX)


@bp.route("/registries/teams/import", methods=["POST"], endpoint="import_teams")
def import_teams() -> Response | tuple[str, int]:
    """Replace the teams of the projects in an uploaded sheet, all or none."""
    viewer = current_viewer()
    leaders.require_registrar(viewer)
    return _import(
        "registries.index",
        lambda data: teams.import_teams(db_session(), viewer, data, state().profile),
    )


# --- helpers ----------------------------------------------------------------------------------


def _signed_project(project_id: int) -> Project:
    if not state().profile.team.site_sign:
        abort(404)
    return visible_project(db_session(), current_viewer(), project_id)


def _form(key: str) -> str | None:
    return request.form.get(key)


def _since() -> date | None:
    text = (_form("since") or "").strip()
    if not text:
        return None
    try:
        return parse_date(text, ADMIN_YEARS)
    except BadInput as exc:
        raise ValidationError.single("since", liaisons.LABELS["since"], str(exc)) from None


def _import(back: str, run: Callable[[bytes], int]) -> Response | tuple[str, int]:
    """Run an import of the uploaded file; a refused file saves nothing and lists each problem."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("请选择要导入的 .xlsx 文件", "error")
        return redirect(url_for(back), 303)
    with commit_or_refuse(ValidationError) as outcome:
        count = run(upload.read())
    refusal = outcome.refusal
    if refusal is None:
        flash(f"已导入 {count} 行", "info")
        return redirect(url_for(back), 303)
    lines = (
        refusal.lines() if isinstance(refusal, ImportRowError) else [str(e) for e in refusal.errors]
    )
    return render_template("registries/import_refused.html", lines=lines, back=back), 422


def _download(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response
