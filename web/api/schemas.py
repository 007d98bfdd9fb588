"""JSON schemas of the API's bodies, for the OpenAPI document (shapes of web.api.serialize).

What a client sends is described with the input layer's limits (keyproj.inputs), so the
document refuses exactly what the API refuses for form: lengths, control characters, ASCII
digits, years, the range of amounts and of ids.
"""

from __future__ import annotations

from typing import Any

from keyproj import codes
from keyproj.db.base import length_of
from keyproj.db.models import Project, ProjectIssue, Unit
from keyproj.inputs import (
    ADMIN_YEARS,
    DB_INT_MAX,
    DOCUMENT_TEXT,
    MONEY_INTEGER_DIGITS,
    MONEY_MAX,
    MONEY_SCALE,
    NO_CONTROLS_PATTERN,
    VISIBLE_PATTERN,
    Years,
)

JSON = dict[str, Any]
STR = {"type": "string"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
DECIMAL = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$", "description": "十进制数字字符串"}
DECIMALS = f"(\\.[0-9]{{1,{MONEY_SCALE}}})?"
# Thousands commas as the pages show amounts, at most 14 digits in all: 12,345,678,901,234.
GROUPED = r"[1-9][0-9]{0,2}(,[0-9]{3}){1,3}|[1-9][0-9]?(,[0-9]{3}){4}"
# Leading zeros are allowed: what counts is the value, at most 14 digits before the point.
AMOUNT_IN = {
    "type": ["string", "number"],
    "pattern": f"^(0*[0-9]{{1,{MONEY_INTEGER_DIGITS}}}|{GROUPED}){DECIMALS}$",
    "minimum": 0,
    "exclusiveMaximum": 10**MONEY_INTEGER_DIGITS,
    "description": f'金额（万元）：数字，或十进制数字字符串（如 "1200.5" 或 "12,345.6"，保证精度）；'
    f"半角数字，不为负，最多{MONEY_SCALE}位小数，不超过 {MONEY_MAX:,f}",
}
PERCENT_IN = {
    "type": ["string", "number"],
    "pattern": f"^0*(100(\\.0{{1,{MONEY_SCALE}}})?|[0-9]{{1,2}}{DECIMALS})$",
    "minimum": 0,
    "maximum": 100,
    "description": f"百分比 0–100：数字或十进制数字字符串，最多{MONEY_SCALE}位小数",
}
ID_IN = {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX}


def text_in(limit: int, required: bool = False) -> JSON:
    """Text a client sends: at most ``limit`` characters, no control characters; if required, visible."""
    if required:
        return {"type": "string", "minLength": 1, "maxLength": limit, "pattern": VISIBLE_PATTERN}
    return {"type": "string", "maxLength": limit, "pattern": NO_CONTROLS_PATTERN}


def date_in(years: Years) -> JSON:
    """A date a client sends: YYYY-MM-DD in ASCII digits, its year within ``years``."""
    return {
        "type": "string",
        "format": "date",
        "pattern": f"^({years.pattern})-[0-9]{{2}}-[0-9]{{2}}$",
        "description": f"YYYY-MM-DD，{years.first}–{years.last}年",
    }


def nullable(schema: JSON) -> JSON:
    """``schema`` or null."""
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: JSON, required: list[str] | None = None, closed: bool = False) -> JSON:
    """An object schema; ``required`` defaults to every property."""
    schema: JSON = {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }
    if closed:
        schema["additionalProperties"] = False
    return schema


def code(code_list: type[codes.Code]) -> JSON:
    """A string from a code list, each code explained by its Chinese label."""
    return {
        "type": "string",
        "enum": [c.value for c in code_list],
        "description": "、".join(f"{c.value}={c.label}" for c in code_list),
    }


def ref(name: str) -> JSON:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


TIME = {"type": "string", "format": "date-time", "description": "北京时间，带 +08:00"}
UNIT = obj({"id": INT, "code": STR, "name": STR}, ["code", "name"])
WARNING = obj(
    {
        "id": INT,
        "rule_id": STR,
        "rule_label": {"type": "string", "description": "预警规则名称"},
        "project_id": nullable(INT),
        "project_name": nullable(STR),
        "period": STR,
        "level": code(codes.WarningLevel),
        "level_label": STR,
        "colour": code(codes.Colour),
        "colour_label": STR,
        "evidence": {"type": "object", "description": "触发预警的数据"},
        "evidence_text": {
            "type": "string",
            "description": "预警依据的中文表述（万元、百分比、北京时间）",
        },
        "source": code(codes.WarningSource),
        "status": code(codes.WarningStatus),
        "status_label": STR,
        "raised_at": TIME,
        "closed_at": nullable(TIME),
    },
    ["id", "rule_id", "project_id", "period", "level", "colour", "status", "raised_at"],
)
PROJECT = obj(
    {
        "id": INT,
        "code": {"type": "string", "description": "全国投资项目代码"},
        "name": STR,
        "level": code(codes.ProjectLevel),
        "level_label": STR,
        "nature": code(codes.ProjectNature),
        "nature_label": STR,
        "stage": code(codes.ProjectStage),
        "stage_label": STR,
        "total_investment": DECIMAL,
        "central_funds": BOOL,
        "government_invested": BOOL,
        "lead_unit": UNIT,
        "leader_name": nullable(STR),
        "construction_unit": nullable(STR),
        "location": nullable(STR),
        "industry_chain": nullable(STR),
        "chain_id": {**nullable(INT), "description": "所属产业链ID（DC5）"},
        "approved_on": nullable(DATE),
        "planned_start": nullable(DATE),
        "planned_completion": nullable(DATE),
    },
    ["id", "code", "name", "level", "nature", "stage", "total_investment", "lead_unit"],
)
PROJECT_DETAIL = {
    "allOf": [
        ref("Project"),
        obj(
            {
                "description": nullable(STR),
                "team": {"type": "array", "items": {"type": "object"}},
                "plan": nullable({"type": "object", "description": "本年度现行计划及分期计划"}),
                "open_issue_count": INT,
                "warnings": {
                    "type": "array",
                    "items": ref("Warning"),
                    "description": "最新的预警（至多20条）；全部见 /api/v1/warnings?project_id=",
                },
                "warning_count": INT,
            }
        ),
    ]
}
ISSUE = obj(
    {
        "id": INT,
        "project_id": INT,
        "category": code(codes.IssueCategory),
        "category_label": STR,
        "title": STR,
        "description": nullable(STR),
        "owner_unit": UNIT,
        "urgent": BOOL,
        "opened_on": DATE,
        "status": code(codes.IssueStatus),
        "status_label": STR,
        "resolved_on": nullable(DATE),
        "resolution": nullable(STR),
    },
    ["id", "project_id", "category", "title", "owner_unit", "opened_on", "status"],
)
ISSUE_INPUT = obj(
    {
        "category": STR,  # the enum is filled in from keyproj.codes
        "title": {**text_in(length_of(ProjectIssue.title), required=True), "title": "问题摘要"},
        "owner_unit_code": {
            **text_in(length_of(Unit.code), required=True),
            "title": "负责协调单位编码",
        },
        "opened_on": {
            "anyOf": [date_in(ADMIN_YEARS), {"type": "null"}],
            "title": "发现日期",
            "description": "默认今天",
        },
        "description": {**nullable(text_in(DOCUMENT_TEXT)), "title": "问题描述"},
        "urgent": {"type": "boolean", "title": "急需协调（LP9）", "default": False},
    },
    ["category", "title", "owner_unit_code"],
)
TASK = obj(
    {
        "id": INT,
        "case_id": INT,
        "name": STR,
        "title": STR,
        "lane": {**code(codes.Lane), "description": "泳道（角色）：" + "、".join(codes.Lane)},
        "form": {"type": "string", "description": "表单名：请求体按 form_<名称> 填写"},
        "status": code(codes.TaskStatus),
        "status_label": STR,
        "due_at": nullable(TIME),
        "ready_at": TIME,
        "claimed_by_id": nullable(INT),
        "claimed_at": nullable(TIME),
        "completed_at": nullable(TIME),
        "part_unit_id": {
            **nullable(INT),
            "description": "该任务所属责任单位（牵头或阶段性，LP13）的单位ID；各单位分别办理本单位部分",
        },
        # Only the task list (the inbox) carries these.
        "part_unit_name": nullable(STR),
        "claimed_by_name": nullable(STR),
        "overdue": BOOL,
        "deadline_text": {"type": "string", "description": "如“剩余3个工作日”“已逾期2个工作日”"},
        "project_id": nullable(INT),
        "project_code": nullable(STR),
        "project_name": nullable(STR),
        "warning_level": code(codes.WarningLevel),
        "warning_level_label": STR,
        "colour": code(codes.Colour),
        "decided_item": {
            **nullable(STR),
            "description": "议定事项的案件：事项内容（其预警级别和颜色仅为承载案件，不是预警）；否则为 null",
        },
        "decided_item_origin": {**nullable(STR), "description": "议定该事项的会议名称"},
    },
    ["id", "case_id", "name", "title", "lane", "form", "status"],
)
CASE = obj(
    {
        "id": INT,
        "warning": ref("Warning"),
        "status": code(codes.CaseStatus),
        "status_label": STR,
        "outcome": nullable(code(codes.CaseOutcome)),
        "outcome_label": nullable(STR),
        "notice_number": nullable(STR),
        "opened_at": TIME,
        "closed_at": nullable(TIME),
    },
    ["id", "warning", "status", "opened_at"],
)
EVENT = obj(
    {
        "seq": INT,
        "kind": STR,
        "actor_id": nullable(INT),
        "actor_name": nullable(STR),
        "unit_id": nullable(INT),
        "unit_name": nullable(STR),
        "task_name": nullable(STR),
        "data": {"type": "object"},
        "occurred_at": TIME,
        "hash": STR,
    },
    ["seq", "kind", "occurred_at", "hash"],
)
CASE_DETAIL = {
    "allOf": [
        ref("Case"),
        obj(
            {
                "open_tasks": {"type": "array", "items": ref("Task")},
                "events": {
                    "type": "array",
                    "items": ref("CaseEvent"),
                    "description": "办理记录的前100条；全部见 /api/v1/cases/{case_id}/events",
                },
                "event_count": INT,
            }
        ),
    ]
}
COMPLETION = obj(
    {
        "accepted": {"const": True},
        "message": STR,
        "case_status": code(codes.CaseStatus),
        "now_waiting_for": {"type": "array", "items": STR},
    }
)
ERROR = obj(
    {
        "error": obj(
            {
                "code": {"type": "string", "description": "如 not_found、validation_failed"},
                "message": {"type": "string", "description": "中文说明"},
                "fields": {
                    "type": "object",
                    "additionalProperties": STR,
                    "description": "栏目名 → 原因",
                },
            }
        )
    }
)
# LP12: what the provincial or city system sends, as the feedback file's JSON items have it.
FEEDBACK_WARNING = obj(
    {
        "reference": {
            **text_in(40, required=True),
            "title": "编号",
            "description": "上级系统的预警编号",
        },
        "origin": {
            "type": "string",
            "enum": ["province", "city", "省", "市", "省级", "市级"],
            "title": "来源",
        },
        "project_code": {**text_in(length_of(Project.code), required=True), "title": "项目代码"},
        "period": {
            **text_in(16, required=True),
            "title": "期次",
            "description": "如 2026-03、2026-03-1、2026-W12、2026-Q1",
        },
        "level": {**code(codes.WarningLevel), "title": "预警等级"},
        "colour": {**code(codes.Colour), "title": "预警颜色"},
        "message": {**text_in(2000, required=True), "title": "预警内容"},
        "raised_on": {"anyOf": [date_in(ADMIN_YEARS), {"type": "null"}], "title": "预警日期"},
    },
    ["reference", "origin", "project_code", "period", "level", "colour", "message"],
    closed=True,
)
FEEDBACK_INPUT = {
    "anyOf": [
        ref("FeedbackWarning"),
        obj(
            {"warnings": {"type": "array", "minItems": 1, "items": ref("FeedbackWarning")}},
            closed=True,
        ),
    ],
    "description": '一条预警对象，或 {"warnings": [...]}；栏目与预警反馈文件相同（docs/warning_import.md）',
}
WARNINGS_RECEIVED = obj(
    {
        "warnings": {
            "type": "array",
            "items": obj(
                {"id": INT, "created": {**BOOL, "description": "false：此前已接收，未重复预警"}}
            ),
        },
        "cases_started": INT,
    }
)
COMPONENTS: dict[str, JSON] = {
    "Error": ERROR,
    "Project": PROJECT,
    "ProjectDetail": PROJECT_DETAIL,
    "Issue": ISSUE,
    "IssueInput": ISSUE_INPUT,
    "Warning": WARNING,
    "Case": CASE,
    "CaseDetail": CASE_DETAIL,
    "CaseEvent": EVENT,
    "Task": TASK,
    "CompletionResult": COMPLETION,
    "FeedbackWarning": FEEDBACK_WARNING,
    "FeedbackInput": FEEDBACK_INPUT,
    "WarningsReceived": WARNINGS_RECEIVED,
}
