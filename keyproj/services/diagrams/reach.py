"""Reachability: every node reachable from a start event and able to reach an end event.

Each process and each subprocess is its own scope (a subprocess's inner nodes start at its own
start event); a boundary event is an outgoing path of the activity it is attached to.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element

from keyproj.services.diagrams.elements import FLOW_NODES, bpmn, label, local

Finding = tuple[Element, str, str]  # (element, rule, message)
_SCOPES = frozenset({"process", "subProcess", "transaction"})


def reach_problems(root: Element) -> Iterator[Finding]:
    """The dangling flows, unreachable nodes and dead ends of every scope of the document."""
    for scope in root.iter():
        if local(scope) in _SCOPES:
            yield from _scope_problems(scope)


def _scope_problems(scope: Element) -> Iterator[Finding]:
    nodes = {n.get("id", ""): n for n in scope if local(n) in FLOW_NODES}
    successors: dict[str, set[str]] = {ident: set() for ident in nodes}
    predecessors: dict[str, set[str]] = {ident: set() for ident in nodes}
    for flow in scope.findall(bpmn("sequenceFlow")):
        source, target = flow.get("sourceRef", ""), flow.get("targetRef", "")
        missing = [ref for ref in (source, target) if ref not in nodes]
        if missing:
            yield (
                flow,
                "dangling-flow",
                f"{label(flow)}：连接的元素“{'、'.join(missing)}”不在此流程中",
            )
            continue
        successors[source].add(target)
        predecessors[target].add(source)
    for ident, node in nodes.items():
        host = node.get("attachedToRef")
        if local(node) == "boundaryEvent" and host in nodes:
            successors[host].add(ident)
            predecessors[ident].add(host)
    # An event subprocess starts when its event happens, not from the scope's start.
    roots = {
        i
        for i, n in nodes.items()
        if local(n) == "startEvent" or n.get("triggeredByEvent") == "true"
    }
    ends = {
        i for i, n in nodes.items() if local(n) == "endEvent" or n.get("triggeredByEvent") == "true"
    }
    reached = _closure(roots, successors)
    ending = _closure(ends, predecessors)
    for ident, node in nodes.items():
        if ident not in reached:
            yield node, "unreachable", f"{label(node)}：从开始事件无法到达"
    # Of the nodes that cannot reach an end, name those without a way out (the cause), not
    # every node before them; a loop without a way out is named node by node.
    dead = set(nodes) - ending
    exits = {i for i in dead if not successors[i]}
    leading_to_exit = _closure(exits, {i: predecessors[i] & dead for i in nodes})
    for ident, node in nodes.items():
        if ident in exits:
            yield node, "dead-end", f"{label(node)}：没有出去的连线，无法到达结束事件"
        elif ident in dead and ident not in leading_to_exit:
            yield node, "dead-end", f"{label(node)}：无法到达结束事件（循环没有出口）"


def _closure(start: set[str], edges: dict[str, set[str]]) -> set[str]:
    seen = set(start)
    todo = list(start)
    while todo:
        for nxt in edges[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen
