"""The task inbox (X2) and the task page: claim, release, fill in and submit a task's form."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from keyproj.clock import now_utc
from keyproj.codes import WARNING_LEVELS, AttachmentOwner, InboxStatus
from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.inputs import BadInput, parse_id
from keyproj.services.cases.commands import claim_task, release_task
from keyproj.services.cases.views.form_defaults import form_defaults
from keyproj.services.cases.views.inbox import inbox_filters, inbox_page
from keyproj.services.cases.views.pages import (
    task_detail,
    unit_choices,
    visible_task,
)
from keyproj.services.decisions.views import item_row_of_case
from keyproj.services.instructions.commands import complete_answering
from keyproj.services.instructions.lists import instruction_panel, unanswered_counts
from keyproj.services.instructions.rules import ANSWERING_TASKS
from keyproj.services.projects import urgent
from web import attachments
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session, state
from web.task_forms import field_names, needs_units, read_post, typed_for_display, widgets

bp = Blueprint("inbox", __name__)
MAX_BULK = 100
FORM_ERRORS = "提交未成功：请按栏目旁的提示修改后重新提交，已填写的内容均已保留。"


@bp.route("/inbox")
def index() -> str:
    """我的待办: the viewer's unit's claimable tasks and the viewer's own, overdue first."""
    filters = inbox_filters(request.args)
    page = inbox_page(db_session(), current_viewer(), filters, now_utc())
    return render_template(
        "inbox/index.html",
        page=page,
        instructed=unanswered_counts(db_session(), [row.case_id for row in page.rows]),
        levels=WARNING_LEVELS,
        statuses=InboxStatus.labels(),
        query=_query_args(),
        urgent_duties=urgent.open_duties(db_session(), current_viewer()),
        now=now_utc(),
    )


@bp.route("/inbox/claim", methods=["POST"])
def bulk_claim() -> Response:
    """Claim every ticked task; each claim stands alone, so one taken meanwhile spoils no other."""
    session, viewer, now = db_session(), current_viewer(), now_utc()
    ids, refused = [], []
    for value in request.form.getlist("task")[:MAX_BULK]:
        try:
            ids.append(parse_id(value))
        except BadInput as exc:
            refused.append(f"任务编号{exc}")
    if not ids and not refused:
        flash("请先勾选要认领的任务", "error")
    claimed = 0
    for task_id in ids:
        with commit_or_refuse(Conflict, PermissionDenied, NotFound) as outcome:
            claim_task(session, viewer, task_id, now)
        if outcome.refusal is None:
            claimed += 1
        else:
            refused.append(str(outcome.refusal))
    if claimed:
        flash(f"已认领 {claimed} 项任务", "success")
    for reason in refused:
        flash(f"未能认领：{reason}", "error")
    return redirect(url_for("inbox.index", **_query_args()))


@bp.route("/tasks/<int:task_id>")
def task(task_id: int) -> str:
    """One task: project facts, the warning's evidence, earlier steps, the form and the diagram."""
    return _render_task(task_id)


@bp.route("/tasks/<int:task_id>/claim", methods=["POST"])
def claim(task_id: int) -> Response:
    """Claim the task; someone else's claim or completion is reported with who and when."""
    session, viewer, now = db_session(), current_viewer(), now_utc()
    title = ""
    with commit_or_refuse(Conflict, PermissionDenied) as outcome:
        title = claim_task(session, viewer, task_id, now).title
    outcome.flash(f"已认领“{title}”")
    return redirect(url_for("inbox.task", task_id=task_id))


@bp.route("/tasks/<int:task_id>/release", methods=["POST"])
def release(task_id: int) -> Response:
    """Give the task back to the unit's inbox."""
    session, viewer, now = db_session(), current_viewer(), now_utc()
    title = ""
    with commit_or_refuse(Conflict) as outcome:
        title = release_task(session, viewer, task_id, now).title
    outcome.flash(f"已退回“{title}”，本单位其他人员可以认领")
    return redirect(url_for("inbox.task", task_id=task_id))


@bp.route("/tasks/<int:task_id>/complete", methods=["POST"])
def complete(task_id: int) -> Response | tuple[str, int]:
    """Submit the form: errors beside the fields, conflicts and late refusals with the input kept."""
    session, viewer, now = db_session(), current_viewer(), now_utc()
    task = visible_task(session, viewer, task_id)  # the form to read; the service checks access
    form, case_id = task.form, task.case_id
    data = read_post(form, request.form)
    typed = typed_for_display(form, data)
    answers = request.form.getlist("answers")  # the leaders' instructions (批示) it answers
    with commit_or_refuse(ValidationError, Conflict, PermissionDenied) as outcome:
        result = complete_answering(session, viewer, task_id, data, answers, state().profile, now)
    refusal = outcome.refusal
    if isinstance(refusal, ValidationError):
        beside = field_names(form) | {"answers"}  # shown beside their fields
        general = [e for e in refusal.errors if e.field not in beside]
        message = "；".join([FORM_ERRORS, *(str(e) for e in general)])
        return _render_task(task_id, typed, refusal.by_field(), message, answers), 422
    if refusal is not None:
        status = 409 if isinstance(refusal, Conflict) else 403
        message = f"{refusal}。您填写的内容仍保留在下方，可复制留存。"
        return _render_task(task_id, typed, {}, message, answers), status
    if not result.accepted:
        return _render_task(task_id, typed, {}, result.message, answers), 409
    waiting = "、".join(result.now_waiting_for) or "已办结"
    flash(f"{result.message}，案件当前环节：{waiting}", "success")
    return redirect(url_for("cases.detail", case_id=case_id))


def _render_task(
    task_id: int,
    typed: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    message: str | None = None,
    answers: list[str] | None = None,
) -> str:
    session, viewer = db_session(), current_viewer()
    detail = task_detail(session, viewer, task_id, now_utc())
    panel = instruction_panel(session, viewer, detail.task.case_id)
    shown = typed if typed is not None else form_defaults(detail)
    # Units are offered only to forms that name units, and only when the form is shown.
    units = unit_choices(session) if detail.may_act and needs_units(detail.task.form) else []
    fields = widgets(detail.task.form, shown, errors or {}, units)
    return render_template(
        "tasks/task.html",
        detail=detail,
        case=detail.case,
        fields=fields,
        message=message,
        kept=typed is not None,
        instructions=panel,
        # A responsible unit's response or outcome report may answer the open instructions.
        answerable=panel.unanswered if detail.task.name in ANSWERING_TASKS else [],
        answers=answers or [],
        answers_error=(errors or {}).get("answers"),
        attachments=attachments.listed(AttachmentOwner.TASK, task_id),
        upload=attachments.UploadForm() if detail.may_act else None,
        # The owner of a decided item works from its task: what counts as done (AL13 一是).
        decided_item=item_row_of_case(session, current_viewer(), detail.task.case_id),
    )


def _query_args() -> dict[str, Any]:
    """The filter arguments to carry over (to the bulk claim and back), page excluded."""
    keys = ("project", "level", "status", "due_from", "due_to", "per_page")
    return {k: request.args[k] for k in keys if request.args.get(k)}
