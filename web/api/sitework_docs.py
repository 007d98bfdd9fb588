"""The OpenAPI part of site work: spot checks (LP10), site visits (GS3, DC2), chains (DC5)."""

from __future__ import annotations

from typing import Any

from keyproj import codes
from keyproj.codes.sitework import SampleReason, VisitKind, VisitRole
from keyproj.inputs import ADMIN_YEARS
from web.api.operations import operation, path_id, query, ref
from web.api.schemas import DATE, DECIMAL, INT, STR, code, date_in, nullable, obj

JSON = dict[str, Any]
BOOL = {"type": "boolean"}
COUNT = {"type": "integer", "minimum": 0}

SITEWORK_SCHEMAS: dict[str, JSON] = {
    "SpotCheckPlan": obj(
        {
            "cycle": {**STR, "description": "抽查周期，如 2026-03"},
            "threshold_wan": {**DECIMAL, "description": "重点覆盖的总投资下限（万元，LP10）"},
            "plan_id": {**nullable(INT), "description": "本期抽查计划ID；尚未生成时为 null"},
            "seed": {**nullable(INT), "description": "随机种子，可复现抽取结果"},
            "entries": {
                "type": "array",
                "items": obj(
                    {
                        "project_id": INT,
                        "project_code": STR,
                        "project_name": STR,
                        "total_investment": DECIMAL,
                        "reason": code(SampleReason),
                        "reason_label": STR,
                        "note": nullable(STR),
                        "removed": BOOL,
                        "removal_reason": nullable(STR),
                        "checks": COUNT,
                    }
                ),
            },
            "checks": {
                "type": "array",
                "items": obj(
                    {
                        "id": INT,
                        "project_id": INT,
                        "checked_on": DATE,
                        "checkers": STR,
                        "findings": nullable(STR),
                        "warning_id": nullable(INT),
                        "issue_id": nullable(INT),
                    }
                ),
            },
        }
    ),
    "VisitWeek": obj(
        {
            "week": {**STR, "description": "周次，如 2026-W11（周一至周日，北京时间）"},
            "start": DATE,
            "end": DATE,
            "visits": {
                "type": "array",
                "items": obj(
                    {
                        "id": INT,
                        "project_id": INT,
                        "role": code(VisitRole),
                        "role_label": STR,
                        "person": STR,
                        "visited_on": DATE,
                        "kind": code(VisitKind),
                        "kind_label": STR,
                        "notes": nullable(STR),
                    }
                ),
            },
            "short": {
                "type": "array",
                "description": "本周走访次数不足的项目及身份（GS3、DC2）",
                "items": obj(
                    {
                        "project_id": INT,
                        "role_label": STR,
                        "person": nullable(STR),
                        "required": COUNT,
                        "made": COUNT,
                    }
                ),
            },
        }
    ),
    "ChainSummary": obj(
        {
            "id": INT,
            "name": STR,
            "chief": {**nullable(STR), "description": "链长"},
            "projects": COUNT,
            "total_investment": DECIMAL,
        }
    ),
    "ChainDetail": obj(
        {
            "id": INT,
            "name": STR,
            "chief": nullable(STR),
            "plan": nullable(STR),
            "period": {**STR, "description": "进度评价期次"},
            "matters": {
                "type": "array",
                "items": obj({"text": STR, "owner_unit": nullable(STR), "due_on": nullable(DATE)}),
            },
            "parks": {"type": "array", "items": STR},
            "companies": {"type": "array", "items": STR},
            "projects": {
                "type": "array",
                "items": obj(
                    {
                        "project_id": INT,
                        "code": STR,
                        "name": STR,
                        "unit": STR,
                        "total_investment": DECIMAL,
                        "outcome": {
                            "type": "string",
                            "description": "四色评价（"
                            + "、".join(f"{c.value}={c.label}" for c in codes.Colour)
                            + "）或 no_plan=无年度计划、no_report=未报送、zero_plan=序时计划为零",
                        },
                        "outcome_label": STR,
                        "completed": nullable(DECIMAL),
                        "planned": nullable(DECIMAL),
                        "progress_pct": nullable(DECIMAL),
                        "open_warnings": COUNT,
                        "open_cases": COUNT,
                    }
                ),
            },
        }
    ),
}


def sitework_paths() -> JSON:
    """The four reads of site work, scoped as the pages."""
    on = query("on", "所查看的日期，默认今天（北京时间）", date_in(ADMIN_YEARS))
    return {
        "/api/v1/spot-checks": {
            "get": operation(
                "该日所在抽查周期的抽查计划和抽查记录（LP10）；本县未建立抽查制度时返回403",
                ("200", "抽查计划", ref("SpotCheckPlan")),
                [on],
                errors=("401", "403"),
            )
        },
        "/api/v1/visits": {
            "get": operation(
                "该日所在周（周一至周日）的现场走访记录和走访不足的项目（GS3、DC2）",
                ("200", "本周走访", ref("VisitWeek")),
                [on],
                errors=("401",),
            )
        },
        "/api/v1/chains": {
            "get": operation(
                "当前账号可查看的产业链（DC5）",
                (
                    "200",
                    "产业链；本地制度未设链长制时为空，并以 reason 说明",
                    obj(
                        {
                            "chains": {"type": "array", "items": ref("ChainSummary")},
                            "reason": STR,
                        },
                        required=["chains"],
                    ),
                ),
                errors=("401",),
            )
        },
        "/api/v1/chains/{chain_id}": {
            "get": operation(
                "产业链：工作方案、四个清单及其项目在该日前最近一期的进度和在办预警、案件（DC5）",
                ("200", "产业链", ref("ChainDetail")),
                [path_id("chain_id", "产业链ID"), on],
                errors=("401", "404"),
            )
        },
    }
