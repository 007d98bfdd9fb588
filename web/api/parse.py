"""Reading API requests into the services' data: JSON bodies and query filters, a Chinese reason per bad field.

Parsing only: types and formats (ASCII digits, YYYY-MM-DD, finite numbers), exactly as the
OpenAPI document states them; bounds, lengths and the rules of the domain are the services'.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import request

from keyproj.errors import FieldError, ValidationError
from keyproj.inputs import BadInput, json_problem, parse_date, parse_decimal
from keyproj.services.projects.issues import LABELS as ISSUE_LABELS
from keyproj.services.projects.issues import IssueData
from keyproj.services.projects.plan_windows import LABELS as WINDOW_LABELS
from keyproj.services.projects.plan_windows import PlanRecords
from keyproj.services.projects.plans import LABELS as PLAN_LABELS
from keyproj.services.projects.plans import PlanData, PlanPeriodData
from keyproj.services.projects.reports import AMOUNTS, DATES, TEXTS, ReportData
from keyproj.services.projects.reports import LABELS as REPORT_LABELS
from keyproj.validation import QueryArgs
from web.api.errors import ApiError

REPORT_AMOUNTS = (*AMOUNTS, "progress_pct")
FILTER_LABELS = {
    "unit_id": "牵头责任单位ID",
    "level": "级别",
    "q": "关键词",
    "status": "状态",
    "category": "问题类别",
    "project_id": "项目ID",
    "state": "约谈状态",
}


def json_body() -> dict[str, Any]:
    """The request's JSON object; anything else is a 400, unstorable or too deep content a 422."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # the parser's own stack gave out: far deeper than any limit
        raise ValidationError.single("", "请求体", "JSON 嵌套层数过多") from None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "请求体须为 JSON 对象（Content-Type: application/json）")
    problem = json_problem(body)
    if problem:
        field, reason = problem
        raise ValidationError.single(field, field or "请求体", reason)
    return body


def filters(blank_is_given: bool = True) -> QueryArgs:
    """The query string's filters as the document states them: a blank value is no valid value."""
    return QueryArgs(request.args, FILTER_LABELS, blank_is_given=blank_is_given)


class _Reader:
    """Takes typed values out of a JSON object, noting every bad field."""

    def __init__(self, body: dict[str, Any], labels: dict[str, str]):
        self.body, self.labels, self.errors = body, labels, list[FieldError]()

    def fail(self, name: str, reason: str) -> None:
        self.errors.append(FieldError(name, self.labels.get(name, name), reason))

    def decimal(self, name: str) -> Decimal | None:
        value = self.body.get(name)
        if value is None:
            return None  # the service names a missing amount as required
        try:
            return parse_decimal(value)
        except BadInput as exc:
            self.fail(name, str(exc))
            return None

    def day(self, name: str) -> date | None:
        value = self.body.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(name, "应为日期，格式 YYYY-MM-DD")
            return None
        try:
            return parse_date(value)
        except BadInput as exc:
            self.fail(name, str(exc))
            return None

    def text(self, name: str) -> str | None:
        value = self.body.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(name, "应为文本")
            return None
        return value

    def flag(self, name: str) -> bool:
        value = self.body.get(name, False)
        if not isinstance(value, bool):
            self.fail(name, "应为 true 或 false")
            return False
        return value

    def done(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def report_body(body: dict[str, Any]) -> tuple[str, ReportData]:
    """The period and AL6 content of a report submission."""
    read = _Reader(body, REPORT_LABELS)
    period = read.text("period")
    if not period:
        read.fail("period", "不能为空，如 2026-03")
    amounts: dict[str, Any] = {name: read.decimal(name) for name in REPORT_AMOUNTS}
    dates: dict[str, Any] = {name: read.day(name) for name in DATES}
    texts: dict[str, Any] = {name: read.text(name) for name in TEXTS}
    start_status = read.text("start_status")
    if not start_status:
        read.fail("start_status", "不能为空，如 started、not_started")
    procedures = body.get("procedures")
    if procedures is not None and not isinstance(procedures, dict):
        read.fail("procedures", '应为对象，如 {"environment": {"status": "approved"}}')
    read.done()
    # Missing amounts reach the service as None, which reports them as required; the period
    # goes as sent (no stripping): the service takes only an exact key in ASCII digits.
    data = ReportData(
        start_status=start_status or "",
        procedures=procedures or {},
        **amounts,
        **dates,
        **texts,
    )
    return period or "", data


def issue_body(body: dict[str, Any], today: date) -> IssueData:
    """A new ledger entry; the opening date defaults to today."""
    read = _Reader(body, ISSUE_LABELS)
    data = IssueData(
        category=read.text("category") or "",
        title=read.text("title") or "",
        owner_unit_code=read.text("owner_unit_code") or "",
        opened_on=read.day("opened_on") or today,
        description=read.text("description"),
        urgent=read.flag("urgent"),
    )
    read.done()
    return data


def plan_body(body: dict[str, Any]) -> tuple[PlanData, PlanRecords]:
    """A plan draft: its figures with each period's, and the records its window asks for.

    A bad value inside a period is named by its place, as ``periods[1].planned_investment``.
    """
    read = _Reader(body, {**PLAN_LABELS, **WINDOW_LABELS})
    annual = read.decimal("annual_investment")
    if annual is None and "annual_investment" not in {e.field for e in read.errors}:
        read.fail("annual_investment", "不能为空")
    rows = body.get("periods")
    if rows is None:
        rows = []
    if not isinstance(rows, list):
        read.fail("periods", '应为数组，如 [{"period": "2026-03", ...}]')
        rows = []
    periods = [_plan_period(read, number, row) for number, row in enumerate(rows)]
    texts = {name: read.text(name) for name in ("milestones", "reason")}
    records = PlanRecords(
        read.text("responsible_leader"), read.text("responsible_person"), read.text("request")
    )
    read.done()
    found = [p for p in periods if p is not None]
    return PlanData(annual or Decimal(0), found, texts["milestones"], texts["reason"]), records


def _plan_period(read: _Reader, number: int, row: Any) -> PlanPeriodData | None:
    """One period of the breakdown, or None (its problems noted) when it cannot be read."""
    place = f"periods[{number}]"
    if not isinstance(row, dict):
        read.fail(place, "应为对象，含 period、planned_investment、planned_progress_pct")
        return None
    item = _Reader(row, PLAN_LABELS)
    period = item.text("period")
    if not period and not item.errors:
        item.fail("period", "不能为空，如 2026-03")
    amounts = {name: item.decimal(name) for name in ("planned_investment", "planned_progress_pct")}
    for name, value in amounts.items():
        if value is None and name not in {e.field for e in item.errors}:
            item.fail(name, "不能为空")
    milestone, procedures = item.text("milestone"), item.text("procedures")
    for error in item.errors:
        read.errors.append(FieldError(f"{place}.{error.field}", error.label, error.reason))
    if item.errors:
        return None
    assert period is not None
    investment, pct = amounts["planned_investment"], amounts["planned_progress_pct"]
    assert investment is not None
    assert pct is not None
    return PlanPeriodData(period, investment, pct, milestone, procedures)


def decision_body(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """The key office's opinion and, for a mid-June adjustment, the government's decision."""
    read = _Reader(body, {**PLAN_LABELS, **WINDOW_LABELS})
    note, decision = read.text("note"), read.text("government_decision")
    read.done()
    return note, decision
