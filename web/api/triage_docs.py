"""The OpenAPI part of the key office's triage (LP13): its bodies and its five operations."""

from __future__ import annotations

from typing import Any

from keyproj import codes
from web.api.operations import list_page, operation, paging_params, ref
from web.api.schemas import ID_IN, INT, STR, TIME, UNIT, code, nullable, obj, text_in

JSON = dict[str, Any]

WARNING_IDS = {
    "type": "array",
    "items": ID_IN,
    "minItems": 1,
    "maxItems": 500,
    "description": "所选待研判预警的ID",
}
QUEUED_WARNING = obj(
    {
        "id": INT,
        "rule_id": STR,
        "level": code(codes.WarningLevel),
        "level_label": STR,
        "colour": code(codes.Colour),
        "colour_label": STR,
        "period": STR,
        "summary": {**STR, "description": "预警依据"},
        "raised_at": TIME,
        "notice_due": {**nullable(TIME), "description": "通知期限（LP13），自预警发出起算"},
    }
)
TRIAGE_GROUP = obj(
    {
        "project_id": nullable(INT),
        "project_code": nullable(STR),
        "project_name": nullable(STR),
        "unit": nullable(UNIT),
        "proposed_level": code(codes.WarningLevel),
        "proposal": {
            "type": "object",
            "description": "建议的预警催办通知（issue_notice 表单）：协调层级、牵头责任单位及"
            "其依据和理由（routing_proposed、routing_unit_proposed、routing_clause、routing_why，"
            "LP14–16）；改变建议须写明 routing_reason",
        },
        "notice_due": nullable(TIME),
        "warnings": {"type": "array", "items": ref("QueuedWarning")},
        "open_cases": {
            "type": "array",
            "items": obj({"id": INT, "notice_number": nullable(STR)}),
            "description": "该项目的在办案件，可将预警并入",
        },
    }
)
TRIAGE_NOTICE = obj({"warning_ids": WARNING_IDS, "form": ref("form_issue_notice")}, closed=True)
TRIAGE_SELECTION = obj({"warning_ids": WARNING_IDS}, closed=True)
TRIAGE_MERGE = obj({"warning_ids": WARNING_IDS, "case_id": ID_IN}, closed=True)
TRIAGE_DISMISS = obj(
    {"warning_ids": WARNING_IDS, "reason": {**text_in(1000, True), "description": "不予处置理由"}},
    closed=True,
)
TRIAGE_DONE = obj(
    {
        "cases": {
            "type": "array",
            "items": obj({"id": INT, "notice_number": nullable(STR), "project_id": nullable(INT)}),
        },
        "warning_ids": {"type": "array", "items": INT},
    }
)
TRIAGE_SCHEMAS: dict[str, JSON] = {
    "QueuedWarning": QUEUED_WARNING,
    "TriageGroup": TRIAGE_GROUP,
    "TriageNotice": TRIAGE_NOTICE,
    "TriageSelection": TRIAGE_SELECTION,
    "TriageMerge": TRIAGE_MERGE,
    "TriageDismiss": TRIAGE_DISMISS,
    "TriageDone": TRIAGE_DONE,
}


def triage_paths(write_errors: tuple[str, ...]) -> JSON:
    """The key office's triage (LP13): the queue and its four actions (重点办账号的令牌)."""
    done = ("200", "已处置", ref("TriageDone"))
    return {
        "/api/v1/triage": {
            "get": operation(
                "待研判预警：按项目（牵头责任单位）归并的事项，最严重的在前（LP13，仅重点办）",
                ("200", "待研判事项", list_page("groups", "TriageGroup")),
                paging_params(),
                errors=("400", "401", "403"),
            )
        },
        "/api/v1/triage/notice": {
            "post": operation(
                "为同一项目所选预警发出一份预警催办通知并启动处置案件；通知期限自最早预警起算",
                ("201", "已发出", ref("TriageDone")),
                body=ref("TriageNotice"),
                errors=write_errors,
            )
        },
        "/api/v1/triage/bulk": {
            "post": operation(
                "跨项目所选预警按项目各发出一份通知（按政策配置的模板和拟定牵头单位）",
                ("201", "已发出", ref("TriageDone")),
                body=ref("TriageSelection"),
                errors=write_errors,
            )
        },
        "/api/v1/triage/merge": {
            "post": operation(
                "将所选预警并入同一项目的在办案件（记入案件时间线，并通知责任单位）",
                done,
                body=ref("TriageMerge"),
                errors=write_errors,
            )
        },
        "/api/v1/triage/dismiss": {
            "post": operation(
                "所选预警不予处置：须写明理由，记入变更日志，本期不再预警",
                done,
                body=ref("TriageDismiss"),
                errors=write_errors,
            )
        },
    }
