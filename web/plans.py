"""Plan pages (LP6, AL4, AL5, HD1): a project's year plan and its versions, drafting with the
breakdown, submitting, the unit head's signature, approval or return by the key office, and the
ledger template to download."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as BaseResponse
from wtforms import StringField, TextAreaField

from keyproj import periods
from keyproj.clock import today_beijing
from keyproj.codes import PlanStatus, Role
from keyproj.codes.plans import PlanKind
from keyproj.db.models import PlanVersion
from keyproj.errors import Conflict, FieldError, PermissionDenied, ValidationError
from keyproj.inputs import BadInput, parse_decimal, parse_year
from keyproj.services.access import require_project_writer, visible_project
from keyproj.services.projects import plan_windows as windows
from keyproj.services.projects.ledger.export import export_template
from keyproj.services.projects.plans import (
    LABELS,
    PlanData,
    PlanPeriodData,
    prefilled_fields,
    reject_version,
    revision_basis,
)
from keyproj.services.projects.views.plans import plan_page, visible_version
from keyproj.validation import QueryArgs
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.projects import may_write
from web.report_forms import put_errors

bp = Blueprint("plans", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PlanForm(FlaskForm):
    """A plan version's figures and records; the periods are rows of the page's table."""

    annual_investment = StringField(LABELS["annual_investment"])
    milestones = TextAreaField(LABELS["milestones"])
    reason = TextAreaField("调整原因（调整已批准的计划时必填）")
    responsible_leader = StringField(windows.LABELS["responsible_leader"])
    responsible_person = StringField(windows.LABELS["responsible_person"])
    request = TextAreaField(windows.LABELS["request"])


class DecisionForm(FlaskForm):
    """The key office's opinion, and for a mid-June adjustment the government's decision (AL5)."""

    note = TextAreaField(LABELS["note"])
    government_decision = StringField(windows.LABELS["government_decision"])


@bp.route("/plans/template.xlsx", endpoint="template")
def template() -> Response:
    """The empty ledger with its 「年度计划分解」 sheet for the profile's breakdown."""
    year = _year()
    content = export_template(state().profile.plans.breakdown, year)
    headers = {"Content-Disposition": f"attachment; filename=ledger-template-{year}.xlsx"}
    return Response(content, mimetype=XLSX, headers=headers)


@bp.route("/projects/<int:project_id>/plans", endpoint="project")
def project_plans(project_id: int) -> str:
    """A project's plan for the year (default: this year): the version in force and every version."""
    rules = state().profile.plans
    page = plan_page(db_session(), current_viewer(), project_id, _year(), rules)
    return render_template(
        "plans/project.html",
        page=page,
        may_write=may_write(page.project),
        rules=rules,
        is_late=lambda v: windows.is_late(v, rules, page.year),
    )


@bp.route("/projects/<int:project_id>/plans/new", methods=["GET", "POST"], endpoint="new")
def new(project_id: int) -> BaseResponse | tuple[str, int] | str:
    """Draft the year plan, or a revision of the approved one, with its breakdown."""
    session, viewer, rules = db_session(), current_viewer(), state().profile.plans
    project = visible_project(session, viewer, project_id)
    require_project_writer(viewer, project)
    year, form, loose = _year(), PlanForm(), list[FieldError]()
    keys = periods.of_year(rules.breakdown, year)
    if form.is_submitted() and form.validate():
        data, bad = _plan_data(form, [p.key for p in keys])
        if not bad:
            records = windows.PlanRecords(
                form.responsible_leader.data, form.responsible_person.data, form.request.data
            )
            with commit_or_refuse(ValidationError, Conflict) as outcome:
                version = windows.draft_plan(
                    session, viewer, project, year, data, records, rules, today_beijing()
                )
            if outcome.refusal is None:
                flash("计划草稿已保存，尚未报送", "info")
                return redirect(url_for("plans.version", version_id=version.id), 303)
            refusal = outcome.refusal
            if isinstance(refusal, ValidationError):
                bad = put_errors(form, refusal)
            else:
                bad = [FieldError("plan", "计划", str(refusal))]
        loose = bad
    typed = request.form if form.is_submitted() else _prefill(form, project.id, year)
    page = render_template(
        "plans/new.html",
        form=form,
        project=project,
        year=year,
        periods=keys,
        loose=loose,
        typed=typed,
    )
    return (page, 200)


def _prefill(form: PlanForm, project_id: int, year: int) -> dict[str, str]:
    """A revision opens with the current version's figures (LP6, AL5): change what changes."""
    basis = revision_basis(db_session(), project_id, year)
    if basis is None:
        return {}
    typed = prefilled_fields(basis)
    for name in ("annual_investment", "milestones", "responsible_leader", "responsible_person"):
        getattr(form, name).data = typed[name]
    return typed


@bp.route("/plans/versions/<int:version_id>", endpoint="version")
def version_view(version_id: int) -> str:
    """One plan version with its periods and what the user may do with it."""
    return _render_version(version_id, DecisionForm(), [])


@bp.route("/plans/versions/<int:version_id>/submit", methods=["POST"], endpoint="submit")
def submit(version_id: int) -> BaseResponse | tuple[str, int]:
    """The unit sends its draft to the key office (a calibration once signed, AL4)."""
    return _act(version_id, "submit", "计划已报送，待重点办审批")


@bp.route("/plans/versions/<int:version_id>/sign", methods=["POST"], endpoint="sign")
def sign(version_id: int) -> BaseResponse | tuple[str, int]:
    """The lead unit's head signs the early-May recalibration (AL4)."""
    return _act(version_id, "sign", "已签字，可以报送")


@bp.route("/plans/versions/<int:version_id>/approve", methods=["POST"], endpoint="approve")
def approve(version_id: int) -> BaseResponse | tuple[str, int]:
    """The key office approves: the version becomes the plan in force."""
    return _act(version_id, "approve", "计划已批准，成为现行计划")


@bp.route("/plans/versions/<int:version_id>/return", methods=["POST"], endpoint="return")
def send_back(version_id: int) -> BaseResponse | tuple[str, int]:
    """The key office returns the version with its reason."""
    return _act(version_id, "return", "计划已退回，单位可修改后重新编制")


def _act(version_id: int, action: str, done: str) -> BaseResponse | tuple[str, int]:
    """Do ``action``; a refusal is shown on the version's page with the field or the state."""
    session, viewer, rules = db_session(), current_viewer(), state().profile.plans
    version = visible_version(session, viewer, version_id)
    form = DecisionForm()
    form.validate()
    with commit_or_refuse(ValidationError, Conflict, PermissionDenied) as outcome:
        _do(action, version, form, rules)
    if outcome.refusal is None:
        flash(done, "info")
        return redirect(url_for("plans.version", version_id=version_id), 303)
    refusal = outcome.refusal
    if isinstance(refusal, PermissionDenied):
        raise refusal
    if isinstance(refusal, ValidationError):
        return _render_version(version_id, form, put_errors(form, refusal)), 422
    return _render_version(version_id, form, [FieldError("status", "状态", str(refusal))]), 409


def _do(action: str, version: PlanVersion, form: DecisionForm, rules: windows.Plans) -> None:
    session, viewer = db_session(), current_viewer()
    if action == "submit":
        windows.submit_plan(session, viewer, version, rules)
    elif action == "sign":
        windows.sign_plan(session, viewer, version)
    elif action == "approve":
        note, decision = form.note.data, form.government_decision.data
        windows.approve_plan(session, viewer, version, rules, note, decision)
    else:
        reject_version(session, viewer, version, form.note.data or "")


def _render_version(version_id: int, form: DecisionForm, loose: list[FieldError]) -> str:
    session, viewer = db_session(), current_viewer()
    version = visible_version(session, viewer, version_id)
    project = version.plan.project
    writer = may_write(project)
    office = viewer.has(Role.KEY_OFFICE, Role.ADMIN)
    draft = version.status == PlanStatus.DRAFT
    head = viewer.has(Role.UNIT_HEAD) and viewer.unit_id == project.lead_unit_id
    return render_template(
        "plans/version.html",
        version=version,
        project=project,
        form=form,
        loose=loose,
        may_submit=writer and draft,
        may_sign=head and draft and version.kind == PlanKind.CALIBRATION and not version.signed_at,
        may_decide=office and version.status == PlanStatus.SUBMITTED,
        asks_decision=version.kind == PlanKind.ADJUSTMENT,
    )


def _plan_data(form: PlanForm, keys: list[str]) -> tuple[PlanData, list[FieldError]]:
    """The typed plan, each unreadable figure named by its period and column."""
    bad: list[FieldError] = []
    rows: list[PlanPeriodData] = []
    for key in keys:
        typed = {
            k: (request.form.get(f"{k}-{key}") or "").strip() for k in ("inv", "pct", "ms", "proc")
        }
        if not any(typed.values()):
            continue
        inv = _number(typed["inv"], f"inv-{key}", f"{key} 当期计划投资（万元）", bad)
        pct = _number(typed["pct"], f"pct-{key}", f"{key} 累计形象进度（%）", bad)
        if inv is not None and pct is not None:
            rows.append(PlanPeriodData(key, inv, pct, typed["ms"] or None, typed["proc"] or None))
    annual = _number(
        (form.annual_investment.data or "").strip(),
        "annual_investment",
        LABELS["annual_investment"],
        bad,
    )
    data = PlanData(annual or Decimal(0), rows, form.milestones.data, form.reason.data)
    if annual is None and not any(e.field == "annual_investment" for e in bad):
        bad.append(FieldError("annual_investment", LABELS["annual_investment"], "不能为空"))
    return data, bad


def _number(text: str, field: str, label: str, bad: list[FieldError]) -> Decimal | None:
    if not text:
        bad.append(FieldError(field, label, "不能为空"))
        return None
    try:
        return parse_decimal(text)
    except BadInput as exc:
        bad.append(FieldError(field, label, str(exc)))
        return None


def _year() -> int:
    """The ``year`` query argument (2000–2100), this Beijing year by default; a bad one is a 400 page."""
    read = QueryArgs(request.args, {"year": "年度"})
    year = read.read("year", parse_year)
    read.done()
    return year or today_beijing().year
