"""The administrators' unit pages: the list, a new unit, renaming, kind, deactivating."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from keyproj.clock import now_utc
from keyproj.codes import UNIT_KINDS
from keyproj.errors import Conflict, ValidationError
from keyproj.services.admin import units as unit_admin
from keyproj.services.admin.changelog import actor_of
from web.admin import bp
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session
from web.paging import kept_args, paging


@bp.route("/units", endpoint="units")
def units() -> str:
    """A page of the units with their kind, parent, state and active accounts."""
    session = db_session()
    return render_template(
        "admin/units.html",
        page=unit_admin.unit_page(session, paging()),
        kinds=UNIT_KINDS,
        parents=unit_admin.all_units(session),
        query=kept_args(),
    )


@bp.route("/units", methods=["POST"], endpoint="new_unit")
def new_unit() -> Response:
    """Create a unit."""
    session, form = db_session(), request.form
    with commit_or_refuse(ValidationError) as outcome:
        unit = unit_admin.create_unit(
            session,
            actor_of(session, current_viewer()),
            now_utc(),
            form.get("code", ""),
            form.get("name", ""),
            form.get("kind", ""),
            form.get("parent_code", "") or None,
        )
    outcome.flash(f"已新建单位 {unit.code} {unit.name}" if outcome.refusal is None else "")
    return redirect(url_for("admin.units"), 303)


@bp.route("/units/<int:unit_id>", methods=["POST"], endpoint="edit_unit")
def edit_unit(unit_id: int) -> Response:
    """Rename a unit or change its kind."""
    session, form = db_session(), request.form
    with commit_or_refuse(ValidationError) as outcome:
        unit_admin.update_unit(
            session,
            actor_of(session, current_viewer()),
            now_utc(),
            unit_id,
            form.get("name", ""),
            form.get("kind", ""),
        )
    outcome.flash("单位已保存")
    return redirect(url_for("admin.units", **kept_args("page")), 303)


@bp.route("/units/<int:unit_id>/active", methods=["POST"], endpoint="unit_active")
def unit_active(unit_id: int) -> Response:
    """Deactivate a unit (kept with its history) or bring it back."""
    session = db_session()
    active = request.form.get("active") == "1"
    with commit_or_refuse(ValidationError, Conflict) as outcome:
        unit_admin.set_unit_active(
            session, actor_of(session, current_viewer()), now_utc(), unit_id, active
        )
    outcome.flash("单位已恢复" if active else "单位已停用，历史记录保留")
    return redirect(url_for("admin.units", **kept_args("page")), 303)
