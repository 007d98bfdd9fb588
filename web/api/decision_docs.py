"""The OpenAPI part of decided items (议定事项, AL13 一是, DC3, GS6): the list and one item."""

from __future__ import annotations

from typing import Any

from keyproj import codes
from web.api.operations import list_page, operation, paging_params, path_id, query, ref
from web.api.schemas import DATE, ID_IN, INT, STR, code, nullable, obj

JSON = dict[str, Any]

DECIDED_ITEM = obj(
    {
        "id": INT,
        "origin_kind": code(codes.DecisionOriginKind),
        "origin_title": {**STR, "description": "议定事项的会议（观摩、检查）名称"},
        "position": {**INT, "description": "在该会议议定事项中的序号"},
        "matter": STR,
        "owner_unit_id": INT,
        "owner_unit": {**STR, "description": "责任单位名称"},
        "project": nullable(STR),
        "due_on": {**DATE, "description": "落实期限（验收未通过时为重新明确的期限）"},
        "acceptance": {**STR, "description": "验收标准"},
        "state": code(codes.DecidedItemState),
        "state_label": STR,
        "case_id": {**INT, "description": "落实该事项的案件（可在待办任务和案件接口中办理）"},
        "overdue_at": {**nullable(STR), "description": "逾期时间（北京时间）"},
        "done_at": {**nullable(STR), "description": "验收通过时间（北京时间）"},
        "rejection_reason": nullable(STR),
    }
)
DECISION_SCHEMAS: dict[str, JSON] = {"DecidedItem": DECIDED_ITEM}


def decision_paths() -> JSON:
    """The decided items in the token's scope (offices all; a unit its own)."""
    return {
        "/api/v1/decisions": {
            "get": operation(
                "议定事项：责任单位、落实期限、验收标准和落实状态（重点办等可查看全部，单位账号仅本单位）",
                ("200", "议定事项列表", list_page("items", "DecidedItem")),
                [
                    query("origin_kind", "议定来源", code(codes.DecisionOriginKind)),
                    query("owner_unit_id", "责任单位ID", ID_IN),
                    query("state", "状态", code(codes.DecidedItemState)),
                    *paging_params(),
                ],
                errors=("400", "401", "422"),
            )
        },
        "/api/v1/decisions/{item_id}": {
            "get": operation(
                "一项议定事项",
                ("200", "议定事项", ref("DecidedItem")),
                [path_id("item_id", "议定事项ID")],
            )
        },
    }
