"""Joint inspection pages (联合检查组, GS5): the groups with their members and projects, the
week's inspection records and missed projects, the record form, a finding's resolution or its
warning, and the week's bulletin as a page and a DOCX."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from keyproj import periods
from keyproj.clock import now_utc, today_beijing
from keyproj.codes import COLOURS, WARNING_LEVELS, AttachmentOwner, FindingSeverity
from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.services.inspections import bulletin, gaps, groups, records, separate
from web import attachments
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.downloads import DOCX, attachment
from web.inputs import takes_files

bp = Blueprint("inspections", __name__)
RECORD_FIELDS = ("group_id", "project_id", "inspected_on", "findings", "severity")


def _week() -> str:
    """The week asked for, else the week under way."""
    asked = request.args.get("week", "").strip()
    try:
        return periods.parse("weekly", asked, "week").key
    except ValidationError:
        return periods.containing("weekly", today_beijing()).key


@bp.route("/inspections", endpoint="page")
def page() -> str:
    """The groups, the week's records in the viewer's scope, the gaps and the record form."""
    return _page(_week())


def _page(week: str, typed: dict[str, str] | None = None) -> str:
    """The week's page; ``typed`` is a refused record's form, shown again to be put right."""
    session, viewer = db_session(), current_viewer()
    office = viewer.has(*groups.OFFICE)
    return render_template(
        "inspections/page.html",
        rules=state().profile.inspections,
        week=periods.parse("weekly", week),
        groups=groups.all_groups(session),
        projects_of=lambda g: groups.projects_of(session, viewer, g.id),
        records=records.records_in_scope(session, viewer, week=week),
        gaps=gaps.gaps_of(session, week) if office else [],
        severities=FindingSeverity.labels(),
        levels=WARNING_LEVELS,
        colours=COLOURS,
        office=office,
        may_record=viewer.has(*groups.RECORDERS),
        typed=typed or {},
        milestone=records.shown_milestone,
    )


@bp.route("/inspections/setup", methods=["POST"], endpoint="setup")
def setup() -> BaseResponse:
    """The office sets up the profile's groups."""
    with commit_or_refuse(Conflict) as outcome:
        groups.set_up(db_session(), state().profile, current_viewer())
    outcome.flash("已按本地制度建立联合检查组")
    return redirect(url_for("inspections.page"), 303)


@bp.route("/inspections/groups/<int:group_id>", methods=["GET", "POST"], endpoint="group")
def group(group_id: int) -> str | BaseResponse | tuple[str, int]:
    """A group's members and projects; the office changes them (分组方案)."""
    session, viewer = db_session(), current_viewer()
    row = groups.group(session, group_id)
    office = viewer.has(*groups.OFFICE)
    typed = {
        "members": "\n".join(row.members),
        "project_codes": "\n".join(p.code for p in groups.projects_of(session, viewer, row.id)),
    }
    if request.method == "POST":
        if not office:
            raise PermissionDenied("只有重点项目办公室可以调整分组方案")
        typed = {k: request.form.get(k, "") for k in typed}
        with commit_or_refuse(ValidationError) as outcome:
            groups.save_group(
                session, viewer, group_id, typed["members"].split(), typed["project_codes"].split()
            )
        if outcome.refusal is None:
            outcome.flash(f"{row.label}的成员和检查项目已保存")
            return redirect(url_for("inspections.group", group_id=group_id), 303)
        errors = {e.field: str(e) for e in outcome.refusal.errors}
        html = render_template(
            "inspections/group.html",
            group=row,
            typed=typed,
            errors=errors,
            office=office,
            records=records.records_in_scope(session, viewer, group_id=group_id),
        )
        return html, 422
    return render_template(
        "inspections/group.html",
        group=row,
        typed=typed,
        errors={},
        office=office,
        records=records.records_in_scope(session, viewer, group_id=group_id),
    )


@bp.route("/inspections/records", methods=["POST"], endpoint="record")
def record() -> BaseResponse | tuple[str, int]:
    """A group's inspection of a project, recorded; a refusal keeps what was typed."""
    form = request.form
    data = records.Inspection(
        group_id=_int(form.get("group_id", "")),
        project_id=_int(form.get("project_id", "")),
        inspected_on=form.get("inspected_on", ""),
        milestone_verified=form.get("milestone_verified") == "yes",
        image_checked=form.get("image_checked") == "yes",
        findings=form.get("findings", ""),
        severity=form.get("severity", ""),
    )
    with commit_or_refuse(ValidationError, NotFound, PermissionDenied) as outcome:
        row = records.record(db_session(), current_viewer(), data, now_utc())
    outcome.flash("检查记录已保存")
    if isinstance(outcome.refusal, ValidationError):
        typed = {
            f: form.get(f, "") for f in (*RECORD_FIELDS, "milestone_verified", "image_checked")
        }
        return _page(_week(), typed), 422
    week = row.week if outcome.refusal is None else None
    return redirect(url_for("inspections.page", week=week), 303)


@bp.route("/inspections/records/<int:record_id>/resolve", methods=["POST"], endpoint="resolve")
def resolve(record_id: int) -> BaseResponse:
    """The office marks a finding as put right."""
    with commit_or_refuse(Conflict, NotFound) as outcome:
        row = records.resolve(db_session(), current_viewer(), record_id, now_utc())
    outcome.flash("已标记为整改完成")
    return redirect(
        url_for("inspections.page", week=row.week if not outcome.refusal else None), 303
    )


@bp.route("/inspections/records/<int:record_id>/warning", methods=["POST"], endpoint="warning")
def warning(record_id: int) -> BaseResponse:
    """The office turns a finding into a warning raised by hand."""
    form = request.form
    with commit_or_refuse(Conflict, NotFound, ValidationError) as outcome:
        records.raise_warning(
            db_session(),
            state().profile,
            current_viewer(),
            record_id,
            form.get("level", ""),
            form.get("colour", ""),
            now_utc(),
        )
    outcome.flash("检查发现已转为预警，已进入待研判清单")
    week = None if outcome.refusal is not None else _week_of(record_id)
    return redirect(url_for("inspections.page", week=week), 303)


@bp.route("/inspections/bulletin", endpoint="bulletin")
def bulletin_page() -> str:
    """The week's inspection bulletin, as the office compiles it."""
    week, profile = _week(), state().profile
    lines = (
        bulletin.bulletin_lines(db_session(), profile, current_viewer(), week, today_beijing())
        if profile.inspections
        else None  # the page says the regulation has no groups
    )
    return render_template(
        "inspections/bulletin.html", week=periods.parse("weekly", week), lines=lines
    )


@bp.route("/inspections/bulletin.docx", endpoint="bulletin_docx")
def bulletin_download() -> Response:
    """The week's bulletin as DOCX; none where the regulation has no groups."""
    week = _week()
    if state().profile.inspections is None:
        raise NotFound("本地制度未设重点项目联合检查组")
    body = bulletin.bulletin_docx(db_session(), state().profile, current_viewer(), week, now_utc())
    return attachment(body, DOCX, f"{periods.parse('weekly', week).label}联合督导检查通报.docx")


@bp.route("/inspections/records/<int:record_id>", endpoint="record_page")
def record_page(record_id: int) -> str:
    """One inspection record with its site photos; its recorders add photos here."""
    session, viewer = db_session(), current_viewer()
    row = records.record_in_scope(session, viewer, record_id)
    return render_template(
        "inspections/record.html",
        record=row,
        week=periods.parse("weekly", row.week),
        severities=FindingSeverity.labels(),
        milestone=records.shown_milestone,
        photos=attachments.listed(AttachmentOwner.INSPECTION, row.id),
        form=attachments.PhotoForm() if viewer.has(*groups.RECORDERS) else None,
    )


@bp.route("/inspections/records/<int:record_id>/photos", methods=["POST"], endpoint="photos")
@takes_files
def photos(record_id: int) -> BaseResponse:
    """Site photos filed with an inspection record (GS5)."""
    back = url_for("inspections.record_page", record_id=record_id)
    return attachments.upload_photos(AttachmentOwner.INSPECTION, record_id, back)


@bp.route("/inspections/groups/<int:group_id>/report", methods=["GET", "POST"], endpoint="report")
def report(group_id: int) -> str | BaseResponse:
    """A separately reporting group's weekly report (GS5: 督导检查报告单独印发); the office
    issues it with its number."""
    session, viewer, profile = db_session(), current_viewer(), state().profile
    week = _week() if request.method == "GET" else request.form.get("week", "")
    if request.method == "POST":
        with commit_or_refuse(Conflict, ValidationError) as outcome:
            row = separate.issue(session, profile, viewer, group_id, week, now_utc())
        outcome.flash(f"督导检查报告已印发：{row.number}" if outcome.refusal is None else "")
        return redirect(url_for("inspections.report", group_id=group_id, week=week), 303)
    try:
        draft = separate.report(session, profile, viewer, group_id, week)
    except Conflict as exc:  # a group whose findings go into the joint bulletin
        flash(str(exc), "error")
        return redirect(url_for("inspections.group", group_id=group_id), 303)
    return render_template("inspections/report.html", draft=draft)


@bp.route("/inspections/groups/<int:group_id>/report.docx", endpoint="report_docx")
def report_download(group_id: int) -> Response | BaseResponse:
    """A separately reporting group's weekly report as DOCX: numbered once issued."""
    session, viewer, profile, week = db_session(), current_viewer(), state().profile, _week()
    try:
        draft = separate.report(session, profile, viewer, group_id, week)
    except Conflict as exc:
        flash(str(exc), "error")
        return redirect(url_for("inspections.group", group_id=group_id), 303)
    body = separate.report_docx(session, profile, viewer, group_id, week, now_utc())
    return attachment(body, DOCX, f"{draft.week.label}{draft.group.label}督导检查报告.docx")


def _week_of(record_id: int) -> str:
    """The week of the record whose finding became a warning (to go back to it)."""
    return records.record_in_scope(db_session(), current_viewer(), record_id).week


def _int(text: str) -> int:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else 0
