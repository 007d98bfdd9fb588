"""The OpenAPI entries of year plans (LP6, AL4, AL5, HD1): reading, drafting and submitting by the
project's lead unit, approval or return by the key office."""

from __future__ import annotations

from typing import Any

from keyproj import codes
from keyproj.codes.plans import PlanKind
from keyproj.inputs import LONG_TEXT
from keyproj.services.projects import plan_windows as windows
from keyproj.services.projects.plans import LABELS
from web.api.operations import WRITE_ERRORS, YEAR_IN, operation, path_id, query, ref
from web.api.schemas import (
    AMOUNT_IN,
    BOOL,
    DATE,
    DECIMAL,
    INT,
    PERCENT_IN,
    STR,
    code,
    nullable,
    obj,
    text_in,
)

JSON = dict[str, Any]
UNIT_ONLY = "只有项目牵头责任单位的账号可以编制和报送计划；其他账号返回403。"
OFFICE_ONLY = (
    "只有重点办的账号可以审批或退回；其他账号返回403。只能审批已报送（待审批）的版本，否则409。"
)


def _titled(schema: JSON, title: str) -> JSON:
    return {**schema, "title": title}


def _long(name: str, labels: dict[str, str]) -> JSON:
    return _titled(nullable(text_in(LONG_TEXT)), labels[name])


PLAN_PERIOD_INPUT = obj(
    {
        # The pattern of the active profile's breakdown is filled in by the document.
        "period": {"type": "string", "title": "期次", "description": "期次，如 2026-03 或 2026-Q1"},
        "planned_investment": _titled(AMOUNT_IN, LABELS["planned_investment"]),
        "planned_progress_pct": _titled(PERCENT_IN, LABELS["planned_progress_pct"]),
        "milestone": _long("milestone", LABELS),
        "procedures": _long("procedures", LABELS),
    },
    ["period", "planned_investment", "planned_progress_pct"],
)
PLAN_DRAFT = obj(
    {
        "annual_investment": _titled(AMOUNT_IN, LABELS["annual_investment"]),
        "periods": {
            "type": "array",
            "items": ref("PlanPeriodInput"),
            "title": LABELS["periods"],
            "description": "各期合计须等于年度计划投资；累计形象进度逐期不减",
        },
        "milestones": _long("milestones", LABELS),
        "reason": {**_long("reason", LABELS), "description": "调整已批准的计划时必填（AL5）"},
        "responsible_leader": _titled(
            nullable(text_in(windows.NAME_LIMIT)), windows.LABELS["responsible_leader"]
        ),
        "responsible_person": _titled(
            nullable(text_in(windows.NAME_LIMIT)), windows.LABELS["responsible_person"]
        ),
        "request": {**_long("request", windows.LABELS), "description": "年中集中调整时必填（AL5）"},
    },
    ["annual_investment"],
)
PLAN_DECISION = obj(
    {
        "note": _long("note", LABELS),
        "government_decision": {
            **_long("government_decision", windows.LABELS),
            "description": "年中集中调整（AL5）须记录政府研究决定",
        },
    },
    [],
)
PLAN_RETURN = obj({"note": _titled(text_in(LONG_TEXT, required=True), LABELS["note"])})
# What the API returns of a project's annual plan (AL4, AL5, HD1).
PLAN_PERIOD = obj(
    {
        "period": {"type": "string", "description": "期次，如 2026-03 或 2026-Q1"},
        "planned_investment": DECIMAL,
        "planned_progress_pct": DECIMAL,
        "milestone": nullable(STR),
        "procedures": nullable(STR),
    }
)
PLAN_VERSION = obj(
    {
        "id": INT,
        "number": INT,
        "kind": code(PlanKind),
        "status": code(codes.PlanStatus),
        "annual_investment": DECIMAL,
        "milestones": nullable(STR),
        "reason": nullable(STR),
        "responsible_leader": nullable({**STR, "description": "牵头责任领导（HD1）"}),
        "responsible_person": nullable({**STR, "description": "具体责任人（HD1）"}),
        "signed_at": nullable(
            {**STR, "format": "date-time", "description": "单位负责人签字（AL4）"}
        ),
        "request": nullable({**STR, "description": "调整申请（AL5）"}),
        "government_decision": nullable({**STR, "description": "政府调整决定（AL5）"}),
        "submitted_at": nullable({**STR, "format": "date-time"}),
        "decided_at": nullable({**STR, "format": "date-time"}),
        "decision_note": nullable(STR),
        "late": {**BOOL, "description": "年度计划是否逾期报送（AL4、HD1）"},
        "periods": {"type": "array", "items": PLAN_PERIOD},
    }
)
PROJECT_PLAN = obj(
    {
        "project_id": INT,
        "year": INT,
        "breakdown": {"type": "string", "enum": ["monthly", "quarterly"]},
        "due_on": nullable(DATE),
        "current_version_id": nullable(INT),
        "versions": {"type": "array", "items": ref("PlanVersion")},
    }
)
PLAN_INPUTS: dict[str, JSON] = {
    "PlanVersion": PLAN_VERSION,
    "ProjectPlan": PROJECT_PLAN,
    "PlanPeriodInput": PLAN_PERIOD_INPUT,
    "PlanDraft": PLAN_DRAFT,
    "PlanDecision": PLAN_DECISION,
    "PlanReturn": PLAN_RETURN,
}


def _decided(summary: str, body: str) -> JSON:
    op = operation(
        summary,
        ("200", "审批后的计划版本", ref("PlanVersion")),
        [path_id("version_id", "计划版本ID")],
        ref(body),
        WRITE_ERRORS,
    )
    op["description"] = OFFICE_ONLY
    return op


def plan_paths() -> JSON:
    """The plan endpoints' entries of ``paths``."""
    project_id = path_id("project_id", "项目ID")
    year = query("year", "年度（默认为北京时间当年）", YEAR_IN)
    draft = operation(
        "编制年度计划草稿及其分解（LP6）；已有批准的计划时为调整，须说明原因（AL5）",
        ("201", "计划草稿（未报送）", ref("PlanVersion")),
        [project_id, year],
        ref("PlanDraft"),
        WRITE_ERRORS,
    )
    draft["description"] = UNIT_ONLY
    submit = operation(
        "报送计划草稿，待重点办审批；5月初校准的计划须先经单位主要负责人签字（AL4）",
        ("200", "已报送的计划版本", ref("PlanVersion")),
        [path_id("version_id", "计划版本ID")],
        errors=("401", "403", "404", "409"),
    )
    submit["description"] = UNIT_ONLY
    return {
        "/api/v1/projects/{project_id}/plans": {
            "get": operation(
                "项目的年度计划：各版本（新版在前）、现行版本、报送期限（LP6、AL4、AL5、HD1）",
                ("200", "年度计划", ref("ProjectPlan")),
                [project_id, year],
                errors=("400", "401", "404"),
            ),
            "post": draft,
        },
        "/api/v1/plans/versions/{version_id}": {
            "get": operation(
                "一个计划版本及其分解",
                ("200", "计划版本", ref("PlanVersion")),
                [path_id("version_id", "计划版本ID")],
            )
        },
        "/api/v1/plans/versions/{version_id}/submit": {"post": submit},
        "/api/v1/plans/versions/{version_id}/approve": {
            "post": _decided("批准计划版本，成为现行计划", "PlanDecision")
        },
        "/api/v1/plans/versions/{version_id}/return": {
            "post": _decided("退回计划版本，须写明意见", "PlanReturn")
        },
    }
