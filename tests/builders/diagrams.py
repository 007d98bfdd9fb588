"""Shipped diagrams as text: small edits that break one rule each, and versions as an
administrator would edit them (X3)."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

BPMN_DIR = Path(__file__).parents[2] / "bpmn"
FIXTURES = Path(__file__).parents[1] / "fixtures" / "bpmn"
SHIPPED = sorted(p.stem for p in BPMN_DIR.glob("*.bpmn"))


def shipped(key: str = "warning_case") -> str:
    """The text of a shipped diagram (``bpmn/<key>.bpmn``)."""
    return (BPMN_DIR / f"{key}.bpmn").read_text(encoding="utf-8")


def edited(*replacements: tuple[str, str], key: str = "warning_case") -> str:
    """The shipped diagram with each ``(old, new)`` replaced; each ``old`` must occur exactly once,
    so that an edit cannot silently miss."""
    xml = shipped(key)
    for old, new in replacements:
        assert xml.count(old) == 1, f"{old!r} occurs {xml.count(old)} times in {key}"
        xml = xml.replace(old, new)
    return xml


def without_flow(flow_id: str, xml: str | None = None) -> str:
    """The diagram without one sequence flow (its element; the DI edge does not matter here)."""
    xml = shipped() if xml is None else xml
    pattern = re.compile(
        rf'<bpmn:sequenceFlow id="{flow_id}"[^>]*?(/>|>.*?</bpmn:sequenceFlow>)', re.S
    )
    changed, count = pattern.subn("", xml)
    assert count == 1, f"sequence flow {flow_id} not found"
    return changed


BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NS = {"bpmn": BPMN, "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI"}
RESPONSE_LINE = "working_deadline(notice_issued_at, response_working_days)"


def core() -> str:
    """Lianping's diagram as shipped (the core: response in 3 working days, from the profile)."""
    return shipped("warning_case")


def response_in(days: int, xml: str | None = None) -> str:
    """The diagram with every unit's response deadline set to ``days`` working days after the
    notice (LP17's number edited in the diagram's deadline scripts)."""
    xml = xml or core()
    assert RESPONSE_LINE in xml
    return xml.replace(RESPONSE_LINE, f"working_deadline(notice_issued_at, {days})")


def bypass(xml: str, task_id: str, *dependents: str) -> str:
    """The diagram without ``task_id`` (and its boundary events' paths ``dependents``): the
    flow into it goes on to where it led; its shapes and edges go too."""
    root = etree.fromstring(xml.encode("utf-8"))
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    flows = [e for e in root.iter(f"{{{BPMN}}}sequenceFlow")]
    gone = {task_id, *dependents}
    [incoming] = [f for f in flows if f.get("targetRef") == task_id]
    [outgoing] = [f for f in flows if f.get("sourceRef") == task_id]
    after = by_id[outgoing.get("targetRef")]
    incoming.set("targetRef", after.get("id"))
    for ref in after.findall("bpmn:incoming", NS):
        if ref.text == outgoing.get("id"):
            ref.text = incoming.get("id")
    gone |= {f.get("id") for f in flows if f is outgoing or f.get("sourceRef") in gone}
    for element_id in gone:
        element = by_id[element_id]
        element.getparent().remove(element)
    for ref in list(root.iter(f"{{{BPMN}}}flowNodeRef")):
        if ref.text in gone:
            ref.getparent().remove(ref)
    for di in list(root.iter()):
        if di.get("bpmnElement") in gone:
            di.getparent().remove(di)
    return etree.tostring(root, encoding="unicode")


def without_county_gov_assign(xml: str | None = None) -> str:
    """The diagram whose county government handles an escalated case without first naming
    the leader (the 县府办's assignment step, its reminder and their flows removed)."""
    return bypass(
        xml or core(),
        "county_gov_assign",
        "county_gov_assign_overdue",
        "remind_county_gov_assign",
        "county_gov_assign_reminded_end",
    )
