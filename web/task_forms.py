"""Task forms from their JSON schemas (bpmn/forms/): widgets to render, and posted values read back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from keyproj.forms import form_fields, load_form

# Fields holding unit codes get a choice of units instead of a free text box.
UNIT_CODE_SUFFIX = "_unit_code"
UNIT_CODES_SUFFIX = "_unit_codes"
UNIT_CODE = "unit_code"  # an entry's unit (LP20's accountability entries)
BLANK_ENTRIES = 3  # blank rows offered after the typed entries of a list of entries
MAX_ENTRIES = 50  # rows read back from a post


@dataclass(frozen=True)
class Part:
    """One field of each entry of a list of entries: its widget kind and choices."""

    name: str
    label: str
    widget: str  # text, select, checkboxes
    required: bool
    choices: list[tuple[str, str]] = field(default_factory=list)


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
    parts: list[Part] = field(default_factory=list)  # a list of entries: each entry's fields
    entries: list[dict[str, Any]] = field(default_factory=list)  # typed entries + blank rows

    @property
    def dom_id(self) -> str:
        """The id of the input, for its label."""
        return f"f-{self.name}"


def _widget_kind(kind: str, name: str, has_choices: bool) -> str:
    if kind == "entries":
        return "entries"
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
                parts=_parts(spec.items, units),
                entries=(_typed_entries(raw) + [{}] * BLANK_ENTRIES) if kind == "entries" else [],
            )
        )
    return out


def _parts(items: list[Any], units: list[tuple[str, str]]) -> list[Part]:
    """Each entry's fields: an entry's unit is a choice of units, its lists are checkboxes."""
    out = []
    for spec in items:
        unit_field = spec.name == UNIT_CODE
        widget = "select" if unit_field else "checkboxes" if spec.kind == "multi" else "text"
        choices = units if unit_field else spec.choices
        out.append(
            Part(
                spec.name, spec.label, widget, spec.required, [(str(v), str(t)) for v, t in choices]
            )
        )
    return out


def _typed_entries(raw: Any) -> list[dict[str, Any]]:
    return [e for e in raw if isinstance(e, dict)] if isinstance(raw, list) else []


def _read_entries(spec: Any, posted: MultiDict[str, str]) -> list[dict[str, Any]]:
    """The entries of a list of entries, posted as name-i-field; wholly blank rows are left out."""
    entries = []
    for index in range(MAX_ENTRIES):
        entry: dict[str, Any] = {}
        for item in spec.items:
            key = f"{spec.name}-{index}-{item.name}"
            entry[item.name] = posted.getlist(key) if item.kind == "multi" else posted.get(key, "")
        if any(v not in ("", []) for v in entry.values()):
            entries.append(entry)
    return entries


def read_post(form: str, posted: MultiDict[str, str]) -> dict[str, Any]:
    """The form's data from a POST: only the schema's fields, lists for multi-value fields.

    What comes back is both what validation sees and what the page shows again on an error.
    """
    data: dict[str, Any] = {}
    for spec in form_fields(form):
        kind = _widget_kind(spec.kind, spec.name, bool(spec.choices))
        if kind == "entries":
            data[spec.name] = _read_entries(spec, posted)
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
    """True when some field of the form (or of its entries) names units by code."""
    names = field_names(form) | {i.name for f in form_fields(form) for i in f.items}
    return any(n.endswith((UNIT_CODE_SUFFIX, UNIT_CODES_SUFFIX)) for n in names)
