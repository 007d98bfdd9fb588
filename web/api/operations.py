"""Building blocks of the OpenAPI document: operations, parameters, the errors they answer."""

from __future__ import annotations

from typing import Any

from keyproj.inputs import ADMIN_YEARS
from keyproj.paging import API_PAGE_SIZE, MAX_PAGE, MAX_PER_PAGE
from web.api.schemas import ID_IN
from web.inputs import MAX_BODY_TEXT

JSON = dict[str, Any]
ERRORS = {
    "400": "请求无效：请求体不是 JSON 对象，或分页参数（page、per_page）格式不对、超出范围；"
    "error.fields 指明参数",
    "401": "缺少访问令牌，或令牌无效、已过期、已吊销",
    "403": "当前账号无权执行此操作",
    "404": "不存在，或不在当前账号的数据范围内",
    "409": "与当前状态冲突（已完成、已被他人认领、已过办理期限等）",
    "413": f"请求体超过 {MAX_BODY_TEXT}",
    "422": "数据或查询参数未通过校验（格式不符的筛选条件，任何参数中的控制字符等）；"
    "error.fields 按栏目给出原因",
}
WRITE_ERRORS = ("400", "401", "403", "404", "409", "413", "422")
# A year in ASCII digits within ADMIN_YEARS, as the plan endpoints read it.
YEAR_IN = {"type": "string", "pattern": f"^({ADMIN_YEARS.pattern})$", "description": "四位年份"}


def ref(name: str) -> JSON:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def path_id(name: str, description: str) -> JSON:
    """A database id in the path."""
    schema = ID_IN  # beyond the database's integer an id is a 404, like one that does not exist
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }


def query(name: str, description: str, schema: JSON) -> JSON:
    """An optional query parameter."""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def operation(
    summary: str,
    ok: tuple[str, str, JSON],
    params: list[JSON] | None = None,
    body: JSON | None = None,
    errors: tuple[str, ...] = ("401", "404"),
) -> JSON:
    """An operation with its success answer and the JSON errors it may give."""
    status, description, schema = ok
    responses: JSON = {
        status: {"description": description, "content": {"application/json": {"schema": schema}}}
    }
    # Every request's query values are checked (no control characters or lone surrogates,
    # web.inputs) before any endpoint runs: any operation may answer 422.
    for code in sorted({*errors, "422"}):
        responses[code] = {
            "description": ERRORS[code],
            "content": {"application/json": {"schema": ref("Error")}},
        }
    op: JSON = {"summary": summary, "parameters": params or [], "responses": responses}
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return op


def paging_params() -> list[JSON]:
    """The two query parameters every list takes."""
    return [
        query(
            "page",
            "页码，从1开始；超过末页时返回空列表（total 仍为总数）",
            {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
        ),
        query(
            "per_page",
            f"每页条数，1–{MAX_PER_PAGE}，默认{API_PAGE_SIZE}",
            {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": API_PAGE_SIZE},
        ),
    ]


def list_page(key: str, item: str) -> JSON:
    """A page of a list: its items under ``key``, their count, the total and the page's place."""
    count = {"type": "integer", "minimum": 0}
    return {
        "type": "object",
        "required": ["count", "total", "page", "per_page", "pages", key],
        "properties": {
            "count": {**count, "description": "本页条数"},
            "total": {**count, "description": "符合条件的总条数"},
            "page": {"type": "integer", "minimum": 1, "description": "页码"},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "pages": {"type": "integer", "minimum": 1, "description": "总页数（无数据时为1）"},
            key: {"type": "array", "items": ref(item)},
        },
    }
