"""The difference of two versions of a diagram (X3): elements added, removed and changed.

Read from the XML, element by element id: a change names the fields that differ (name, lane,
form, timer expression, script, condition, documentation, kind of element).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import Element

from sqlalchemy.orm import Session

from keyproj.errors import DiagramRefused
from keyproj.services.access import Viewer
from keyproj.services.diagrams.validation import DiagramProblem, parse_safely
from keyproj.services.diagrams.versions import version

BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
SPIFF = "{http://spiffworkflow.org/bpmn/schema/1.0/core}"
FIELDS = {
    "kind": "元素类型",
    "name": "名称",
    "lane": "泳道",
    "form": "表单",
    "timer": "计时表达式",
    "script": "脚本",
    "condition": "条件",
    "flow": "连线",
    "documentation": "说明",
}
KINDS = {
    "userTask": "人工任务",
    "manualTask": "人工任务",
    "scriptTask": "脚本任务",
    "serviceTask": "服务任务",
    "subProcess": "子流程",
    "callActivity": "调用子流程",
    "startEvent": "开始事件",
    "endEvent": "结束事件",
    "boundaryEvent": "边界事件",
    "intermediateCatchEvent": "中间捕获事件",
    "intermediateThrowEvent": "中间抛出事件",
    "exclusiveGateway": "排他网关",
    "parallelGateway": "并行网关",
    "inclusiveGateway": "包容网关",
    "eventBasedGateway": "事件网关",
    "sequenceFlow": "连线",
}
# Containers and non-flow children whose ids are not elements of the diagram.
_SKIP = {
    "definitions", "process", "laneSet", "lane", "extensionElements", "incoming", "outgoing",
    "timerEventDefinition", "errorEventDefinition", "multiInstanceLoopCharacteristics",
    "inputDataItem", "outputDataItem", "conditionExpression", "error", "collaboration",
    "participant", "messageEventDefinition", "signalEventDefinition", "escalationEventDefinition",
}  # fmt: skip


@dataclass(frozen=True)
class FieldChange:
    """One field of an element: its Chinese label, before and after."""

    field: str
    label: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class ElementChange:
    """An element added, removed or changed (with the fields that changed)."""

    element_id: str
    name: str
    kind: str  # the BPMN tag, e.g. userTask
    change: str  # added | removed | changed
    fields: tuple[FieldChange, ...] = ()

    @property
    def kind_label(self) -> str:
        """The kind of element in Chinese."""
        return KINDS.get(self.kind, "元素")


def diff_versions(
    session: Session, viewer: Viewer, key: str, before: int, after: int
) -> list[ElementChange]:
    """What version ``after`` of ``key`` added, removed and changed against version ``before``."""
    old, new = version(session, viewer, key, before), version(session, viewer, key, after)
    return diff_xml(old.bpmn_xml, new.bpmn_xml)


def diff_xml(before: str, after: str) -> list[ElementChange]:
    """The elements of ``after`` that ``before`` lacks, those removed, and those changed."""
    old, new = _elements(before), _elements(after)
    out: list[ElementChange] = []
    for element_id, attrs in new.items():
        if element_id not in old:
            out.append(_change(element_id, attrs, "added"))
    for element_id, attrs in old.items():
        if element_id not in new:
            out.append(_change(element_id, attrs, "removed"))
            continue
        fields = tuple(
            FieldChange(f, FIELDS[f], _shown(f, attrs.get(f)), _shown(f, new[element_id].get(f)))
            for f in FIELDS
            if attrs.get(f) != new[element_id].get(f)
        )
        if fields:
            out.append(_change(element_id, new[element_id], "changed", fields))
    return out


def _shown(name: str, value: str | None) -> str | None:
    """A field's value as the page shows it (an element's kind in Chinese)."""
    return KINDS.get(value or "", value) if name == "kind" else value


def _change(
    element_id: str, attrs: dict[str, str | None], change: str, fields: tuple[FieldChange, ...] = ()
) -> ElementChange:
    return ElementChange(
        element_id, attrs.get("name") or element_id, attrs.get("kind") or "", change, fields
    )


def _elements(xml: str) -> dict[str, dict[str, str | None]]:
    """Each flow element by id, with the fields a diff compares (document order)."""
    tree = _tree(xml)
    lanes = {
        ref.text.strip(): lane.get("name")
        for lane in tree.iter(f"{BPMN}lane")
        for ref in lane.iter(f"{BPMN}flowNodeRef")
        if ref.text
    }
    out: dict[str, dict[str, str | None]] = {}
    for process in tree.iter(f"{BPMN}process"):
        for element in process.iter():
            if not isinstance(element.tag, str) or not element.tag.startswith(BPMN):
                continue
            kind = _local(element.tag)
            element_id = element.get("id")
            if kind in _SKIP or element_id is None:
                continue
            out[element_id] = {
                "kind": kind,
                "name": element.get("name"),
                "lane": lanes.get(element_id),
                "form": _property(element, "form"),
                "timer": _child_text(element, ("timeDate", "timeDuration", "timeCycle")),
                "script": _child_text(element, ("script",)),
                "condition": _child_text(element, ("conditionExpression",)),
                "flow": None,  # filled below, once every element's name is known
                "documentation": _child_text(element, ("documentation",)),
            }
    names = {i: a.get("name") or i for i, a in out.items()}
    for element in tree.iter(f"{BPMN}sequenceFlow"):
        source, target, flow_id = (element.get(a) for a in ("sourceRef", "targetRef", "id"))
        if flow_id in out and source and target:
            out[flow_id]["flow"] = f"{names.get(source, source)} → {names.get(target, target)}"
    return out


def _child_text(element: Element, names: tuple[str, ...]) -> str | None:
    """The text of the element's own child with one of these names, or of its event
    definition's (a timer's date lives in the timerEventDefinition)."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        local = _local(child.tag)
        holders = [child] if local.endswith("EventDefinition") else []
        if local in names:
            return (child.text or "").strip()
        for holder in holders:
            for grandchild in holder:
                if isinstance(grandchild.tag, str) and _local(grandchild.tag) in names:
                    return (grandchild.text or "").strip()
    return None


def _property(element: Element, name: str) -> str | None:
    ext = element.find(f"{BPMN}extensionElements")
    if ext is None:
        return None
    for prop in ext.iter(f"{SPIFF}property"):
        if prop.get("name") == name:
            return prop.get("value")
    return None


def _tree(xml: str) -> Element:
    """A stored version's XML, parsed as safely as an upload (it passed the same checks)."""
    root = parse_safely(xml.encode("utf-8"))
    if isinstance(root, DiagramProblem):
        raise DiagramRefused([root])
    return root


def _local(tag: object) -> str:
    """An element's tag without its namespace (``{ns}userTask`` → ``userTask``)."""
    return str(tag).rsplit("}", 1)[-1]
