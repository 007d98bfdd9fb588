"""Task forms from their JSON schemas (bpmn/forms/): widgets to render, and posted values read back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from keyproj.forms import FormField, form_fields, load_form

# Fields holding unit codes get a choice of units instead of a free text box.
UNIT_CODE_SUFFIX = "_unit_code"
UNIT_CODES_SUFFIX = "_unit_codes"
UNIT_CODE_COLUMN = "unit_code"  # a row's unit (an on-site meeting's follow-up item, LP16)
# A rows field (an array of objects) offers this many blank rows beyond the typed ones.
BLANK_ROWS = 2
MAX_ROWS = 20


@dataclass(frozen=True)
class Cell:
    """One cell of a rows field: its input name, widget, value and error."""

    name: str
    label: str
    widget: str  # text, date, unit (a choice of units), select, checkboxes
    value: str = ""
    error: str | None = None
    choices: list[tuple[str, str]] = field(default_factory=list)  # a select's or checkboxes'
    values: list[str] = field(default_factory=list)  # the boxes ticked (checkboxes)


@dataclass(frozen=True)
class Widget:
    """One field ready to render: widget kind, what the user typed (or the default) and its error."""

    name: str
    label: str
    widget: str  # text, textarea, date, checkbox, select, checkboxes, lines
    required: bool
    description: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    value: str = ""
    values: list[str] = field(default_factory=list)
    checked: bool = False
    error: str | None = None
    max_length: int | None = None
    # A rows field: each row's cells (typed rows, then blank ones) and the column titles.
    rows: list[list[Cell]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        """The id of the input, for its label."""
        return f"f-{self.name}"


def _widget_kind(kind: str, name: str, has_choices: bool) -> str:
    if kind == "rows":
        return "rows"
    if name.endswith(UNIT_CODE_SUFFIX):
        return "select"
    if kind == "multi":
        return "checkboxes" if has_choices or name.endswith(UNIT_CODES_SUFFIX) else "lines"
    return {"boolean": "checkbox", "choice": "select"}.get(kind, kind)


def widgets(
    form: str,
    typed: dict[str, Any],
    errors: dict[str, str],
    units: list[tuple[str, str]],
) -> list[Widget]:
    """The form's widgets in schema order, filled with ``typed`` and carrying ``errors``."""
    properties = load_form(form).get("properties", {})
    out = []
    for spec in form_fields(form):
        prop = properties.get(spec.name, {})
        unit_field = spec.name.endswith((UNIT_CODE_SUFFIX, UNIT_CODES_SUFFIX)) or any(
            c.name == UNIT_CODE_COLUMN for c in spec.columns
        )
        choices = units if unit_field else spec.choices
        kind = _widget_kind(spec.kind, spec.name, bool(choices))
        raw = typed.get(spec.name)
        values = [str(v) for v in raw] if isinstance(raw, list) else []
        max_length = prop.get("maxLength") or prop.get("items", {}).get("maxLength")
        out.append(
            Widget(
                name=spec.name,
                label=spec.label,
                widget=kind,
                required=spec.required,
                description=spec.description,
                choices=[(str(v), str(label)) for v, label in choices],
                value="" if raw is None or isinstance(raw, list | bool) else str(raw),
                values=values,
                checked=raw is True,
                error=errors.get(spec.name),
                max_length=int(max_length) if max_length else None,
                rows=_rows(spec, raw, errors) if kind == "rows" else [],
                columns=[c.label for c in spec.columns],
            )
        )
    return out


def _rows(spec: FormField, raw: Any, errors: dict[str, str]) -> list[list[Cell]]:
    """The typed rows, then blank ones; a cell's error comes as ``name[index].column``."""
    typed = [r for r in raw if isinstance(r, dict)] if isinstance(raw, list) else []
    count = min(len(typed) + BLANK_ROWS, MAX_ROWS)
    out = []
    for index in range(count):
        row = typed[index] if index < len(typed) else {}
        out.append([_cell(spec, index, column, row, errors) for column in spec.columns])
    return out


def _cell(
    spec: FormField, index: int, column: FormField, row: dict[str, Any], errors: dict[str, str]
) -> Cell:
    value = row.get(column.name)
    ticked = [str(v) for v in value] if isinstance(value, list) else []
    return Cell(
        name=f"{spec.name}-{index}-{column.name}",
        label=column.label,
        widget=_cell_widget(column),
        value="" if value is None or isinstance(value, list) else str(value),
        error=errors.get(f"{spec.name}[{index}].{column.name}"),
        choices=[(str(v), str(t)) for v, t in column.choices],
        values=ticked,
    )


def _cell_widget(column: FormField) -> str:
    if column.name == UNIT_CODE_COLUMN:
        return "unit"
    if column.kind == "multi":  # LP20: the failures an accountability entry finds
        return "checkboxes"
    if column.kind == "choice":
        return "select"
    return "date" if column.kind == "date" else "text"


def _read_rows(spec: FormField, posted: MultiDict[str, str]) -> list[dict[str, Any]]:
    """The rows as posted (``name-index-column``), a row left wholly blank dropped, so that an
    error's index is the row's place as shown again."""
    rows = []
    for index in range(MAX_ROWS):
        row: dict[str, Any] = {}
        for column in spec.columns:
            key = f"{spec.name}-{index}-{column.name}"
            if column.kind == "multi":
                row[column.name] = [v for v in posted.getlist(key) if v.strip()]
            else:
                row[column.name] = posted.get(key, "")
        if any(v.strip() if isinstance(v, str) else v for v in row.values()):
            rows.append(row)
    return rows


def read_post(form: str, posted: MultiDict[str, str]) -> dict[str, Any]:
    """The form's data from a POST: only the schema's fields, lists for multi-value fields.

    What comes back is both what validation sees and what the page shows again on an error.
    """
    data: dict[str, Any] = {}
    for spec in form_fields(form):
        kind = _widget_kind(spec.kind, spec.name, bool(spec.choices))
        if kind == "rows":
            data[spec.name] = _read_rows(spec, posted)
        elif kind == "checkbox":
            data[spec.name] = spec.name in posted
        elif kind == "checkboxes":
            data[spec.name] = posted.getlist(spec.name)
        elif kind == "lines":
            text = posted.get(spec.name, "")
            data[spec.name] = [line.strip() for line in text.splitlines() if line.strip()]
        else:
            data[spec.name] = posted.get(spec.name, "")
    return data


def typed_for_display(form: str, data: dict[str, Any]) -> dict[str, Any]:
    """Values as the widgets show them again: a one-per-line list back as text."""
    shown = dict(data)
    for spec in form_fields(form):
        if _widget_kind(spec.kind, spec.name, bool(spec.choices)) == "lines":
            value = shown.get(spec.name)
            if isinstance(value, list):
                shown[spec.name] = "\n".join(str(v) for v in value)
    return shown


def field_names(form: str) -> set[str]:
    """The names of the form's fields."""
    return {spec.name for spec in form_fields(form)}


def needs_units(form: str) -> bool:
    """True when some field of the form (or a column of its rows) names units by code."""
    if any(n.endswith((UNIT_CODE_SUFFIX, UNIT_CODES_SUFFIX)) for n in field_names(form)):
        return True
    columns = (c.name for spec in form_fields(form) for c in spec.columns)
    return UNIT_CODE_COLUMN in columns
