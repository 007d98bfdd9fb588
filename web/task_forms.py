"""Task forms from their JSON schemas (bpmn/forms/): widgets to render, and posted values read back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from keyproj.forms import form_fields, load_form

# Fields holding unit codes get a choice of units instead of a free text box.
UNIT_CODE_SUFFIX = "_unit_code"
UNIT_CODES_SUFFIX = "_unit_codes"


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

    @property
    def dom_id(self) -> str:
        """The id of the input, for its label."""
        return f"f-{self.name}"


def _widget_kind(kind: str, name: str, has_choices: bool) -> str:
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
        unit_field = spec.name.endswith((UNIT_CODE_SUFFIX, UNIT_CODES_SUFFIX))
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
            )
        )
    return out


def read_post(form: str, posted: MultiDict[str, str]) -> dict[str, Any]:
    """The form's data from a POST: only the schema's fields, lists for multi-value fields.

    What comes back is both what validation sees and what the page shows again on an error.
    """
    data: dict[str, Any] = {}
    for spec in form_fields(form):
        kind = _widget_kind(spec.kind, spec.name, bool(spec.choices))
        if kind == "checkbox":
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
    """True when some field of the form names units by code."""
    return any(n.endswith((UNIT_CODE_SUFFIX, UNIT_CODES_SUFFIX)) for n in field_names(form))
