"""JSON-schema forms of the warning case's user tasks, validated with Chinese reasons per field.

The shipped schemas get the input layer's rules as they load (keyproj.inputs): every text
refuses control characters, every date takes ASCII digits within ADMIN_YEARS; so the OpenAPI
document, which embeds these schemas, states the same limits the validation applies.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaViolation

from keyproj.errors import FieldError, NotFound, ValidationError
from keyproj.inputs import ADMIN_YEARS, NO_CONTROLS_PATTERN, is_visible, normalise, text_problem

FORMS_DIR = Path(__file__).parents[1] / "bpmn" / "forms"
SUFFIX = ".schema.json"

# Form names are BPMN task ids; anything else could walk out of FORMS_DIR.
_NAME = re.compile(r"[a-z][a-z0-9_]*")
DATE_PATTERN = f"^({ADMIN_YEARS.pattern})-[0-9]{{2}}-[0-9]{{2}}$"
DATE_REASON = (
    f"应为{ADMIN_YEARS.first}年至{ADMIN_YEARS.last}年间的日期，格式 YYYY-MM-DD（半角数字）"
)


@dataclass(frozen=True)
class FormField:
    """One field as the web layer renders it."""

    name: str
    label: str
    kind: str  # text, textarea, date, boolean, choice, multi, rows
    required: bool
    choices: list[tuple[str, str]] = field(default_factory=list)
    description: str = ""
    # A ``rows`` field (an array of objects, e.g. an on-site meeting's follow-up items): the
    # fields of one row, in schema order.
    columns: list[FormField] = field(default_factory=list)


def list_forms() -> list[str]:
    """Names of every form in FORMS_DIR, sorted."""
    return sorted(p.name.removesuffix(SUFFIX) for p in FORMS_DIR.glob(f"*{SUFFIX}"))


@cache
def _schema(name: str) -> dict[str, Any]:
    path = FORMS_DIR / f"{name}{SUFFIX}"
    if not _NAME.fullmatch(name) or not path.is_file():
        raise NotFound(f"表单“{name}”不存在")
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for prop in schema.get("properties", {}).values():
        _add_input_rules(prop)
        _add_input_rules(prop.get("items"))
        for column in _row_properties(prop).values():
            _add_input_rules(column)
    Draft202012Validator.check_schema(schema)
    return schema


def _add_input_rules(prop: Any) -> None:
    """Give a string property the input layer's pattern: a date's years, or no control characters."""
    if not isinstance(prop, dict) or prop.get("type") != "string" or "pattern" in prop:
        return
    prop["pattern"] = DATE_PATTERN if prop.get("format") == "date" else NO_CONTROLS_PATTERN


def _row_properties(prop: Any) -> dict[str, Any]:
    """The properties of one row of an array-of-objects field (empty for any other field)."""
    items = prop.get("items") if isinstance(prop, dict) else None
    if not isinstance(items, dict) or items.get("type") != "object":
        return {}
    return dict(items.get("properties", {}))


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(_schema(name), format_checker=FormatChecker())


def load_form(name: str) -> dict[str, Any]:
    """The form's schema (a copy, so callers cannot alter the cached one); NotFound if none."""
    return copy.deepcopy(_schema(name))


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    # Blank optional fields are dropped, so "" never fails minLength or format.
    out: dict[str, Any] = {}
    for key, value in data.items():
        value = _clean_value(value)
        if value not in ("", None, []):
            out[key] = value
    return out


def _unstorable(schema: dict[str, Any], data: dict[str, Any]) -> list[FieldError]:
    """Fields holding text that cannot be kept at all (control characters, lone surrogates)."""
    out = []
    for key, value in data.items():
        texts = value if isinstance(value, list) else [value]
        texts = [v for t in texts for v in (t.values() if isinstance(t, dict) else [t])]
        problems = [text_problem(v) for v in texts if isinstance(v, str)]
        problem = next((p for p in problems if p), None)
        if problem:
            out.append(FieldError(str(key), _label(schema, str(key)), problem))
    return out


def _clean_value(value: Any) -> Any:
    if isinstance(value, str):
        # NFC, stripped; only spaces and invisible characters are no value (so "必填" applies).
        text = normalise(value).strip()
        return text if is_visible(text) else ""
    if isinstance(value, list):
        # A multi-select may post blank entries; they carry no choice; a blank row is no row.
        items = [_clean_value(v) for v in value]
        return [v for v in items if v not in ("", None, {})]
    if isinstance(value, dict):
        # One row of an array-of-objects field: blank cells are no value.
        return _clean(value)
    return value


def validate_form(name: str, data: dict[str, Any], as_sent: bool = False) -> dict[str, Any]:
    """The cleaned data, or ValidationError with one FieldError per offending field.

    A page's form is checked once cleaned (a blank optional field is no value). ``as_sent``
    (the API) holds the data to the schema as sent too: whatever the published schema refuses
    (a null, a blank date, trailing spaces past maxLength) is refused, not tidied into shape.
    """
    schema = _schema(name)
    if not isinstance(data, dict):
        raise ValidationError.single("", schema.get("title", name), "类型不正确")
    found = {e.field: e for e in _unstorable(schema, data)}
    storable = {k: v for k, v in data.items() if k not in found}
    cleaned = _clean(storable)
    for instance in (storable, cleaned) if as_sent else (cleaned,):
        for error in _validator(name).iter_errors(instance):
            for problem in _field_errors(schema, error):
                found.setdefault(problem.field, problem)  # the first reason per field
    if found:
        order = list(schema.get("properties", {}))
        # Schema order first; unexpected keys (not in properties) after, as they came.
        ranked = sorted(found.values(), key=lambda e: _rank(order, e.field))
        raise ValidationError(ranked)
    return cleaned


def _rank(order: list[str], name: str) -> int:
    return order.index(name) if name in order else len(order)


def _label(schema: dict[str, Any], name: str) -> str:
    prop = schema.get("properties", {}).get(name, {})
    return str(prop.get("title", name))


def _field_errors(schema: dict[str, Any], error: SchemaViolation) -> list[FieldError]:
    """Turn one jsonschema error into field errors (several for required/additionalProperties)."""
    path = list(error.absolute_path)
    rows = _row_properties(schema.get("properties", {}).get(path[0])) if path else {}
    if rows and len(path) >= 2 and isinstance(path[1], int):
        return _row_errors(schema, error, path)
    if error.validator == "required":
        missing = [n for n in error.validator_value if n not in error.instance]
        return [FieldError(n, _label(schema, n), "必填") for n in missing]
    if error.validator == "additionalProperties" and not error.absolute_path:
        known = schema.get("properties", {})
        extra = [k for k in error.instance if k not in known]
        return [FieldError(k, k, "不是该表单的栏目") for k in extra]
    name = str(path[0]) if path else ""
    label = _label(schema, name) if name else str(schema.get("title", ""))
    return [FieldError(name, label, _reason(error))]


def _row_errors(
    schema: dict[str, Any], error: SchemaViolation, path: list[Any]
) -> list[FieldError]:
    """Errors inside one row of an array-of-objects field, named ``follow_ups[1].unit_code``
    (the index from 0, as the API sends it) and labelled by the row's place (第2项)."""
    name, index = str(path[0]), int(path[1])
    columns = _row_properties(schema.get("properties", {}).get(name))
    row_label = f"{_label(schema, name)}第{index + 1}项"
    if error.validator == "required" and len(path) == 2:
        missing = [n for n in error.validator_value if n not in error.instance]
        return [row_field(name, index, n, row_label, columns, "必填") for n in missing]
    column = str(path[2]) if len(path) > 2 else ""
    if not column:
        return [FieldError(f"{name}[{index}]", row_label, _reason(error))]
    return [row_field(name, index, column, row_label, columns, _reason(error))]


def row_field(
    name: str, index: int, column: str, row_label: str, columns: dict[str, Any], reason: str
) -> FieldError:
    """A field error of one cell of a row: ``name[index].column``, labelled 纪要事项第N项·责任单位."""
    title = str(columns.get(column, {}).get("title", column))
    return FieldError(f"{name}[{index}].{column}", f"{row_label}·{title}", reason)


def _reason(error: SchemaViolation) -> str:
    """A Chinese reason for a single-value error, by validator kind."""
    kind, limit = error.validator, error.validator_value
    if kind in ("enum", "const", "oneOf", "anyOf"):
        labels = "、".join(label for _, label in _choices(error.schema))
        return f"取值无效，可选：{labels}" if labels else "取值无效"
    if kind == "minLength":
        return f"至少{limit}个字"
    if kind == "maxLength":
        return f"不能超过{limit}个字"
    if kind == "format":
        return DATE_REASON if limit == "date" else "格式不正确"
    if kind == "pattern" and limit == DATE_PATTERN:
        return DATE_REASON
    if kind == "pattern" and limit == NO_CONTROLS_PATTERN:
        return "含有不允许的控制字符"
    if kind == "pattern":
        return "格式不正确"
    if kind == "type":
        return "类型不正确"
    if kind == "required":
        return "必填"
    if kind == "uniqueItems":
        return "不能重复"
    if kind == "minItems":
        return f"至少填写{limit}项"
    if kind == "maxItems":
        return f"不能超过{limit}项"
    return "取值无效"


def _choices(prop: Any) -> list[tuple[str, str]]:
    """(value, Chinese label) pairs of an enumerated property."""
    if not isinstance(prop, dict):
        return []
    if "oneOf" in prop:
        return [
            (o["const"], str(o.get("title", o["const"]))) for o in prop["oneOf"] if "const" in o
        ]
    if "enum" in prop:
        return [(v, str(v)) for v in prop["enum"]]
    if "const" in prop:
        return [(prop["const"], str(prop.get("title", prop["const"])))]
    return []


def form_fields(name: str, read_only: bool = False) -> list[FormField]:
    """The form's fields in schema order, described for rendering; ``readOnly`` ones are the
    system's record (e.g. the routing proposal), never an input: only ``read_only`` lists them."""
    schema = _schema(name)
    required = set(schema.get("required", []))
    return [
        FormField(
            name=key,
            label=str(prop.get("title", key)),
            kind=_kind(prop),
            required=key in required,
            choices=_choices(prop.get("items", prop) if prop.get("type") == "array" else prop),
            description=str(prop.get("description", "")),
            columns=_columns(prop),
        )
        for key, prop in schema.get("properties", {}).items()
        if read_only or not prop.get("readOnly")
    ]


def _columns(prop: dict[str, Any]) -> list[FormField]:
    """The fields of one row of a ``rows`` field."""
    items = prop.get("items", {})
    required = set(items.get("required", [])) if isinstance(items, dict) else set()
    return [
        FormField(
            key,
            str(column.get("title", key)),
            _kind(column),
            key in required,
            choices=_choices(
                column.get("items", column) if column.get("type") == "array" else column
            ),
        )
        for key, column in _row_properties(prop).items()
    ]


def _kind(prop: dict[str, Any]) -> str:
    if "oneOf" in prop or "enum" in prop:
        return "choice"
    if _row_properties(prop):
        return "rows"
    if prop.get("type") == "array":
        return "multi"
    if prop.get("type") == "boolean":
        return "boolean"
    if prop.get("format") == "date":
        return "date"
    # Long prose gets a text area: generous limits or a required minimum of a sentence.
    if prop.get("maxLength", 0) > 200 or prop.get("minLength", 0) >= 5:
        return "textarea"
    return "text"
