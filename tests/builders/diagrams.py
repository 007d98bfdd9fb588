"""Shipped diagrams as text, and small edits of them that break one rule each."""

from __future__ import annotations

import re
from pathlib import Path

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
