"""Whether a diagram may be deployed (X3): its size, safe XML, and the engine's own parse.

The smallest real check: the full per-element lint (every lane, form, timer, path and
expression) belongs here too and reports every problem, not only the engine's first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from keyproj.engine import compile_definition
from keyproj.engine.definitions import DefinitionError

MAX_DIAGRAM_BYTES = 2 * 1024 * 1024  # the shipped diagrams are about 100 KB
# The engine's messages name the element in full-width brackets: 任务“…”（respond）…
_NAMED_ID = re.compile(r"（([A-Za-z_][\w.-]*)）")


@dataclass(frozen=True)
class DiagramProblem:
    """One reason a diagram cannot be deployed, with the element it is about (None: the file)."""

    element_id: str | None
    rule: str
    message: str


def validate_diagram(data: bytes | str, key: str) -> list[DiagramProblem]:
    """Every problem of the diagram, in document order; [] when it can be deployed as ``key``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_DIAGRAM_BYTES:
        limit = MAX_DIAGRAM_BYTES // (1024 * 1024)
        return [DiagramProblem(None, "size", f"流程图文件超过 {limit} MB 上限，未读取其内容")]
    # XXE and entity expansion: a diagram has no use for a DTD, so none is read at all.
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        return [DiagramProblem(None, "xml-entities", "流程图不得包含 DOCTYPE 或实体声明")]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        etree.fromstring(raw, parser)
        text = raw.decode("utf-8")
    except (etree.XMLSyntaxError, UnicodeDecodeError) as exc:
        return [DiagramProblem(None, "xml", f"流程图不是有效的 XML：{exc}")]
    try:
        compile_definition(text, key)
    except DefinitionError as exc:
        message = str(exc)
        named = _NAMED_ID.search(message)
        element = named.group(1) if named and f'id="{named.group(1)}"' in text else None
        return [DiagramProblem(element, "engine", message)]
    return []
