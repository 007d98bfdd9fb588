"""Validating a diagram before it is stored or deployed (X3): safe XML, our lint, the engine.

The same checks serve the modeler's save, deployment and ``keyproj process validate``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import fromstring

from keyproj.engine.definitions import DefinitionError, compile_definition
from keyproj.services.diagrams.deadlines import deadline_variables
from keyproj.services.diagrams.elements import bpmn, label
from keyproj.services.diagrams.lint import (
    Finding,
    expression_problems,
    form_problems,
    lane_problems,
    timer_problems,
)
from keyproj.services.diagrams.reach import reach_problems

# The shipped diagrams are about 100 KB; 2 MB leaves room for documentation without letting an
# upload tie up a worker parsing it.
# Under the request body limit (2 MB, web/inputs.py), so that an upload just over this one is
# still answered with its reason; the shipped diagrams are about 100 KB.
MAX_DIAGRAM_BYTES = 1024 * 1024
# The shipped diagrams nest 7 elements deep; a few hundred would exhaust the checks' recursion.
MAX_DEPTH = 100
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


@dataclass(frozen=True)
class DiagramProblem:
    """One problem of a diagram: the element (None: the file as a whole), the rule, the reason."""

    element_id: str | None
    rule: str
    message: str  # Chinese, naming the element (its name and id)


def validate_diagram(data: bytes | str, key: str) -> list[DiagramProblem]:
    """Every problem of the diagram, in document order; [] when it can be deployed as ``key``."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_DIAGRAM_BYTES:
        limit = f"{MAX_DIAGRAM_BYTES // 1024 // 1024} MB"
        return [_file("too-large", f"流程图文件过大：不能超过 {limit}")]
    declared = _DECLARED_ENCODING.match(raw.removeprefix(b"\xef\xbb\xbf"))
    try:
        xml = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [_file("not-utf8", "流程图文件不是 UTF-8 编码的文本")]
    if declared and declared.group(1).decode().lower().replace("_", "-") not in ("utf-8", "utf8"):
        return [
            _file("not-utf8", f"流程图应为 UTF-8 编码（文件声明为 {declared.group(1).decode()}）")
        ]
    root = parse_safely(raw)
    if isinstance(root, DiagramProblem):
        return [root]
    if _depth(root) > MAX_DEPTH:
        return [_file("too-deep", f"流程图的元素嵌套过深（超过 {MAX_DEPTH} 层）")]
    if root.tag != bpmn("definitions"):
        return [
            _file("not-bpmn", f"不是 BPMN 流程图：根元素应为 bpmn:definitions（实为 {root.tag}）")
        ]
    findings = list(_lint(root, key))
    problems = _in_document_order(root, findings)
    if not any(p.rule == "process-id" for p in problems):
        engine = _engine_problems(xml, key, problems)
        if engine:  # in its element's place among ours
            order = {
                e.get("id"): i for i, e in reversed(list(enumerate(root.iter()))) if e.get("id")
            }
            problems = sorted([*problems, *engine], key=lambda p: order.get(p.element_id, -1))
    return problems


def parse_safely(raw: bytes) -> Element | DiagramProblem:
    """The document's root, parsed with DTDs and entities refused before anything is read (no
    external file is ever opened: XXE), or the problem that stopped it."""
    try:
        return fromstring(raw, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden:
        return _file("xml-entities", "流程图含有文档类型定义（DOCTYPE），出于安全原因不予接受")
    except EntitiesForbidden:
        return _file("xml-entities", "流程图含有实体定义（ENTITY），出于安全原因不予接受")
    except DefusedXmlException:
        return _file("xml-entities", "流程图引用了外部资源，出于安全原因不予接受")
    except ParseError as exc:
        return _file("not-xml", f"流程图不是合法的 XML（第{exc.position[0]}行：{exc}）")
    except RecursionError:
        return _file("too-deep", f"流程图的元素嵌套过深（超过 {MAX_DEPTH} 层）")


def _depth(root: Element) -> int:
    """How deep the elements nest, counted without recursion (the document may be hostile)."""
    deepest, todo = 0, [(root, 1)]
    while todo:
        element, depth = todo.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        todo.extend((child, depth + 1) for child in element)
    return deepest


def deadline_names(data: bytes | str) -> list[str]:
    """The deadline variables a timer of this diagram may name (the modeler offers them); []
    when the file cannot be read."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    root = parse_safely(raw) if len(raw) <= MAX_DIAGRAM_BYTES else None
    if not isinstance(root, Element) or _depth(root) > MAX_DEPTH:
        return []
    return sorted(deadline_variables(root).deadlines)


def _lint(root: Element, key: str) -> list[Finding]:
    processes = root.findall(bpmn("process"))
    if not processes:
        return [(root, "process-id", "流程图中没有流程（bpmn:process）")]
    findings: list[Finding] = []
    if not any(p.get("id") == key for p in processes):
        first = processes[0]
        findings.append((first, "process-id", f"{label(first)}：流程编号应为“{key}”"))
    findings.extend(lane_problems(root))
    findings.extend(form_problems(root))
    findings.extend(timer_problems(root, deadline_variables(root)))
    findings.extend(expression_problems(root))
    findings.extend(reach_problems(root))
    return findings


def _in_document_order(root: Element, findings: list[Finding]) -> list[DiagramProblem]:
    position = {id(element): index for index, element in enumerate(root.iter())}
    ordered = sorted(findings, key=lambda f: position.get(id(f[0]), 0))  # stable: rule order
    return [
        DiagramProblem(None if element is root else element.get("id"), rule, message)
        for element, rule, message in ordered
    ]


def _engine_problems(xml: str, key: str, found: list[DiagramProblem]) -> list[DiagramProblem]:
    """What SpiffWorkflow refuses, unless it is an element our rules already named (the engine
    stops at its first problem; ours list them all)."""
    try:
        compile_definition(xml, key)
    except DefinitionError as exc:
        if exc.element_id is not None and exc.element_id in {p.element_id for p in found}:
            return []
        if exc.element_id is None and found:
            return []  # most likely a consequence of a problem already listed
        return [DiagramProblem(exc.element_id, "engine", str(exc))]
    return []


def _file(rule: str, message: str) -> DiagramProblem:
    return DiagramProblem(None, rule, message)


__all__ = ["MAX_DIAGRAM_BYTES", "DiagramProblem", "deadline_names", "validate_diagram"]
