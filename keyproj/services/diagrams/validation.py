"""Whether a diagram may be deployed (X3): the smallest real check, a safe parse then the engine's.

The XML is parsed with DTDs and entities refused (XXE) and a size limit; then the engine
compiles it (SpiffWorkflow parses it, every user task has a known lane and a form).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from keyproj.engine import DefinitionError, compile_definition

MAX_DIAGRAM_BYTES = 1024 * 1024  # the shipped diagrams are about 100 KB; a request takes 2 MB


@dataclass(frozen=True)
class DiagramProblem:
    """One problem of a diagram: the element's id (None: the file), a rule id, a Chinese message."""

    element_id: str | None
    rule: str
    message: str


def safe_tree(data: bytes | str) -> etree._Element:
    """The parsed XML, refusing DTDs, entities and network access (raises etree.XMLSyntaxError)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise etree.XMLSyntaxError("DTD/ENTITY", None, 0, 0)  # type: ignore[call-arg]
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    return etree.fromstring(raw, parser=parser)


def validate_diagram(data: bytes | str, key: str) -> list[DiagramProblem]:
    """Every problem of the diagram, in document order; [] when it can be deployed as ``key``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_DIAGRAM_BYTES:
        limit = MAX_DIAGRAM_BYTES // 1024
        return [DiagramProblem(None, "size", f"流程图文件过大（上限 {limit} KB）")]
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        return [
            DiagramProblem(None, "xml-entities", "流程图不得包含 DTD 或实体声明（DOCTYPE/ENTITY）")
        ]
    try:
        safe_tree(raw)
    except etree.XMLSyntaxError as exc:
        return [DiagramProblem(None, "xml-syntax", f"流程图不是合法的 XML：{exc}")]
    try:
        compile_definition(raw.decode("utf-8"), key)
    except UnicodeDecodeError:
        return [DiagramProblem(None, "encoding", "流程图须为 UTF-8 编码")]
    except DefinitionError as exc:
        return [DiagramProblem(None, "engine", str(exc))]
    return []
