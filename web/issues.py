"""Issue ledger pages (LP7): the ledger, a new issue, closing one (a unit asks, the key office confirms)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import BooleanField, Field, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.validators import ValidationError as FieldInvalid

from keyproj.clock import today_beijing
from keyproj.codes import ISSUE_CATEGORIES, UNIT_STAFF_ROLES, AttachmentOwner, IssueStatus, Role
from keyproj.db.models import ProjectIssue
from keyproj.errors import Conflict, FieldError, ValidationError
from keyproj.inputs import BadInput, parse_date
from keyproj.services.access import require_project_writer, visible_project
from keyproj.services.projects import issues as issue_service
from keyproj.services.projects import urgent
from keyproj.services.projects.views.issues import (
    IssueFilters,
    days_open,
    issue_ledger,
    issue_page,
    owner_units,
    visible_issue,
)
from keyproj.validation import QueryArgs
from web import attachments
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.paging import kept_args, paging
from web.projects import may_write
from web.report_forms import options, put_errors

bp = Blueprint("issues", __name__)


def _day(_form: FlaskForm, field: Field) -> None:
    try:
        parse_date((field.data or "").strip())
    except BadInput as exc:
        raise FieldInvalid(str(exc)) from None


class IssueForm(FlaskForm):
    """A new ledger entry in one of the seven LP7 categories."""

    category = SelectField("问题类别", choices=options(ISSUE_CATEGORIES.items()))
    title = StringField(
        "问题摘要",
        validators=[DataRequired("不能为空"), Length(max=200, message="不能超过200个字符")],
    )
    description = TextAreaField(
        "详细情况", validators=[Length(max=4000, message="不能超过4000个字符")]
    )
    owner_unit_code = SelectField("负责协调单位", validators=[DataRequired("请选择负责协调单位")])
    opened_on = StringField(
        "发现日期", validators=[DataRequired("不能为空"), _day], render_kw={"type": "date"}
    )
    urgent = BooleanField("急需协调（3个工作日内报挂钩县领导和重点办）")
    submit = SubmitField("登记问题")


class ResolveForm(FlaskForm):
    """How and when an issue was solved."""

    resolution = TextAreaField(
        "解决情况",
        validators=[DataRequired("请填写解决情况"), Length(max=4000, message="不能超过4000个字符")],
    )
    resolved_on = StringField(
        "解决日期", validators=[DataRequired("不能为空"), _day], render_kw={"type": "date"}
    )
    submit = SubmitField("销号")


@bp.route("/issues", endpoint="list")
def list_view() -> str:
    """A page of the ledger of every project the user may see, filtered by status and category."""
    filters = _filters()
    issues = issue_ledger(db_session(), current_viewer(), filters, paging())
    return render_template(
        "issues/list.html",
        issues=issues,
        filters=filters,
        query=kept_args("status", "category"),
        project=None,
        today=today_beijing(),
        days_open=days_open,
        statuses=IssueStatus.labels(),
        categories=ISSUE_CATEGORIES,
    )


@bp.route("/projects/<int:project_id>/issues", endpoint="project_list")
def project_list(project_id: int) -> str:
    """A page of one project's ledger."""
    session, viewer = db_session(), current_viewer()
    project = visible_project(session, viewer, project_id)
    filters = _filters(project_id)
    return render_template(
        "issues/list.html",
        issues=issue_ledger(session, viewer, filters, paging()),
        filters=filters,
        query={**kept_args("status", "category"), "project_id": project_id},
        project=project,
        may_write=may_write(project),
        today=today_beijing(),
        days_open=days_open,
        statuses=IssueStatus.labels(),
        categories=ISSUE_CATEGORIES,
    )


@bp.route("/projects/<int:project_id>/issues/new", methods=["GET", "POST"], endpoint="new")
def new(project_id: int) -> Response | str:
    """Record an issue in a project's ledger."""
    session, viewer = db_session(), current_viewer()
    project = visible_project(session, viewer, project_id)
    require_project_writer(viewer, project)
    today = today_beijing()
    form = IssueForm()
    form.owner_unit_code.choices = options((u.code, u.name) for u in owner_units(session))
    loose: list[FieldError] = []
    if not form.is_submitted():
        form.owner_unit_code.data = project.lead_unit.code
        form.opened_on.data = today.isoformat()
    elif form.validate():
        data = issue_service.IssueData(
            category=form.category.data or "",
            title=form.title.data or "",
            owner_unit_code=form.owner_unit_code.data or "",
            opened_on=parse_date((form.opened_on.data or "").strip()),
            description=(form.description.data or "").strip() or None,
            urgent=bool(form.urgent.data),
        )
        with commit_or_refuse(ValidationError) as outcome:
            issue = issue_service.open_issue(session, viewer, project, data, today, state().profile)
        if outcome.refusal is None:
            flash("问题已登记", "info")
            return redirect(url_for("issues.detail", issue_id=issue.id), 303)
        loose = put_errors(form, outcome.refusal)
    return render_template("issues/new.html", form=form, project=project, loose=loose)


@bp.route("/issues/<int:issue_id>", endpoint="detail")
def detail(issue_id: int) -> str:
    """One issue, with the resolve form while it is open and the user may resolve it."""
    form = ResolveForm()
    form.resolved_on.data = today_beijing().isoformat()
    return _render_detail(issue_id, form, [])


@bp.route("/issues/<int:issue_id>/resolve", methods=["POST"], endpoint="resolve")
def resolve(issue_id: int) -> Response | tuple[str, int] | str:
    """Close an issue with a resolution text and date."""
    session, viewer = db_session(), current_viewer()
    issue = visible_issue(session, viewer, issue_id)
    form = ResolveForm()
    loose: list[FieldError] = []
    if form.validate():
        with commit_or_refuse(ValidationError, Conflict) as outcome:
            issue_service.resolve_issue(
                session,
                viewer,
                issue,
                form.resolution.data or "",
                parse_date((form.resolved_on.data or "").strip()),
                today_beijing(),
            )
        refusal = outcome.refusal
        if refusal is None:
            done = issue.status == IssueStatus.RESOLVED
            flash("问题已销号" if done else "已申请销号，待重点办确认", "info")
            return redirect(url_for("issues.detail", issue_id=issue_id), 303)
        if not isinstance(refusal, ValidationError):
            return _render_detail(issue_id, form, [FieldError("status", "状态", str(refusal))]), 409
        loose = put_errors(form, refusal)
    return _render_detail(issue_id, form, loose)


class RefuseCloseForm(FlaskForm):
    """The key office's reason for sending a request to close back."""

    close_refusal = TextAreaField(
        "退回理由",
        validators=[DataRequired("请填写退回理由"), Length(max=4000, message="不能超过4000个字符")],
    )
    submit = SubmitField("退回销号申请")


@bp.route("/issues/<int:issue_id>/close/confirm", methods=["POST"], endpoint="confirm_close")
def confirm_close(issue_id: int) -> Response | tuple[str, int]:
    """The key office confirms a unit's request to close the issue."""
    session, viewer = db_session(), current_viewer()
    issue = visible_issue(session, viewer, issue_id)
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("issues.detail", issue_id=issue_id), 303)
    with commit_or_refuse(Conflict) as outcome:
        issue_service.confirm_close(session, viewer, issue)
    if outcome.refusal is not None:
        return _render_detail(issue_id, ResolveForm(), [_status(outcome.refusal)]), 409
    flash("已确认销号", "info")
    return redirect(url_for("issues.detail", issue_id=issue_id), 303)


@bp.route("/issues/<int:issue_id>/close/refuse", methods=["POST"], endpoint="refuse_close")
def refuse_close(issue_id: int) -> Response | tuple[str, int] | str:
    """The key office sends a request to close back, with its reason."""
    session, viewer = db_session(), current_viewer()
    issue = visible_issue(session, viewer, issue_id)
    refuse = RefuseCloseForm()
    loose: list[FieldError] = []
    if refuse.validate():
        with commit_or_refuse(ValidationError, Conflict) as outcome:
            issue_service.refuse_close(session, viewer, issue, refuse.close_refusal.data or "")
        refusal = outcome.refusal
        if refusal is None:
            flash("已退回销号申请", "info")
            return redirect(url_for("issues.detail", issue_id=issue_id), 303)
        if not isinstance(refusal, ValidationError):
            return _render_detail(issue_id, ResolveForm(), [_status(refusal)], refuse), 409
        loose = put_errors(refuse, refusal)
    return _render_detail(issue_id, ResolveForm(), loose, refuse)


def _status(refusal: Exception) -> FieldError:
    return FieldError("status", "状态", str(refusal))


def _render_detail(
    issue_id: int,
    form: ResolveForm,
    loose: list[FieldError],
    refuse: RefuseCloseForm | None = None,
) -> str:
    session, viewer = db_session(), current_viewer()
    page = issue_page(session, viewer, issue_id)
    key_office = viewer.has(Role.KEY_OFFICE, Role.ADMIN)
    if not key_office:
        form.submit.label.text = "申请销号"
    return render_template(
        "issues/detail.html",
        page=page,
        form=form,
        loose=loose,
        may_resolve=page.issue.status == IssueStatus.OPEN and _may_resolve(page.issue),
        may_confirm=page.issue.status == IssueStatus.CLOSE_REQUESTED and key_office,
        refuse=refuse or RefuseCloseForm(),
        attachments=attachments.listed(AttachmentOwner.ISSUE, issue_id),
        duty=urgent.duty_of(session, issue_id),
        upload=attachments.UploadForm(),
        may_attach=_may_resolve(page.issue),
        today=today_beijing(),
        days_open=days_open,
    )


def _may_resolve(issue: ProjectIssue) -> bool:
    viewer = current_viewer()
    if viewer.has(Role.KEY_OFFICE, Role.ADMIN):
        return True
    owner_or_lead = viewer.unit_id in (issue.owner_unit_id, issue.project.lead_unit_id)
    return viewer.has(*UNIT_STAFF_ROLES) and owner_or_lead


def _filters(project_id: int | None = None) -> IssueFilters:
    """The ledger filters; an unknown status or category is refused with its name (a 400 page)."""
    read = QueryArgs(request.args, {"status": "状态", "category": "问题类别"})
    filters = IssueFilters(
        project_id=project_id,
        status=read.read_code("status", IssueStatus.labels()),
        category=read.read_code("category", ISSUE_CATEGORIES),
    )
    read.done()
    return filters
