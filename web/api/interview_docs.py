"""The OpenAPI part of the interview register (约谈, HD6): its shapes and its two operations."""

from __future__ import annotations

from typing import Any

from keyproj import codes
from web.api.operations import list_page, operation, paging_params, path_id, query, ref
from web.api.schemas import BOOL, DATE, INT, STR, TIME, UNIT, code, nullable, obj

JSON = dict[str, Any]

COMMITMENT = obj(
    {
        "id": INT,
        "text": {**STR, "description": "承诺事项"},
        "due_on": {**DATE, "description": "完成期限"},
        "state": code(codes.CommitmentState),
        "state_label": STR,
        "done_note": nullable(STR),
        "done_at": nullable(TIME),
    }
)
INTERVIEW = obj(
    {
        "id": INT,
        "unit": {**UNIT, "description": "被约谈单位"},
        "trigger": code(codes.InterviewTrigger),
        "trigger_label": {**STR, "description": "约谈情形（约谈制度所列六种之一）"},
        "state": code(codes.InterviewState),
        "state_label": STR,
        "reason": {**STR, "description": "事由"},
        "proposed_by_system": {**BOOL, "description": "true：系统提出；false：重点办登记"},
        "created_at": TIME,
        "projects": {"type": "array", "items": obj({"id": INT, "code": STR, "name": STR})},
        "requested_by": {**nullable(STR), "description": "提出约谈的分管市领导（第六种情形）"},
        "leader": {**nullable(STR), "description": "约谈领导"},
        "scheduled_at": nullable(TIME),
        "place": nullable(STR),
        "number": {**nullable(STR), "description": "约谈通知书文号"},
        "held_at": nullable(TIME),
        "minutes": nullable(STR),
        "dismissed_reason": nullable(STR),
        "commitments": {"type": "array", "items": ref("InterviewCommitment")},
    }
)
INTERVIEW_SCHEMAS: dict[str, JSON] = {
    "Interview": INTERVIEW,
    "InterviewCommitment": COMMITMENT,
}


def interview_paths() -> JSON:
    """The register's list and one interview (read only; a unit reads its own)."""
    states = codes.InterviewState.labels()
    state = query(
        "state",
        "状态：" + "、".join(f"{k}={v}" for k, v in states.items()),
        {"type": "string", "enum": list(states)},
    )
    return {
        "/api/v1/interviews": {
            "get": operation(
                "当前账号可查看的约谈（HD6），按状态筛选",
                ("200", "约谈列表", list_page("interviews", "Interview")),
                [*paging_params(), state],
                errors=("400", "401"),
            )
        },
        "/api/v1/interviews/{interview_id}": {
            "get": operation(
                "一次约谈及其承诺事项",
                ("200", "约谈", ref("Interview")),
                [path_id("interview_id", "约谈ID")],
            )
        },
    }
