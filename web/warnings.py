"""Warnings by hand (LP12): the key office raises one from its daily supervision, with evidence
and files, and its case starts as a scanned warning's does."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from keyproj.clock import now_utc
from keyproj.codes import COLOURS, WARNING_LEVELS, AttachmentOwner, Role
from keyproj.db.models import Case
from keyproj.errors import Conflict, FieldError, ValidationError
from keyproj.inputs import LONG_TEXT
from keyproj.services.access import require_role
from keyproj.services.attachments.files import attach
from keyproj.services.scan.hand import HandWarning, raise_by_hand, supervised_projects
from web.attachments import store
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.inputs import takes_files
from web.report_forms import options, put_errors

bp = Blueprint("hand_warnings", __name__)


class HandWarningForm(FlaskForm):
    """A finding of daily supervision: the project, the level and colour, the evidence, a file."""

    project_id = SelectField("项目", validators=[DataRequired("请选择项目")])
    level = SelectField("预警等级", choices=options(WARNING_LEVELS.items()))
    colour = SelectField("预警颜色", choices=options(COLOURS.items()))
    evidence = TextAreaField(
        "预警依据（督查发现）",
        validators=[
            DataRequired("请填写督查发现的情况"),
            Length(max=LONG_TEXT, message=f"不能超过{LONG_TEXT}个字符"),
        ],
    )
    file = FileField("佐证材料（可选）")
    submit = SubmitField("发出预警")


@bp.route("/warnings/new", methods=["GET", "POST"], endpoint="new")
@takes_files
def new() -> Response | str | tuple[str, int]:
    """The key office's page to raise a warning from daily supervision."""
    session, viewer = db_session(), current_viewer()
    require_role(viewer, Role.KEY_OFFICE, Role.ADMIN)
    form = HandWarningForm()
    projects = supervised_projects(session, viewer)
    form.project_id.choices = options((str(p.id), f"{p.name}（{p.code}）") for p in projects)
    if not form.is_submitted():
        form.project_id.data = request.args.get("project_id", "")
        return render_template("warnings/new.html", form=form, loose=[])
    loose: list[FieldError] = []
    if form.validate():
        with commit_or_refuse(ValidationError, Conflict) as outcome:
            warning_id = _raise(form)
        refusal = outcome.refusal
        if refusal is None:
            case_id = session.scalar(select(Case.id).where(Case.warning_id == warning_id))
            if case_id is None:  # LP13: it waits in the key office's triage for its notice
                flash("预警已登记，已进入待研判清单", "info")
                return redirect(url_for("triage.index"), 303)
            flash("预警已发出，处置案件已启动", "info")
            return redirect(url_for("cases.detail", case_id=case_id), 303)
        if isinstance(refusal, ValidationError):
            loose = put_errors(form, refusal)
        else:
            loose = [FieldError("project_id", "项目", str(refusal))]
    return render_template("warnings/new.html", form=form, loose=loose), 400


def _raise(form: HandWarningForm) -> int:
    """Raise the warning and file its evidence in one transaction: a refused file raises nothing."""
    session, viewer, now = db_session(), current_viewer(), now_utc()
    data = HandWarning(
        int(form.project_id.data or 0),
        form.level.data or "",
        form.colour.data or "",
        form.evidence.data or "",
    )
    warning = raise_by_hand(session, state().profile, viewer, data, now)
    upload = form.file.data
    if upload and upload.filename:
        attach(
            session,
            store(),
            viewer,
            (AttachmentOwner.WARNING, warning.id),
            (upload.filename, upload.read()),
            max_mb=state().settings.attachment_max_mb,
            now=now,
        )
    return warning.id
