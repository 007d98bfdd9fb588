"""API endpoints of county leaders' instructions (批示) on a case: list them, give one."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from keyproj.clock import now_utc
from keyproj.errors import FieldError, ValidationError
from keyproj.inputs import ADMIN_YEARS
from keyproj.services.instructions.commands import (
    INSTRUCTION_MAX_LENGTH,
    LABELS,
    give_instruction,
)
from keyproj.services.instructions.lists import InstructionView, case_instructions
from web.api import bp
from web.api.auth import api_viewer
from web.api.parse import json_body
from web.api.schemas import BOOL, INT, STR, TIME, date_in, nullable, obj, ref, text_in
from web.api.serialize import JSON, day, moment
from web.db import db_session

INSTRUCTION = obj(
    {
        "id": INT,
        "case_id": INT,
        "leader": {"type": "string", "description": "作出批示的县领导"},
        "text": STR,
        "due_on": {**nullable(date_in(ADMIN_YEARS)), "description": "办理期限（北京日期）"},
        "given_at": TIME,
        "answered": BOOL,
        "answered_at": nullable(TIME),
        "answered_by": nullable(STR),
        "answered_unit": nullable(STR),
        "answer_task": {**nullable(STR), "description": "答复所在的任务，如“受理并开展协调”"},
    }
)
INSTRUCTION_INPUT = obj(
    {
        "text": {**text_in(INSTRUCTION_MAX_LENGTH, required=True), "title": LABELS["text"]},
        "due_on": {
            **nullable(date_in(ADMIN_YEARS)),
            "title": LABELS["due_on"],
            "description": "可不填；不早于今天（北京日期）",
        },
    },
    ["text"],
    closed=True,
)
SCHEMAS: dict[str, JSON] = {
    "Instruction": INSTRUCTION,
    "InstructionInput": INSTRUCTION_INPUT,
    "Instructions": obj({"instructions": {"type": "array", "items": ref("Instruction")}}),
}


@bp.get("/cases/<int:case_id>/instructions", endpoint="case_instructions")
def instructions(case_id: int) -> Response:
    """The instructions on a case the token's user may see, oldest first, with their answers."""
    listed = case_instructions(db_session(), api_viewer(), case_id)
    return jsonify({"instructions": [_instruction(i) for i in listed]})


@bp.post("/cases/<int:case_id>/instructions", endpoint="give_instruction")
def give(case_id: int) -> tuple[Response, int]:
    """The linked county leader's instruction on the case (a leader's token only)."""
    session, viewer = db_session(), api_viewer()
    text, due_on = _read(json_body())
    row = give_instruction(session, viewer, case_id, text, due_on, now_utc())
    session.commit()
    [given] = [i for i in case_instructions(session, viewer, case_id) if i.instruction_id == row.id]
    return jsonify(_instruction(given)), 201


def _read(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """The body's text and deadline, each a string (or a null deadline); others by field."""
    problems = [FieldError(k, k, "不是批示的栏目") for k in body if k not in ("text", "due_on")]
    text, due_on = body.get("text"), body.get("due_on")
    if text is not None and not isinstance(text, str):
        problems.append(FieldError("text", LABELS["text"], "应为文本"))
    if due_on is not None and not isinstance(due_on, str):
        problems.append(FieldError("due_on", LABELS["due_on"], "应为日期 YYYY-MM-DD 或 null"))
    if problems:
        raise ValidationError(problems)
    return text, due_on


def _instruction(item: InstructionView) -> JSON:
    return {
        "id": item.instruction_id,
        "case_id": item.case_id,
        "leader": item.leader,
        "text": item.text,
        "due_on": day(item.due_on),
        "given_at": moment(item.given_at),
        "answered": item.answered,
        "answered_at": moment(item.answered_at),
        "answered_by": item.answered_by,
        "answered_unit": item.answered_unit,
        "answer_task": item.answer_task,
    }
