"""Our rules for a diagram the engine can run as a case: lanes, forms, timers, expressions.

Each rule yields (element, rule, message) findings; the message names the element (kind, name,
id) in Chinese so that the office can find it in the modeler.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element

from keyproj.codes import Lane
from keyproj.forms import list_forms
from keyproj.services.diagrams.deadlines import DeadlineVariables, normalised
from keyproj.services.diagrams.elements import (
    USER_TASKS,
    bpmn,
    label,
    local,
    properties,
    scripts,
    text,
)

Finding = tuple[Element, str, str]  # (element, rule, message)
KNOWN_LANES = "、".join(Lane)


def lane_problems(root: Element) -> Iterator[Finding]:
    """Every user task sits in a lane named after a known role (DESIGN: lanes and routing); a
    lane of another name is named on each of its user tasks, or on the lane when it has none."""
    lane_of = _lanes(root)
    tasks = [e for e in root.iter() if local(e) in USER_TASKS]
    lanes_with_tasks = {
        id(lane) for t in tasks if (lane := lane_of.get(t.get("id", ""))) is not None
    }
    for element in root.iter():
        if local(element) == "lane" and not _known(element) and id(element) not in lanes_with_tasks:
            yield element, "unknown-lane", f"{label(element)}：不是已知角色（{KNOWN_LANES}）"
        if local(element) not in USER_TASKS:
            continue
        lane = lane_of.get(element.get("id", ""))
        if lane is None:
            yield (
                element,
                "no-lane",
                f"{label(element)}：不在任何泳道中，须放在已知角色的泳道（{KNOWN_LANES}）",
            )
        elif not _known(lane):
            yield element, "unknown-lane", f"{label(element)}：{_unknown(lane)}"


def _lanes(root: Element) -> dict[str, Element]:
    """The lane of every flow node as the engine sees it: a node inside a subprocess takes the
    subprocess's lane when it has one (SpiffWorkflow passes it down), else its own."""
    listed: dict[str, Element] = {}
    for lane in root.iter(bpmn("lane")):
        for ref in lane.findall(bpmn("flowNodeRef")):
            listed[text(ref).strip()] = lane
    lanes: dict[str, Element] = {}

    def visit(scope: Element, inherited: Element | None) -> None:
        for node in scope:
            ident = node.get("id", "")
            lane = inherited if inherited is not None else listed.get(ident)
            if lane is not None:
                lanes[ident] = lane
            if local(node) in ("subProcess", "transaction"):
                visit(node, lane)

    for process in root.findall(bpmn("process")):
        visit(process, None)
    return lanes


def _known(lane: Element) -> bool:
    return Lane.parse(lane.get("name", "")) is not None


def _unknown(lane: Element) -> str:
    return f"泳道“{lane.get('name', '')}”不是已知角色（{KNOWN_LANES}）"


def form_problems(root: Element) -> Iterator[Finding]:
    """Every user task names its form, one of bpmn/forms/ (the services render and check it)."""
    forms = set(list_forms())
    for element in root.iter():
        if local(element) not in USER_TASKS:
            continue
        form = properties(element).get("form", "").strip()
        if not form:
            yield (
                element,
                "missing-form",
                f"{label(element)}：缺少表单属性 form（应为 bpmn/forms/ 中的表单之一）",
            )
        elif form not in forms:
            yield (
                element,
                "unknown-form",
                f"{label(element)}：表单“{form}”不存在（bpmn/forms/ 中没有 {form}.schema.json）",
            )


def timer_problems(root: Element, known: DeadlineVariables) -> Iterator[Finding]:
    """Every timer is a timeDate on a known deadline variable: an absolute date anchored to the
    notice, never a duration or cycle that restarts when the case is migrated."""
    for event in root.iter():
        for timer in event.findall(bpmn("timerEventDefinition")):
            yield from _timer(event, timer, known)


def _timer(event: Element, timer: Element, known: DeadlineVariables) -> Iterator[Finding]:
    where = label(event)
    for tag in ("timeDuration", "timeCycle"):
        if timer.find(bpmn(tag)) is not None:
            yield (
                event,
                "timer-not-date",
                f"{where}：计时器须为期限日期（timeDate），不能用 {tag}：期限按工作日从通知日起算并存入案件数据，迁移时不会重新计时",
            )
            return
    expression = text(timer.find(bpmn("timeDate"))).strip()
    if not expression:
        yield (
            event,
            "timer-not-date",
            f"{where}：计时器缺少期限（timeDate 应写期限变量，如 response_due）",
        )
        return
    try:
        name = normalised(expression)
    except SyntaxError as exc:
        yield (
            event,
            "expression-syntax",
            f"{where}：计时器表达式“{expression}”不是合法的 Python 表达式（{exc.msg}）",
        )
        return
    if name in known.deadlines:
        return
    if name in known.counts:
        yield (
            event,
            "timer-deadline-type",
            f"{where}：“{expression}”是工作日天数，不是期限日期；应写由 working_deadline 计算出的期限变量",
        )
    elif name in known.anchors:
        yield (
            event,
            "timer-deadline-type",
            f"{where}：“{expression}”是起算时间，不是期限日期；应写由 working_deadline 计算出的期限变量",
        )
    else:
        names = "、".join(sorted(known.deadlines))
        yield (
            event,
            "timer-unknown-deadline",
            f"{where}：计时器的期限“{expression}”不是已知的期限变量（已知：{names}）",
        )


def expression_problems(root: Element) -> Iterator[Finding]:
    """Every condition, script and multi-instance expression compiles as Python (the engine
    would find out only when a case reaches it). Timer expressions are checked with timers."""
    for element in root.iter():
        tag = local(element)
        if tag == "sequenceFlow":
            condition = element.find(bpmn("conditionExpression"))
            if condition is not None:
                yield from _compiles(element, text(condition), "eval", "条件表达式")
        loop = element.find(bpmn("multiInstanceLoopCharacteristics"))
        if loop is not None:
            yield from _loop(element, loop)
    for element, script in scripts(root):
        yield from _compiles(element, script, "exec", "脚本")


def _loop(element: Element, loop: Element) -> Iterator[Finding]:
    for tag, what in (("loopCardinality", "多实例次数"), ("completionCondition", "多实例完成条件")):
        found = loop.find(bpmn(tag))
        if found is not None:
            yield from _compiles(element, text(found), "eval", what)
    for tag, what in (
        ("loopDataInputRef", "多实例输入集合"),
        ("loopDataOutputRef", "多实例输出集合"),
    ):
        name = text(loop.find(bpmn(tag))).strip()
        if loop.find(bpmn(tag)) is not None and not name.isidentifier():
            yield element, "expression-syntax", f"{label(element)}：{what}“{name}”不是合法的变量名"


def _compiles(element: Element, source: str, mode: str, what: str) -> Iterator[Finding]:
    if not source.strip():
        yield element, "expression-syntax", f"{label(element)}：{what}为空"
        return
    try:
        compile(source, element.get("id", "diagram"), mode)
    except (ValueError, RecursionError, MemoryError):
        yield element, "expression-syntax", f"{label(element)}：{what}过于复杂或含有不可用的字符"
        return
    except SyntaxError as exc:
        line = f"第{exc.lineno}行" if exc.lineno else ""
        yield (
            element,
            "expression-syntax",
            f"{label(element)}：{what}{line}不是合法的 Python（{exc.msg}）",
        )
