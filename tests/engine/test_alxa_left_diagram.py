"""Alxa Left Banner's diagram keeps its drawing (X3): every element the engine runs is drawn,
in its lane, and every AL13 element cites its clause."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

DIAGRAM = Path(__file__).parents[2] / "bpmn" / "alxa_left_case.bpmn"
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
}
NODES = (
    "startEvent", "endEvent", "scriptTask", "userTask", "exclusiveGateway", "subProcess",
    "boundaryEvent",
)  # fmt: skip
TREE = etree.parse(str(DIAGRAM))


def bounds(element: str) -> tuple[float, float, float, float]:
    found = TREE.find(f".//bpmndi:BPMNShape[@bpmnElement='{element}']/dc:Bounds", NS)
    assert found is not None, f"{element} is not drawn"
    x, y, w, h = (float(found.get(k)) for k in ("x", "y", "width", "height"))
    return x, y, x + w, y + h


def test_every_node_and_flow_is_drawn():
    nodes = {e.get("id") for tag in NODES for e in TREE.iterfind(f".//bpmn:{tag}", NS)}
    flows = {e.get("id") for e in TREE.iterfind(".//bpmn:sequenceFlow", NS)}
    shapes = {e.get("bpmnElement") for e in TREE.iterfind(".//bpmndi:BPMNShape", NS)}
    edges = {e.get("bpmnElement") for e in TREE.iterfind(".//bpmndi:BPMNEdge", NS)}
    assert nodes - shapes == set()
    assert flows - edges == set()


def test_every_node_a_lane_lists_sits_inside_that_lane():
    for lane in TREE.iterfind(".//bpmn:lane", NS):
        x0, y0, x1, y1 = bounds(lane.get("id"))
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            left, top, right, bottom = bounds(ref.text)
            slack = 18 if ref.text.endswith(("_overdue", "_late")) else 0  # boundary events
            assert x0 <= left <= right <= x1, ref.text
            assert y0 - slack <= top <= bottom <= y1 + slack, ref.text


def test_the_al13_elements_cite_their_clause():
    for element in TREE.iterfind(".//bpmn:*[@id]", NS):
        if element.get("id").startswith("al13_") and etree.QName(element).localname in NODES[2:5]:
            doc = element.findtext("bpmn:documentation", default="", namespaces=NS)
            assert "AL13" in doc or "AL13" in (element.get("name") or ""), element.get("id")
