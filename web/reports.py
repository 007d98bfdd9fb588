"""Report pages (LP8, AL6, AL7): draft, submit, sign-off, read-only view, amendments, same-day start."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from keyproj import periods
from keyproj.clock import today_beijing
from keyproj.codes import AttachmentOwner, ReportStatus, ReviewStatus, Role, StartStatus
from keyproj.db.models import Project, Report
from keyproj.errors import Conflict, FieldError, ValidationError
from keyproj.inputs import parse_date
from keyproj.services.access import require_project_writer, visible_project
from keyproj.services.projects import reports as report_service
from keyproj.services.projects.distribution import distribution_of
from keyproj.services.projects.views.reports import (
    carry_over,
    current_report,
    data_of,
    report_page,
    visible_report,
)
from web import attachments
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.paging import kept_args, paging
from web.projects import may_write
from web.report_forms import (
    RECENT_PERIODS,
    AmendForm,
    ReportForm,
    StartForm,
    changes_of,
    fill,
    options,
    period_choices,
    procedure_rows,
    put_errors,
    to_data,
)

bp = Blueprint("reports", __name__)
LOCKED = "该报表已报送并锁定，不能直接修改；如需修改，请提交更正并说明原因。"
AL7_REASON = "开（复）工当日报告（AL7）"


@bp.route("/projects/<int:project_id>/reports", endpoint="list")
def list_view(project_id: int) -> str:
    """A page of one project's progress reports, newest period first."""
    session, viewer = db_session(), current_viewer()
    asked = paging()
    project = visible_project(session, viewer, project_id)
    return render_template(
        "reports/list.html",
        project=project,
        reports=report_service.report_list(session, project.id, asked),
        query={**kept_args(), "project_id": project.id},
    )


@bp.route("/projects/<int:project_id>/reports/new", methods=["GET", "POST"], endpoint="new")
def new(project_id: int) -> Response | str:
    """A new report of the profile's cycle for one project, saved as a draft or submitted."""
    session, viewer = db_session(), current_viewer()
    project = visible_project(session, viewer, project_id)
    require_project_writer(viewer, project)
    profile, today = state().profile, today_beijing()
    form = ReportForm()
    form.period.choices = period_choices(profile, today)
    if not form.is_submitted():
        # Part 9: a period already reported is not offered again (it is amended, not re-filed).
        # A posted one still reaches the service, whose refusal says why and how to amend.
        done = report_service.reported_periods(session, project.id)
        form.period.choices = [c for c in form.period.choices if c.value not in done]
        fill(form, carry_over(session, project, today))
        # Issue 15: the newest ended period not yet reported, never one still under way.
        form.period.data = report_service.default_period(profile, today, done, RECENT_PERIODS)
    return _save(form, project, None)


@bp.route("/reports/<int:report_id>", methods=["GET", "POST"], endpoint="detail")
def detail(report_id: int) -> Response | tuple[str, int] | str:
    """A report: an editable draft for its writers, read-only once submitted (AL6)."""
    session, viewer = db_session(), current_viewer()
    report = visible_report(session, viewer, report_id)
    form = ReportForm()
    form.period.choices = options([(report.period, periods_label(report.period))])
    editable = report.status == ReportStatus.DRAFT and may_write(report.project)
    if form.is_submitted():
        if report.status != ReportStatus.DRAFT:
            return _show(report_id, error=LOCKED), 409
        require_project_writer(viewer, report.project)
        form.period.data = report.period
        return _save(form, report.project, report)
    if not editable:
        return _show(report_id)
    fill(form, report)
    form.period.data = report.period
    return _render_form(form, report.project, report, [])


@bp.route("/reports/<int:report_id>/sign-off", methods=["POST"], endpoint="sign_off")
def sign_off(report_id: int) -> Response | tuple[str, int]:
    """The lead unit's head signs a report that waits for it; it then locks (AL6)."""
    session, viewer = db_session(), current_viewer()
    report = visible_report(session, viewer, report_id)
    with commit_or_refuse(Conflict) as outcome:
        report_service.sign_off(session, viewer, report, state().profile)
    if outcome.refusal is not None:
        return _show(report_id, error=str(outcome.refusal)), 409
    state().request_scan()  # the outbox row committed above is the promise
    flash("已签字，报表已报送并锁定", "info")
    return redirect(url_for("reports.detail", report_id=report_id), 303)


@bp.route("/reports/<int:report_id>/amend", methods=["GET", "POST"], endpoint="amend")
def amend(report_id: int) -> Response | tuple[str, int] | str:
    """Correct a submitted report: the new values and a reason; old and new values are kept (AL6)."""
    session, viewer = db_session(), current_viewer()
    report = visible_report(session, viewer, report_id)
    require_project_writer(viewer, report.project)
    if report.status != ReportStatus.SUBMITTED:
        return _show(report_id, error="只有已报送的报表需要更正；草稿可直接修改。"), 409
    form = AmendForm()
    loose: list[FieldError] = []
    if not form.is_submitted():
        fill(form, report)
    elif form.validate():
        with commit_or_refuse(ValidationError) as outcome:
            changes = changes_of(form, data_of(report))
            report_service.amend(
                session, viewer, report, changes, form.reason.data or "", today_beijing()
            )
        if outcome.refusal is None:
            flash("更正已保存，原值与新值已记录", "info")
            return redirect(url_for("reports.detail", report_id=report_id), 303)
        loose = put_errors(form, outcome.refusal)
    return render_template(
        "reports/amend.html",
        form=form,
        report=report,
        project=report.project,
        procedures=procedure_rows(form),
        loose=loose,
    )


@bp.route("/projects/<int:project_id>/reports/start", methods=["GET", "POST"], endpoint="start")
def start(project_id: int) -> Response | str:
    """The same-day start or restart report (AL7), recorded in the current period's report."""
    profile = state().profile
    if not profile.reporting.start_report_same_day:
        abort(404)
    session, viewer = db_session(), current_viewer()
    project = visible_project(session, viewer, project_id)
    require_project_writer(viewer, project)
    today = today_beijing()
    period = periods.containing(profile.reporting.cycle, today)
    form = StartForm()
    loose: list[FieldError] = []
    if not form.is_submitted():
        form.started_on.data = today.isoformat()
    elif form.validate():
        with commit_or_refuse(ValidationError, Conflict) as outcome:
            message = _record_start(project, period, form)
        refusal = outcome.refusal
        if refusal is None:
            flash(message, "info")
            return redirect(url_for("projects.detail", project_id=project.id), 303)
        loose = (
            put_errors(form, refusal)
            if isinstance(refusal, ValidationError)
            else [FieldError("report", "本期报表", str(refusal))]
        )
    return render_template(
        "reports/start.html", form=form, project=project, period=period, loose=loose
    )


def _record_start(project: Project, period: periods.Period, form: StartForm) -> str:
    """Write the start into the period's draft (made from the last figures) or amend the submitted one."""
    session, viewer, profile = db_session(), current_viewer(), state().profile
    today = today_beijing()
    status, started_on = form.start_status.data or StartStatus.STARTED, form.started_on.data or ""
    report = current_report(session, project.id, period.key)
    if report is not None and report.status == ReportStatus.PENDING_SIGN_OFF:
        raise Conflict(f"{period.label}报表正等待单位负责人签字，请签字后再报告开（复）工")
    if report is not None and report.status == ReportStatus.SUBMITTED:
        changes = {"start_status": status, "started_on": periods_date(started_on)}
        report_service.amend(session, viewer, report, changes, AL7_REASON, today)
        return f"已更正{period.label}报表的开（复）工情况，原值与新值已记录"
    data = data_of(report) if report is not None else carry_over(session, project, today)
    data.start_status, data.started_on = status, periods_date(started_on)
    data.not_started_reason = None
    report_service.save_draft(session, viewer, project, period.key, data, profile, today)
    return f"开（复）工情况已记入{period.label}报表草稿，请补全其余内容后报送"


def _save(form: ReportForm, project: Project, report: Report | None) -> Response | str:
    """Validate, save the draft and, when asked, submit it; errors stay beside their fields."""
    session, viewer = db_session(), current_viewer()
    profile, today = state().profile, today_beijing()
    loose: list[FieldError] = []
    if form.validate_on_submit():
        with commit_or_refuse(ValidationError) as outcome:
            saved = report_service.save_draft(
                session, viewer, project, form.period.data or "", to_data(form), profile, today
            )
            if form.submit_report.data:
                report_service.submit(session, viewer, saved, profile)
        if outcome.refusal is None:
            if saved.status == ReportStatus.SUBMITTED:
                state().request_scan()  # the outbox row committed above is the promise
            flash(_saved_message(saved), "info")
            return redirect(url_for("reports.detail", report_id=saved.id), 303)
        loose = put_errors(form, outcome.refusal)
    return _render_form(form, project, report, loose)


def _render_form(
    form: ReportForm, project: Project, report: Report | None, loose: list[FieldError]
) -> str:
    return render_template(
        "reports/form.html",
        form=form,
        project=project,
        report=report,
        procedures=procedure_rows(form),
        loose=loose,
        cycle=state().profile.reporting.cycle,
        needs_sign_off=state().profile.reporting.sign_off_by_unit_head,
        attachments=attachments.listed(AttachmentOwner.REPORT, report.id) if report else [],
        upload=attachments.UploadForm(),
    )


def _show(report_id: int, error: str | None = None) -> str:
    page = report_page(db_session(), current_viewer(), report_id)
    viewer = current_viewer()
    shown = distribution_of(db_session(), page.report)  # LP8
    return render_template(
        "reports/detail.html",
        page=page,
        error=error,
        may_write=may_write(page.project),
        may_sign=page.report.status == ReportStatus.PENDING_SIGN_OFF
        and viewer.has(Role.UNIT_HEAD)
        and viewer.unit_id == page.project.lead_unit_id,
        distribution=shown,
        may_forward=shown is not None
        and shown.status == ReviewStatus.AWAITING
        and viewer.has(Role.DRB_REVIEWER, Role.ADMIN),
        attachments=attachments.listed(AttachmentOwner.REPORT, report_id),
    )


def _saved_message(report: Report) -> str:
    if report.status == ReportStatus.SUBMITTED:
        return "报表已报送并锁定"
    if report.status == ReportStatus.PENDING_SIGN_OFF:
        return "报表已提交，等待单位负责人签字后报送"
    return "草稿已保存，尚未报送"


def periods_label(key: str) -> str:
    """The label of a period key of the active cycle."""
    return periods.parse(state().profile.reporting.cycle, key).label


def periods_date(text: str) -> date:
    """An ISO date from a validated form field."""
    return parse_date(text.strip())
