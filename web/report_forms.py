"""The AL6 report forms: fields, their conversion to ReportData, and service errors shown beside fields."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.validators import ValidationError as FieldInvalid

from keyproj import periods
from keyproj.codes import PROCEDURE_ITEMS, PROCEDURE_STATUSES, START_STATUSES, StartStatus
from keyproj.errors import FieldError, ValidationError
from keyproj.inputs import BadInput, parse_date, parse_decimal
from keyproj.policy import PolicyProfile
from keyproj.services.projects.reports import FIELDS, LABELS, ReportData

MONEY_FIELDS = (
    "total_investment",
    "cumulative_completed",
    "annual_plan_investment",
    "annual_completed",
)
TEXT_FIELDS = ("not_started_reason", "progress_text", "issues_text", "measures_text")
DATE_FIELDS = ("started_on", "expected_start")
RECENT_PERIODS = 6


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """Select choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def _number(_form: FlaskForm, field: Field) -> None:
    text = (field.data or "").strip()
    if text:
        try:
            parse_decimal(text)  # ASCII digits, finite: NaN and Infinity are no figures
        except BadInput as exc:
            if "," in text:  # the reason says how to group the digits
                raise FieldInvalid(str(exc)) from None
            raise FieldInvalid("请输入数字（半角），如 1200 或 35.5") from None


def _day(_form: FlaskForm, field: Field) -> None:
    text = (field.data or "").strip()
    if text:
        try:
            parse_date(text)
        except BadInput as exc:
            raise FieldInvalid(str(exc)) from None


def _money(name: str) -> StringField:
    return StringField(LABELS[name], validators=[DataRequired("不能为空"), _number])


def _date(name: str) -> StringField:
    return StringField(LABELS[name], validators=[_day], render_kw={"type": "date"})


def _text(name: str) -> TextAreaField:
    return TextAreaField(LABELS[name], validators=[Length(max=2000, message="不能超过2000个字符")])


class Al6Fields(FlaskForm):
    """The content fields of a report (AL6); procedure fields are added below, one pair per item."""

    total_investment = _money("total_investment")
    cumulative_completed = _money("cumulative_completed")
    annual_plan_investment = _money("annual_plan_investment")
    annual_completed = _money("annual_completed")
    start_status = SelectField(LABELS["start_status"], choices=options(START_STATUSES.items()))
    started_on = _date("started_on")
    expected_start = _date("expected_start")
    not_started_reason = _text("not_started_reason")
    progress_text = _text("progress_text")
    progress_pct = StringField(
        LABELS["progress_pct"], validators=[DataRequired("不能为空"), _number]
    )
    issues_text = _text("issues_text")
    measures_text = _text("measures_text")


PROCEDURE_CHOICES = options([("", "未填报"), *PROCEDURE_STATUSES.items()])
for _code, _name in PROCEDURE_ITEMS.items():
    setattr(Al6Fields, f"proc_{_code}", SelectField(_name, choices=PROCEDURE_CHOICES, default=""))
    setattr(
        Al6Fields,
        f"proc_{_code}_note",
        StringField(f"{_name}备注", validators=[Length(max=200, message="不能超过200个字符")]),
    )


class ReportForm(Al6Fields):
    """A draft of one period's report: save it, or save and submit."""

    period = SelectField(LABELS["period"], validators=[DataRequired("请选择期次")])
    save = SubmitField("保存草稿")
    submit_report = SubmitField("报送")


class AmendForm(Al6Fields):
    """A correction of a submitted report: the new values and why (AL6)."""

    reason = TextAreaField(
        LABELS["reason"],
        validators=[
            DataRequired("更正报表须说明原因"),
            Length(max=1000, message="不能超过1000个字符"),
        ],
    )
    submit = SubmitField("提交更正")


class StartForm(FlaskForm):
    """The same-day start or restart report (AL7)."""

    start_status = SelectField(
        LABELS["start_status"],
        choices=options((c, c.label) for c in (StartStatus.STARTED, StartStatus.RESTARTED)),
    )
    started_on = StringField(
        LABELS["started_on"],
        validators=[DataRequired("不能为空"), _day],
        render_kw={"type": "date"},
    )
    submit = SubmitField("报告开（复）工")


def to_data(form: Al6Fields) -> ReportData:
    """The form's values as ReportData (call after the form validated)."""
    values: dict[str, Any] = {name: _dec(form[name].data) for name in MONEY_FIELDS}
    values["progress_pct"] = _dec(form.progress_pct.data)
    values["start_status"] = form.start_status.data
    for name in DATE_FIELDS:
        values[name] = _as_date(form[name].data)
    for name in TEXT_FIELDS:
        values[name] = (form[name].data or "").strip() or None
    values["procedures"] = procedures_of(form)
    return ReportData(**values)


def procedures_of(form: Al6Fields) -> dict[str, dict[str, str]]:
    """The procedure items the user filled in: {item: {"status": code, "note": text}}."""
    out: dict[str, dict[str, str]] = {}
    for code in PROCEDURE_ITEMS:
        status = form[f"proc_{code}"].data
        if status:
            entry = {"status": status}
            note = (form[f"proc_{code}_note"].data or "").strip()
            if note:
                entry["note"] = note
            out[code] = entry
    return out


def fill(form: Al6Fields, data: ReportData | Any) -> None:
    """Put stored values (a Report or ReportData) into an unsubmitted form."""
    for name in (*MONEY_FIELDS, "progress_pct"):
        value = getattr(data, name)
        form[name].data = _plain(value) if value is not None else ""
    form.start_status.data = data.start_status
    for name in DATE_FIELDS:
        value = getattr(data, name)
        form[name].data = value.isoformat() if value else ""
    for name in TEXT_FIELDS:
        form[name].data = getattr(data, name) or ""
    for code, entry in (data.procedures or {}).items():
        if code in PROCEDURE_ITEMS:
            form[f"proc_{code}"].data = (entry or {}).get("status", "")
            form[f"proc_{code}_note"].data = (entry or {}).get("note", "")


def changes_of(form: Al6Fields, stored: ReportData) -> dict[str, Any]:
    """The fields whose new value differs from the stored one (for an amendment)."""
    new = to_data(form)
    out: dict[str, Any] = {}
    for name in FIELDS:
        old_value, new_value = getattr(stored, name), getattr(new, name)
        if name == "procedures":
            # Stored entries may carry an empty note the form does not send back.
            old_value = {k: _entry(v) for k, v in (old_value or {}).items()}
        if old_value != new_value:
            out[name] = new_value
    return out


def _entry(value: dict[str, str] | None) -> dict[str, str]:
    return {k: v for k, v in (value or {}).items() if v}


def put_errors(form: FlaskForm, exc: ValidationError) -> list[FieldError]:
    """Show each service error beside its field; returns those no field of the form carries."""
    loose: list[FieldError] = []
    for error in exc.errors:
        name = error.field
        if name == "procedures":
            loose.append(error)
        elif name in form:
            field = form[name]
            field.errors = [*field.errors, error.reason]
        else:
            loose.append(error)
    return loose


def procedure_rows(form: Al6Fields) -> list[tuple[str, Field, Field]]:
    """(item label, status field, note field) per procedure item, in the AL6/AL10 order."""
    return [
        (name, form[f"proc_{code}"], form[f"proc_{code}_note"])
        for code, name in PROCEDURE_ITEMS.items()
    ]


def period_choices(profile: PolicyProfile, today: date) -> list[SelectChoice]:
    """A prompt, then the current period of the profile's cycle and the few before it, newest
    first; the prompt stays selected when no ended period waits (never one under way)."""
    cycle = profile.reporting.cycle
    out: list[tuple[str, str]] = [("", "请选择期次")]
    period = periods.containing(cycle, today)
    for _ in range(RECENT_PERIODS):
        out.append((period.key, period.label))
        period = periods.containing(cycle, period.start - timedelta(days=1))
    return options(out)


def _dec(text: str | None) -> Decimal | None:
    text = (text or "").strip()
    return parse_decimal(text) if text else None


def _as_date(text: str | None) -> date | None:
    text = (text or "").strip()
    return parse_date(text) if text else None


def _plain(value: Decimal) -> str:
    return format(Decimal(value).normalize(), "f")
