"""The administrators' calendar page (X5): a year's days off and make-up working days, a day's
correction, and next year's file imported after a preview of what it changes."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from keyproj.clock import now_utc, today_beijing
from keyproj.errors import ValidationError
from keyproj.inputs import ADMIN_YEARS, BadInput, parse_date, parse_int
from keyproj.services.admin import calendar as calendar_admin
from keyproj.services.admin.changelog import actor_of
from web.admin import bp
from web.auth import current_viewer
from web.commit import commit_or_refuse
from web.db import db_session


@bp.route("/calendar", endpoint="calendar")
def calendar() -> str:
    """One year of the calendar (``year``, this Beijing year by default) with the correction form."""
    text = request.args.get("year", "").strip()
    try:
        year = parse_int(text, ADMIN_YEARS.first, ADMIN_YEARS.last) if text else None
    except BadInput as exc:
        raise ValidationError.single("year", "年份", str(exc)) from None
    view = calendar_admin.year_view(db_session(), year or today_beijing().year)
    return render_template("admin/calendar.html", view=view, kinds=calendar_admin.KIND_CHOICES)


@bp.route("/calendar/day", methods=["POST"], endpoint="calendar_day")
def calendar_day() -> Response:
    """Correct one day: a holiday, a make-up working day, or an ordinary day."""
    session, form = db_session(), request.form
    with commit_or_refuse(ValidationError) as outcome:
        try:
            day = parse_date(form.get("day", "").strip(), ADMIN_YEARS)
        except BadInput as exc:
            raise ValidationError.single("day", "日期", str(exc)) from None
        calendar_admin.correct_day(
            session,
            actor_of(session, current_viewer()),
            now_utc(),
            day,
            form.get("kind", ""),
            form.get("name"),
        )
    outcome.flash("日历已更正，此后计算的期限按新日历")
    year = form.get("day", "")[:4]
    return redirect(url_for("admin.calendar", year=year if year.isdigit() else None), 303)


@bp.route("/calendar/import", methods=["POST"], endpoint="calendar_import")
def calendar_import() -> Response | str | tuple[str, int]:
    """Preview an uploaded file's changes; with ``apply``, import the previewed text."""
    session, form = db_session(), request.form
    if "apply" in form:
        text = form.get("content", "")
        with commit_or_refuse(ValidationError) as outcome:
            years = calendar_admin.apply_import(
                session,
                actor_of(session, current_viewer()),
                now_utc(),
                text,
                form.get("replace") == "1",
            )
        if outcome.refusal is None:
            outcome.flash(f"已导入节假日安排：{'、'.join(f'{y}年' for y in years)}")
            return redirect(url_for("admin.calendar", year=years[0] if years else None), 303)
        outcome.flash("")
        return redirect(url_for("admin.calendar"), 303)
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise ValidationError.single("file", "文件", "请选择要导入的CSV文件")
        text = calendar_admin.file_text(upload.read())
        plan = calendar_admin.preview_import(session, text)
    except ValidationError as exc:
        return render_template("admin/calendar_preview.html", plan=None, refusal=exc), 400
    return render_template(
        "admin/calendar_preview.html", plan=plan, content=text, kinds=calendar_admin.KIND_CHOICES
    )
