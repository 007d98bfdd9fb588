"""Reading JSON request bodies into the services' data, with a Chinese reason per bad field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import request

from keyproj.errors import FieldError, ValidationError
from keyproj.services.projects.issues import LABELS as ISSUE_LABELS
from keyproj.services.projects.issues import IssueData
from keyproj.services.projects.reports import LABELS as REPORT_LABELS
from keyproj.services.projects.reports import ReportData
from web.api.errors import ApiError

REPORT_AMOUNTS = (
    "total_investment",
    "cumulative_completed",
    "annual_plan_investment",
    "annual_completed",
    "progress_pct",
)
REPORT_DATES = ("started_on", "expected_start")
REPORT_TEXTS = ("not_started_reason", "progress_text", "issues_text", "measures_text")


def json_body() -> dict[str, Any]:
    """The request's JSON object; anything else is a 400."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "请求体须为 JSON 对象（Content-Type: application/json）")
    return body


class _Reader:
    """Takes typed values out of a JSON object, noting every bad field."""

    def __init__(self, body: dict[str, Any], labels: dict[str, str]):
        self.body, self.labels, self.errors = body, labels, list[FieldError]()

    def fail(self, name: str, reason: str) -> None:
        self.errors.append(FieldError(name, self.labels.get(name, name), reason))

    def decimal(self, name: str) -> Decimal | None:
        value = self.body.get(name)
        if value is None or value == "":
            return None
        # bool is an int in Python; a JSON true is no amount.
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(name, '应为数字（可写成字符串，如 "1200.5"）')
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.fail(name, f"“{value}”不是有效的数字")
            return None
        if not number.is_finite():
            self.fail(name, f"“{value}”不是有效的数字")
            return None
        return number

    def day(self, name: str) -> date | None:
        value = self.body.get(name)
        if value is None or value == "":
            return None
        try:
            if isinstance(value, str):
                return date.fromisoformat(value.strip())
        except ValueError:
            pass
        self.fail(name, "应为日期，格式 YYYY-MM-DD")
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
    if not period or not period.strip():
        read.fail("period", "不能为空，如 2026-03")
    amounts: dict[str, Any] = {name: read.decimal(name) for name in REPORT_AMOUNTS}
    dates: dict[str, Any] = {name: read.day(name) for name in REPORT_DATES}
    texts: dict[str, Any] = {name: read.text(name) for name in REPORT_TEXTS}
    start_status = read.text("start_status")
    if not start_status:
        read.fail("start_status", "不能为空，如 started、not_started")
    procedures = body.get("procedures") or {}
    if not isinstance(procedures, dict) or not all(
        isinstance(v, dict) for v in procedures.values()
    ):
        read.fail("procedures", '应为对象，如 {"environment": {"status": "approved"}}')
        procedures = {}
    read.done()
    # Missing amounts reach the service as None, which reports them as required.
    data = ReportData(
        start_status=start_status or "",
        procedures=procedures,
        **amounts,
        **dates,
        **texts,
    )
    return (period or "").strip(), data


def issue_body(body: dict[str, Any], today: date) -> IssueData:
    """A new ledger entry; the opening date defaults to today."""
    read = _Reader(body, {**ISSUE_LABELS, "description": "问题描述", "urgent": "急需协调"})
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
