"""Spot-check pages (LP10): a cycle's sampling plan with why each project is in it, the checks
made, and the key office's forms to draw the plan, add or remove a project, and record a check
whose finding may raise a warning or open an issue. Also the landing of the site-work pages."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from keyproj.clock import now_utc, today_beijing
from keyproj.codes import COLOURS, ISSUE_CATEGORIES, WARNING_LEVELS, AttachmentOwner, Role
from keyproj.db.models import Project, SpotCheckPlan, Unit
from keyproj.errors import Conflict, NotFound, ValidationError
from keyproj.inputs import BadInput, parse_id
from keyproj.services.spot_checks import plans
from keyproj.services.spot_checks.checks import CheckData, Escalation, record_check
from keyproj.services.spot_checks.views import check_in_scope, plan_view
from web import attachments
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.inputs import takes_files

bp = Blueprint("spot_checks", __name__)


@bp.route("/site-work", endpoint="landing")
def landing() -> Response:
    """The site-work pages open on what the county's regulation has: spot checks (LP10), visits
    (GS3, DC2), else the industry chains (DC5)."""
    profile = state().profile
    if profile.spot_checks is not None:
        return redirect(url_for("spot_checks.page"))
    if profile.visits is not None:
        return redirect(url_for("visits.page"))
    return redirect(url_for("chains.index"))


CHECK_FIELDS = (
    "project_id",
    "checked_on",
    "checkers",
    "findings",
    "level",
    "colour",
    "category",
    "owner_unit_code",
)


@bp.route("/spot-checks", endpoint="page")
def page() -> str:
    """The cycle asked for (``cycle``, else the current one): its plan and checks."""
    return _page()


def _page(typed: dict[str, str] | None = None) -> str:
    """The cycle's page; ``typed`` is a refused check's form, shown again to be put right."""
    profile = state().profile
    if profile.spot_checks is None:
        return render_template("spot_checks/page.html", view=None, section="sitework")
    viewer = current_viewer()
    view = plan_view(
        db_session(), profile, viewer, request.args.get("cycle") or None, today_beijing()
    )
    office = viewer.has(Role.KEY_OFFICE, Role.ADMIN)
    return render_template(
        "spot_checks/page.html",
        view=view,
        office=office,
        projects=_projects() if office else [],
        units=_units() if office else [],
        levels=WARNING_LEVELS,
        colours=COLOURS,
        categories=ISSUE_CATEGORIES,
        today=today_beijing(),
        typed=typed or {},
        section="sitework",
    )


def _projects() -> list[tuple[int, str]]:
    rows = db_session().execute(select(Project.id, Project.name).order_by(Project.code))
    return [(i, n) for i, n in rows]


def _units() -> list[tuple[str, str]]:
    rows = db_session().execute(
        select(Unit.code, Unit.name).where(Unit.active.is_(True)).order_by(Unit.code)
    )
    return [(c, n) for c, n in rows]


def _back(cycle: str | None = None) -> Response:
    return redirect(url_for("spot_checks.page", cycle=cycle or None), 303)


@bp.route("/spot-checks/plans", methods=["POST"], endpoint="draw")
def draw() -> Response:
    """Draw the current cycle's plan; a seed given reproduces an earlier draw."""
    typed = request.form.get("seed", "").strip()
    seed = _whole_number(typed)
    if typed and seed is None:
        flash("随机种子：应为正整数", "error")
        return _back()
    with commit_or_refuse(ValidationError, Conflict) as outcome:
        plan = plans.draw_plan(
            db_session(), state().profile, current_viewer(), today_beijing(), now_utc(), seed
        )
    outcome.flash("本期抽查计划已生成")
    return _back(plan.cycle if outcome.refusal is None else None)


def _project_id() -> int | None:
    return _whole_number(request.form.get("project_id", ""))


def _whole_number(typed: str) -> int | None:
    """A whole number in ASCII digits that an id column holds, else None (the service then
    names the field): ``str.isdigit`` also takes ``²`` and ``٣``, which ``int`` refuses."""
    try:
        return parse_id(typed.strip())
    except BadInput:
        return None


@bp.route("/spot-checks/plans/<int:plan_id>/add", methods=["POST"], endpoint="add")
def add(plan_id: int) -> Response:
    """The key office adds a project, with its reason."""
    project_id = _project_id()
    with commit_or_refuse(ValidationError, NotFound) as outcome:
        plans.add_project(
            db_session(),
            current_viewer(),
            plan_id,
            project_id,
            request.form.get("note", ""),
            now_utc(),
        )
    outcome.flash("已增列该项目")
    return _back(_cycle(plan_id))


@bp.route("/spot-checks/plans/<int:plan_id>/remove", methods=["POST"], endpoint="remove")
def remove(plan_id: int) -> Response:
    """The key office takes a project out, with its reason (never one of 5亿元 or more)."""
    project_id = _project_id()
    with commit_or_refuse(ValidationError, NotFound) as outcome:
        plans.remove_project(
            db_session(),
            state().profile,
            current_viewer(),
            plan_id,
            project_id or 0,
            request.form.get("removal_reason", ""),
            now_utc(),
        )
    outcome.flash("已将该项目移出本期抽查计划")
    return _back(_cycle(plan_id))


def _cycle(plan_id: int) -> str | None:
    plan = db_session().get(SpotCheckPlan, plan_id)
    return plan.cycle if plan is not None else None


@bp.route("/spot-checks/checks", methods=["POST"], endpoint="record")
def record() -> Response | tuple[str, int]:
    """Record a check; its finding may raise a warning and open an issue. A refusal shows the
    form again with what was typed."""
    form = request.form
    typed = {f: form.get(f, "") for f in CHECK_FIELDS}
    typed_day = typed["checked_on"].strip()
    try:
        day = date.fromisoformat(typed_day) if typed_day else None
    except ValueError:
        flash("抽查日期：请填写 YYYY-MM-DD 格式的日期", "error")
        return _page(typed), 422
    data = CheckData(
        _project_id(),
        day,
        form.get("checkers", ""),
        form.get("findings", "") or None,
        Escalation(
            form.get("level") or None,
            form.get("colour") or None,
            form.get("category") or None,
            form.get("owner_unit_code") or None,
        ),
    )
    with commit_or_refuse(ValidationError, Conflict) as outcome:
        check = record_check(db_session(), state().profile, current_viewer(), data, now_utc())
    outcome.flash("抽查记录已保存")
    if isinstance(outcome.refusal, ValidationError):
        return _page(typed), 422
    cycle = None
    if outcome.refusal is None and day is not None:
        cycle = plans.cycle_of(state().profile, check.checked_on).key
    return _back(cycle)


@bp.route("/spot-checks/checks/<int:check_id>", endpoint="check")
def check(check_id: int) -> str:
    """One check with its site photos; the key office adds photos here (LP10)."""
    viewer = current_viewer()
    row = check_in_scope(db_session(), viewer, check_id)
    return render_template(
        "spot_checks/check.html",
        check=row,
        photos=attachments.listed(AttachmentOwner.SPOT_CHECK, row.id),
        form=attachments.PhotoForm() if viewer.has(Role.KEY_OFFICE, Role.ADMIN) else None,
        section="sitework",
    )


@bp.route("/spot-checks/checks/<int:check_id>/photos", methods=["POST"], endpoint="photos")
@takes_files
def photos(check_id: int) -> Response:
    """Site photos filed with a spot check."""
    back = url_for("spot_checks.check", check_id=check_id)
    return attachments.upload_photos(AttachmentOwner.SPOT_CHECK, check_id, back)
