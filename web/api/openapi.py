"""The OpenAPI 3.1 document of /api/v1 (public): every endpoint, its parameters, bodies and errors."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from flask import Response, jsonify

from keyproj.codes import (
    ISSUE_CATEGORIES,
    PROCEDURE_ITEMS,
    PROCEDURE_STATUSES,
    PROJECT_LEVELS,
    START_STATUSES,
    WARNING_LEVELS,
    CaseStatus,
    InboxStatus,
    IssueStatus,
    WarningStatus,
)
from keyproj.forms import list_forms, load_form
from keyproj.inputs import ADMIN_YEARS, KEYWORD_TEXT
from keyproj.periods import CYCLE_LABELS, SUFFIXES
from keyproj.services.projects.reports import LABELS as REPORT_LABELS
from web.api import bp
from web.api.decision_docs import DECISION_SCHEMAS, decision_paths
from web.api.half_year import SCHEMAS as HALF_YEAR_SCHEMAS
from web.api.half_year import half_year_paths
from web.api.inspection_reports import SCHEMAS as INSPECTION_REPORT_SCHEMAS
from web.api.inspection_reports import report_paths
from web.api.instructions import SCHEMAS as INSTRUCTION_SCHEMAS
from web.api.interview_docs import INTERVIEW_SCHEMAS, interview_paths
from web.api.meeting_docs import MEETING_SCHEMAS, meeting_paths
from web.api.operations import (
    WRITE_ERRORS,
    list_page,
    operation,
    paging_params,
    path_id,
    query,
    ref,
)
from web.api.plan_docs import PLAN_INPUTS, plan_paths
from web.api.report_docs import REPORT_SCHEMAS
from web.api.schemas import COMPONENTS, ID_IN, date_in, text_in
from web.api.sitework_docs import SITEWORK_SCHEMAS, sitework_paths
from web.api.tours import SCHEMAS as TOUR_SCHEMAS
from web.api.tours import tour_paths
from web.api.triage_docs import TRIAGE_SCHEMAS, triage_paths
from web.db import state

JSON = dict[str, Any]
KEYWORD = text_in(KEYWORD_TEXT)


def _enum(codes: dict[str, str]) -> JSON:
    return {
        "type": "string",
        "enum": list(codes),
        "description": "、".join(f"{k}={v}" for k, v in codes.items()),
    }


def _form_schemas() -> dict[str, JSON]:
    """The task forms' own JSON schemas (bpmn/forms), as components named form_<task>."""
    out = {}
    for name in list_forms():
        schema = load_form(name)
        schema.pop("$schema", None)
        schema.pop("$id", None)
        out[f"form_{name}"] = schema
    return out


def _paths() -> JSON:
    project_id = path_id("project_id", "项目ID")
    task_id = path_id("task_id", "任务ID")
    write_errors = WRITE_ERRORS
    forms = [ref(f"form_{name}") for name in list_forms()]
    document_op = operation(
        "本 OpenAPI 文档（无需令牌）", ("200", "OpenAPI 3.1 文档", {"type": "object"}), errors=()
    )
    document_op["security"] = []
    return {
        "/api/v1/openapi.json": {"get": document_op},
        "/api/v1/projects": {
            "get": operation(
                "当前账号可查看的项目（按单位、级别、关键词筛选）",
                ("200", "项目列表", list_page("projects", "Project")),
                [
                    query("unit_id", "牵头责任单位ID", ID_IN),
                    query("level", "项目级别", _enum(PROJECT_LEVELS)),
                    query("q", "项目名称关键词或完整项目代码", KEYWORD),
                    *paging_params(),
                ],
                errors=("400", "401", "422"),
            )
        },
        "/api/v1/projects/{project_id}": {
            "get": operation(
                "项目详情：项目团队、年度计划、预警",
                ("200", "项目详情", ref("ProjectDetail")),
                [project_id],
            )
        },
        "/api/v1/projects/{project_id}/reports": {
            "get": operation(
                "项目的进度报表（期次倒序）",
                ("200", "报表列表", list_page("reports", "Report")),
                [project_id, *paging_params()],
                errors=("400", "401", "404"),
            ),
            "post": operation(
                "填报并报送一期进度报表（AL6）；报送后锁定，并触发预警扫描",
                ("201", "已报送的报表", ref("Report")),
                [project_id],
                ref("ReportSubmission"),
                write_errors,
            ),
        },
        **plan_paths(),
        **meeting_paths(),
        "/api/v1/projects/{project_id}/issues": {
            "get": operation(
                "项目的重大问题台账（LP7）",
                ("200", "问题列表", list_page("issues", "Issue")),
                [
                    project_id,
                    query("status", "状态", _enum(IssueStatus.labels())),
                    query("category", "问题类别", _enum(ISSUE_CATEGORIES)),
                    *paging_params(),
                ],
                errors=("400", "401", "404", "422"),
            ),
            "post": operation(
                "登记一个重大问题（LP7）",
                ("201", "已登记的问题", ref("Issue")),
                [project_id],
                ref("IssueInput"),
                write_errors,
            ),
        },
        "/api/v1/warnings": {
            "get": operation(
                "当前账号可查看的预警（最新在前）",
                ("200", "预警列表", list_page("warnings", "Warning")),
                [
                    query("status", "状态", _enum(WarningStatus.labels())),
                    query("project_id", "项目ID", ID_IN),
                    query("level", "预警级别", _enum(WARNING_LEVELS)),
                    *paging_params(),
                ],
                errors=("400", "401", "422"),
            ),
            "post": _received(),
        },
        **triage_paths(write_errors),
        **interview_paths(),
        **decision_paths(),
        **tour_paths(),
        **report_paths(),
        **half_year_paths(),
        **sitework_paths(),
        "/api/v1/cases": {
            "get": operation(
                "当前账号可查看的预警处置案件",
                ("200", "案件列表", list_page("cases", "Case")),
                [
                    query("status", "状态", _enum(CaseStatus.labels())),
                    query("project_id", "项目ID", ID_IN),
                    *paging_params(),
                ],
                errors=("400", "401", "422"),
            )
        },
        "/api/v1/cases/{case_id}": {
            "get": operation(
                "案件详情与办理记录（时间线）",
                ("200", "案件详情", ref("CaseDetail")),
                [path_id("case_id", "案件ID")],
            )
        },
        "/api/v1/cases/{case_id}/events": {
            "get": operation(
                "案件办理记录（按写入顺序分页）",
                ("200", "办理记录", list_page("events", "CaseEvent")),
                [path_id("case_id", "案件ID"), *paging_params()],
                errors=("400", "401", "404", "422"),
            )
        },
        "/api/v1/cases/{case_id}/instructions": {
            "get": operation(
                "案件的县领导批示及答复情况（先作出的在前）",
                ("200", "批示列表", ref("Instructions")),
                [path_id("case_id", "案件ID")],
            ),
            "post": operation(
                "对案件作出批示：仅挂钩该项目的县领导账号；批示送达责任单位并记入办理过程",
                ("201", "已作出的批示", ref("Instruction")),
                [path_id("case_id", "案件ID")],
                ref("InstructionInput"),
                write_errors,
            ),
        },
        "/api/v1/tasks": {
            "get": operation(
                "待办任务：本单位可认领的任务和本人已认领的任务（期限最近在前），与“我的待办”页面同一查询",
                ("200", "任务列表", list_page("tasks", "Task")),
                [
                    query("case_id", "只看某一案件的任务", ID_IN),
                    query("project", "项目名称关键词或项目代码", KEYWORD),
                    query("level", "预警级别", _enum(WARNING_LEVELS)),
                    query("status", "状态", _enum(InboxStatus.labels())),
                    query("due_from", "办理期限起（北京日期）", date_in(ADMIN_YEARS)),
                    query("due_to", "办理期限止（北京日期）", date_in(ADMIN_YEARS)),
                    *paging_params(),
                ],
                errors=("400", "401", "422"),
            )
        },
        "/api/v1/tasks/{task_id}/claim": {
            "post": operation(
                "认领任务",
                ("200", "已认领的任务", ref("Task")),
                [task_id],
                errors=("401", "403", "404", "409"),
            )
        },
        "/api/v1/tasks/{task_id}/complete": {
            "post": operation(
                "提交任务表单；请求体为该任务表单（Task.form）的数据。超过办理期限的提交返回409",
                ("200", "已提交", ref("CompletionResult")),
                [task_id],
                {"anyOf": forms, "description": "与任务的 form 对应的表单，如 form_respond"},
                write_errors,
            )
        },
    }


def _received() -> JSON:
    """POST /warnings (LP12): 201 when any warning is new, 200 when every one was received before."""
    op = operation(
        "接收省、市重点项目信息系统反馈的预警（LP12），进入重点办待研判清单（LP13）；"
        "校验与预警反馈文件导入相同。重复发送不会重复预警：返回已有预警的ID（created=false，200）",
        ("201", "已接收；新的预警待重点办研判", ref("WarningsReceived")),
        body=ref("FeedbackInput"),
        errors=("400", "401", "403", "409", "413"),
    )
    op["responses"]["200"] = {
        "description": "均为此前已接收的预警，未重复预警",
        "content": {"application/json": {"schema": ref("WarningsReceived")}},
    }
    op["description"] = "需重点办账号或“上级系统接口”角色账号的令牌；其他账号返回403。"
    return op


def _period(cycle: str) -> JSON:
    """The report period of the profile's cycle: its key in ASCII digits, its year in ADMIN_YEARS."""
    suffix, example = SUFFIXES[cycle]
    return {
        "type": "string",
        "pattern": f"^({ADMIN_YEARS.pattern}){suffix}$",
        "description": f"期次（{CYCLE_LABELS[cycle]}），如 {example}；半角数字，"
        f"{ADMIN_YEARS.first}–{ADMIN_YEARS.last}年",
    }


@cache
def document(cycle: str = "monthly", breakdown: str = "monthly") -> JSON:
    """The whole OpenAPI document for a reporting cycle and plan breakdown (built once per pair
    from code and shipped forms)."""
    schemas = {
        **copy.deepcopy(COMPONENTS),
        **copy.deepcopy(PLAN_INPUTS),
        **copy.deepcopy(REPORT_SCHEMAS),
        **copy.deepcopy(INSTRUCTION_SCHEMAS),
        **copy.deepcopy(TRIAGE_SCHEMAS),
        **copy.deepcopy(INTERVIEW_SCHEMAS),
        **copy.deepcopy(DECISION_SCHEMAS),
        **copy.deepcopy(MEETING_SCHEMAS),
        **copy.deepcopy(TOUR_SCHEMAS),
        **copy.deepcopy(INSPECTION_REPORT_SCHEMAS),
        **copy.deepcopy(HALF_YEAR_SCHEMAS),
        **copy.deepcopy(SITEWORK_SCHEMAS),
        **_form_schemas(),
    }
    schemas["PlanPeriodInput"]["properties"]["period"] = _period(breakdown)
    submission = schemas["ReportSubmission"]["properties"]
    submission["period"] = _period(cycle)
    submission["start_status"] = _enum(START_STATUSES)
    procedure = submission["procedures"]["anyOf"][0]
    procedure["propertyNames"] = _enum(PROCEDURE_ITEMS)
    procedure["additionalProperties"]["properties"]["status"] = _enum(PROCEDURE_STATUSES)
    for name, prop in submission.items():
        prop.setdefault("title", REPORT_LABELS.get(name, name))
    schemas["IssueInput"]["properties"]["category"] = _enum(ISSUE_CATEGORIES)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "重点项目预警与协调处置系统 API",
            "version": "1.0.0",
            "description": "供省、市重点项目信息系统对接（LP12、GS4）。数据范围与网页一致："
            "单位账号只能查看和办理本单位的项目、报表、案件和任务。金额单位为万元，"
            "以十进制字符串表示；时间为北京时间（+08:00）。",
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "paths": _paths(),
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "由管理员用 `keyproj users token 用户名 --name 名称` 签发的令牌",
                }
            },
            "schemas": schemas,
        },
    }


@bp.get("/openapi.json", endpoint="openapi")
def openapi() -> Response:
    """The OpenAPI 3.1 document; public, so a client can read it before holding a token."""
    profile = state().profile
    return jsonify(document(profile.reporting.cycle, profile.plans.breakdown))
