"""Reading a BPMN document: namespaces, element kinds and how a message names an element."""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"

_KINDS = {
    "userTask": "任务",
    "manualTask": "任务",
    "task": "任务",
    "serviceTask": "任务",
    "sendTask": "任务",
    "receiveTask": "任务",
    "businessRuleTask": "任务",
    "scriptTask": "脚本任务",
    "subProcess": "子流程",
    "transaction": "子流程",
    "callActivity": "调用活动",
    "exclusiveGateway": "网关",
    "parallelGateway": "网关",
    "inclusiveGateway": "网关",
    "eventBasedGateway": "网关",
    "complexGateway": "网关",
    "startEvent": "开始事件",
    "endEvent": "结束事件",
    "boundaryEvent": "边界事件",
    "intermediateCatchEvent": "中间事件",
    "intermediateThrowEvent": "中间事件",
    "sequenceFlow": "连线",
    "lane": "泳道",
    "process": "流程",
}
FLOW_NODES = frozenset(_KINDS) - {"sequenceFlow", "lane", "process"}
USER_TASKS = frozenset({"userTask", "manualTask"})  # the tasks that wait for people


def bpmn(tag: str) -> str:
    """The qualified name of a BPMN model element."""
    return f"{{{BPMN_NS}}}{tag}"


def spiff(tag: str) -> str:
    """The qualified name of a SpiffWorkflow extension element."""
    return f"{{{SPIFF_NS}}}{tag}"


def local(element: Element) -> str:
    """The element's tag without its namespace, for BPMN elements; '' for any other."""
    prefix = f"{{{BPMN_NS}}}"
    return element.tag[len(prefix) :] if element.tag.startswith(prefix) else ""


def label(element: Element) -> str:
    """How a message names an element: its kind, its name and its id, e.g. 任务“受理”（respond）."""
    kind = _KINDS.get(local(element), "元素")
    name = (element.get("name") or "").strip()
    ident = element.get("id") or "无编号"
    return f"{kind}“{name}”（{ident}）" if name else f"{kind}（{ident}）"


def text(element: Element | None) -> str:
    """The element's text, '' when it is missing or empty."""
    return (element.text or "") if element is not None else ""


def properties(element: Element) -> dict[str, str]:
    """The task's spiffworkflow properties (lane-free settings the engine reads: form, due …)."""
    found = element.findall(
        f"{bpmn('extensionElements')}/{spiff('properties')}/{spiff('property')}"
    )
    return {p.get("name", ""): p.get("value", "") for p in found}


def scripts(root: Element) -> Iterator[tuple[Element, str]]:
    """Every Python script of the document with the element it belongs to, in document order:
    script tasks' scripts and the pre- and post-scripts of any task."""
    for element in root.iter():
        if element.tag == bpmn("scriptTask"):
            yield element, text(element.find(bpmn("script")))
        for tag in ("preScript", "postScript"):
            found = element.find(f"{bpmn('extensionElements')}/{spiff(tag)}")
            if found is not None:
                yield element, text(found)
