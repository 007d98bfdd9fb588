"""Attachments on pages: upload to an issue, a report, a warning or a task; download within scope."""

from __future__ import annotations

import io

from flask import Blueprint, flash, redirect, request, send_file, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from werkzeug.wrappers import Response
from wtforms import SubmitField

from keyproj.clock import now_utc
from keyproj.codes import AttachmentOwner
from keyproj.db.models import Attachment
from keyproj.errors import Conflict, PermissionDenied, ValidationError
from keyproj.services.attachments.files import (
    attach,
    attach_photos,
    attachments_of,
    open_attachment,
    require_may_see,
)
from keyproj.services.attachments.photos import PHOTO_MAX_MB
from keyproj.services.attachments.store import AttachmentStore, store_for
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.inputs import takes_files

bp = Blueprint("attachments", __name__)

# The page each owner's attachments are shown on, by the owner's id.
BACK = {
    AttachmentOwner.ISSUE: lambda i: url_for("issues.detail", issue_id=i),
    AttachmentOwner.REPORT: lambda i: url_for("reports.detail", report_id=i),
    AttachmentOwner.TASK: lambda i: url_for("inbox.task", task_id=i),
}


class UploadForm(FlaskForm):
    """One file to attach."""

    file = FileField("附件", validators=[FileRequired("请选择要上传的文件")])
    submit = SubmitField("上传附件")


class PhotoForm(FlaskForm):
    """One or more site photos (现场照片) to file with an inspection record or a spot check."""

    photos = MultipleFileField("现场照片")
    submit = SubmitField("上传照片")


def store() -> AttachmentStore:
    """The attachment store the app's settings name."""
    return store_for(state().settings)


def listed(kind: AttachmentOwner, owner_id: int) -> list[Attachment]:
    """The owner's attachments for a page (the caller has already shown the owner is visible)."""
    return attachments_of(db_session(), current_viewer(), kind, owner_id)


@bp.route("/attachments/<int:attachment_id>", endpoint="download")
def download(attachment_id: int) -> Response:
    """The file, to a user who may see what it is filed with; 404 to anyone else."""
    row, content = open_attachment(db_session(), store(), current_viewer(), attachment_id)
    # Images open in the browser; everything else downloads, under its uploaded name.
    inline = row.content_type.startswith("image/") or row.content_type == "application/pdf"
    return send_file(
        io.BytesIO(content),
        mimetype=row.content_type,
        as_attachment=not inline,
        download_name=row.name,
        max_age=0,
    )


def _upload(kind: AttachmentOwner, owner_id: int) -> Response:
    # Scope first: another unit's owner is a 404 whatever the form holds.
    require_may_see(db_session(), current_viewer(), kind, owner_id)
    form = UploadForm()
    if not form.validate_on_submit():
        flash("；".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(BACK[kind](owner_id), 303)
    upload = form.file.data
    settings = state().settings
    with commit_or_refuse(ValidationError, Conflict) as outcome:
        attach(
            db_session(),
            store(),
            current_viewer(),
            (kind, owner_id),
            (upload.filename, upload.read()),
            max_mb=settings.attachment_max_mb,
            now=now_utc(),
        )
    outcome.flash("附件已上传", "info")
    return redirect(BACK[kind](owner_id), 303)


@bp.route("/issues/<int:issue_id>/attachments", methods=["POST"], endpoint="issue")
@takes_files
def issue_upload(issue_id: int) -> Response:
    """Attach a file to an issue of the ledger."""
    return _upload(AttachmentOwner.ISSUE, issue_id)


@bp.route("/reports/<int:report_id>/attachments", methods=["POST"], endpoint="report")
@takes_files
def report_upload(report_id: int) -> Response:
    """Attach a file to a progress report while it is not yet submitted."""
    return _upload(AttachmentOwner.REPORT, report_id)


@bp.route("/tasks/<int:task_id>/attachments", methods=["POST"], endpoint="task")
@takes_files
def task_upload(task_id: int) -> Response:
    """Attach a file to an open case task (a response, an outcome report, a supervision result)."""
    return _upload(AttachmentOwner.TASK, task_id)


def upload_photos(kind: AttachmentOwner, owner_id: int, back: str) -> Response:
    """File the chosen photos with the owner, all or none, and go ``back`` saying which."""
    require_may_see(db_session(), current_viewer(), kind, owner_id)
    form = PhotoForm()
    if not form.validate_on_submit():
        flash("；".join(e for errors in form.errors.values() for e in errors), "error")
        return redirect(back, 303)
    # A file input left empty still sends a part without a name: that is no photo chosen.
    chosen = [(f.filename, f.read()) for f in request.files.getlist("photos") if f.filename]
    settings = state().settings
    filed: list[Attachment] = []
    with commit_or_refuse(ValidationError, Conflict, PermissionDenied) as outcome:
        filed = attach_photos(
            db_session(),
            store(),
            current_viewer(),
            (kind, owner_id),
            chosen,
            max_mb=min(PHOTO_MAX_MB, settings.attachment_max_mb),
            now=now_utc(),
        )
    outcome.flash(f"已上传现场照片{len(filed)}张", "info")
    return redirect(back, 303)
