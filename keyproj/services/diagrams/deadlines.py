"""The deadline variables a diagram's timers may name, derived from the diagram itself.

A timer is a ``timeDate`` on an absolute Beijing deadline stored in the case data (DESIGN: a
boundary timer is evaluated before its task's pre-script, and an anchored date survives
migration). The deadlines are the variables the diagram's own scripts assign from
``working_deadline(start, days)``, plus the ones the services store from a form.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from keyproj.services.diagrams.elements import USER_TASKS, label, local, properties, scripts


def normalised(expression: str) -> str:
    """The expression as Python prints it, so that ``a["x"]`` and ``a['x']`` are one name."""
    return ast.unparse(ast.parse(expression.strip(), mode="eval").body)


# Deadlines the services write into the case data from a form, as end-of-day Beijing times
# (keyproj.services.cases.hooks): the diagrams' scripts never compute them.
SERVICE_DEADLINES = {
    normalised("supervision_due"): "LP20 督查立项时填写的办结期限",
    normalised('follow_up["due"]'): "LP16 现场办公会议纪要事项的完成期限",
    # keyproj.services.decisions.deadlines: at the item's record and at a refused acceptance.
    normalised("item_due"): "议定事项的落实期限（会议议定；验收未通过时重新明确）",
    normalised("item_remind_at"): "议定事项到期前的提醒时刻（政策配置[decisions]）",
}
WORKING_DEADLINE = "working_deadline"


@dataclass
class DeadlineVariables:
    """What a timer may name (``deadlines``: expression → where it comes from) and the known
    variables of another type a timer must not name (working-day counts, start times)."""

    deadlines: dict[str, str] = field(default_factory=lambda: dict(SERVICE_DEADLINES))
    counts: set[str] = field(default_factory=set)
    anchors: set[str] = field(default_factory=set)


def deadline_variables(root: Element) -> DeadlineVariables:
    """The deadline variables of this diagram (its scripts' working_deadline results and the
    services' deadlines), and its working-day counts and start times."""
    known = DeadlineVariables()
    for element, script in scripts(root):
        try:
            tree = ast.parse(script)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue  # reported by the expression rule
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and _is_working_deadline(node.value):
                call = node.value
                assert isinstance(call, ast.Call)
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        known.deadlines.setdefault(target.id, f"{label(element)}计算")
                if call.args:
                    known.anchors.update(_names(call.args[0]))
                for arg in call.args[1:]:
                    known.counts.update(_names(arg))
    for element in root.iter():
        if local(element) in USER_TASKS and properties(element).get("dueWorkingDays"):
            known.counts.add(properties(element)["dueWorkingDays"])
    # A start time or count that is also assigned a deadline somewhere is a deadline.
    known.anchors -= set(known.deadlines)
    known.counts -= set(known.deadlines)
    return known


def _is_working_deadline(value: ast.expr) -> bool:
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == WORKING_DEADLINE
    )


def _names(expression: ast.expr) -> set[str]:
    """The plain variables an argument reads (``now()`` reads none)."""
    return {
        n.id
        for n in ast.walk(expression)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id != "now"
    }
