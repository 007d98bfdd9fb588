"""Moving a running instance to another version of its diagram (X3), or saying why it cannot.

SpiffWorkflow's diff aligns the two versions' task specs by id. Migrating away a node an
instance waits on corrupts it silently (DESIGN, facts measured), and a completed node that
changed would leave the history claiming a step the new version does not take: both refuse.
One change to a completed node is carried over instead: a deadline script (``x_due =
working_deadline(anchor, n)``) whose deadline lines changed. Its new deadlines are recomputed
from the anchor the case already holds (the notice date), never from now, and the timers
waiting on them re-arm on the recomputed dates.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.util.diff import SpecDiff, WorkflowDiff, migrate_workflow
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from keyproj.engine.definitions import CompiledDefinition
from keyproj.engine.instance import CaseInstance, DeadlineFn, domain_errors
from keyproj.engine.serialization import register, serializer

DEADLINE_FUNCTION = "working_deadline"
# Attributes whose change on a completed node changes nothing the case did: its texts, and
# the flows around it (the path it took is history; what waits now is checked on its own).
_COSMETIC = frozenset({"bpmn_name", "documentation", "description", "inputs", "outputs"})
_WAITING = TaskState.READY | TaskState.WAITING | TaskState.STARTED
_PREDICTED = TaskState.FUTURE | TaskState.LIKELY | TaskState.MAYBE


@dataclass(frozen=True)
class Blocker:
    """Why an instance cannot move: the element (id and name) and the reason, in Chinese."""

    element_id: str
    name: str
    reason: str


@dataclass(frozen=True)
class DeadlineChange:
    """A deadline the new version computes differently: the data key, before and after (ISO),
    and the unit whose part (LP13) it belongs to, if it is one unit's."""

    key: str
    before: str | None
    after: str
    anchor: str  # the data key it is counted from, e.g. notice_issued_at
    part_unit_id: int | None = None


@dataclass
class MigrationPlan:
    """What moving an instance would do: the blockers (none: it may move) and the deadlines."""

    blockers: list[Blocker] = field(default_factory=list)
    deadlines: list[DeadlineChange] = field(default_factory=list)
    # (completed script task, {key: new value}) to write when the move happens.
    _writes: list[tuple[Task, dict[str, str]]] = field(default_factory=list, repr=False)

    @property
    def movable(self) -> bool:
        """True when nothing stops the move."""
        return not self.blockers


def plan_migration(instance: CaseInstance, target: CompiledDefinition) -> MigrationPlan:
    """What moving ``instance`` to ``target`` would change, and what forbids it."""
    plan = MigrationPlan()
    for workflow, new_spec in _pairs(instance.workflow, target):
        if new_spec is None:  # even a finished one: its tasks would keep the old version's specs
            name = workflow.spec.name
            title = str(workflow.spec.description or name)
            plan.blockers.append(Blocker(name, title, "是案件经过的子流程，新版本已删除该子流程"))
            continue
        spec_diff = SpecDiff(serializer().registry, workflow.spec, new_spec)
        _check(instance, workflow, spec_diff, plan)
    plan.blockers = list(dict.fromkeys(plan.blockers))  # each unit's part says it once
    return plan


def migrate(
    instance: CaseInstance, target: CompiledDefinition, deadline: DeadlineFn
) -> tuple[CaseInstance, MigrationPlan]:
    """Move ``instance`` to ``target``; raises MigrationRefused when the plan has blockers.

    Recomputed deadlines are written into the completed deadline script and every task after
    it that carried the old value; waiting tasks are then reset by SpiffWorkflow and inherit
    them, and their timers evaluate the anchored dates afresh.
    """
    plan = plan_migration(instance, target)
    if not plan.movable:
        raise MigrationRefused(plan.blockers)
    for script_task, values in plan._writes:
        _write_after(script_task, values)
    register(target)
    for workflow, new_spec in _pairs(instance.workflow, target):
        assert new_spec is not None  # a plan without blockers has every subprocess
        diff = WorkflowDiff(workflow, SpecDiff(serializer().registry, workflow.spec, new_spec))
        last = workflow.last_task
        migrate_workflow(diff, workflow, new_spec)
        # SpiffWorkflow 3.2 tests the last task against the task ids and so always drops it;
        # the case data (CaseInstance.data) is read from it: keep it while it is in the tree.
        if last is not None and last.id in workflow.tasks:
            workflow.last_task = last
    moved = CaseInstance(target, instance.workflow, deadline)
    return moved, plan


class MigrationRefused(Exception):
    """The instance cannot move; ``blockers`` say why."""

    def __init__(self, blockers: list[Blocker]):
        self.blockers = blockers
        super().__init__("；".join(f"{b.name}（{b.element_id}）{b.reason}" for b in blockers))


# --- the checks ----------------------------------------------------------------------------


def _pairs(workflow: BpmnWorkflow, target: CompiledDefinition) -> list[tuple[Any, Any | None]]:
    """The top workflow and each running subprocess, with the spec each would move to."""
    pairs: list[tuple[Any, Any | None]] = [(workflow, target.spec)]
    for sub in workflow.subprocesses.values():
        pairs.append((sub, target.subprocess_specs.get(sub.spec.name)))
    return pairs


def _check(instance: CaseInstance, workflow: Any, diff: SpecDiff, plan: MigrationPlan) -> None:
    removed = set(diff.removed)
    changed = diff.changed
    for task in workflow.get_tasks(skip_subprocesses=True):
        spec = task.task_spec
        if spec in removed:
            if task.state & _WAITING:
                plan.blockers.append(_blocker(task, "是案件正在等待的节点，新版本已删除该节点"))
            elif task.state & _PREDICTED and not _under_waiting(task):
                plan.blockers.append(_blocker(task, "是案件已排定的后续节点，新版本已删除该节点"))
            continue
        if task.state != TaskState.COMPLETED or spec not in changed:
            continue
        fields = [f for f in changed[spec] if f not in _COSMETIC]
        if not fields:
            continue
        new_spec = diff.alignment[spec]
        if fields == ["script"]:
            _deadline_script(instance, task, new_spec, plan)
        else:
            plan.blockers.append(_blocker(task, f"已完成，新版本修改了它（{'、'.join(fields)}）"))


def _under_waiting(task: Task) -> bool:
    """True when a waiting ancestor will repredict this task at the move (its branch is reset)."""
    parent = task.parent
    while parent is not None:
        if parent.state & (TaskState.READY | TaskState.WAITING):
            return True
        parent = parent.parent
    return False


def _deadline_script(
    instance: CaseInstance, task: Task, new_spec: Any, plan: MigrationPlan
) -> None:
    """A completed script that changed: allowed when only its deadline lines changed and each
    new deadline counts from a date the case holds (recomputed now, from that anchor)."""
    old_rest, _ = _split(task.task_spec.script)
    new_rest, new_lines = _split(new_spec.script)
    if old_rest is None or new_rest is None or old_rest != new_rest:
        plan.blockers.append(_blocker(task, "已完成，新版本修改了它的脚本（不只是期限）"))
        return
    _, old_lines = _split(task.task_spec.script)
    values: dict[str, str] = {}
    for key, (anchor, source) in new_lines.items():
        if old_lines.get(key) == (anchor, source) or not _still_needed(instance, task, key):
            continue  # unchanged, or only history reads it (a part already answered)
        if anchor is None or anchor not in task.data:
            plan.blockers.append(
                _blocker(task, f"新版本的期限 {key} 不是从案件已有的日期起算，无法按原起算日重算")
            )
            return
        with domain_errors():
            value = str(instance.workflow.script_engine.evaluate(task, source))
        values[key] = value
        before = task.data.get(key)
        part = task.data.get("part")
        unit = part.get("unit_id") if isinstance(part, dict) else None  # a unit's own part, LP13
        plan.deadlines.append(
            DeadlineChange(key, str(before) if before is not None else None, value, anchor, unit)
        )
    if values:
        plan._writes.append((task, values))


def _still_needed(instance: CaseInstance, script_task: Task, key: str) -> bool:
    """True when a task after the script that has not finished reads the deadline ``key``: a
    user task it is the due date of, or a timer whose expression names it."""
    pattern = re.compile(rf"\b{re.escape(key)}\b")
    stack = list(script_task.children)
    while stack:
        task = stack.pop()
        stack.extend(task.children)
        if not task.state & (_WAITING | _PREDICTED):
            continue
        spec = task.task_spec
        user = instance.definition.user_tasks.get(spec.name)
        if user is not None and user.due_key == key:
            return True
        timer = getattr(spec, "event_definition", None)
        if isinstance(timer, TimerEventDefinition) and pattern.search(str(timer.expression)):
            return True
    return False


def _split(script: str | None) -> tuple[str | None, dict[str, tuple[str | None, str]]]:
    """A script's other statements (dumped) and its deadline lines: {key: (anchor key, source)}.

    The anchor is the first argument of ``working_deadline`` when it is a plain data key; a
    deadline counted from ``now()`` or an expression has none (it cannot be re-anchored).
    """
    try:
        tree = ast.parse(script or "")
    except SyntaxError:
        return None, {}
    rest, lines = [], {}
    for node in tree.body:
        call = node.value if isinstance(node, ast.Assign) else None
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(call, ast.Call)
            and isinstance(call.func, ast.Name)
            and call.func.id == DEADLINE_FUNCTION
            and call.args
        ):
            first = call.args[0]
            anchor = first.id if isinstance(first, ast.Name) else None
            lines[node.targets[0].id] = (anchor, ast.unparse(call))
        else:
            rest.append(ast.dump(node))
    return "\n".join(rest), lines


def _write_after(script_task: Task, values: dict[str, str]) -> None:
    """Write the recomputed deadlines into the script's data and every later task of its
    workflow that still carries the old value (the case's data as the waiting tasks see it)."""
    old = {key: script_task.data.get(key) for key in values}
    stack = [script_task]
    while stack:
        task = stack.pop()
        for key, value in values.items():
            if task is script_task or (key in task.data and task.data[key] == old[key]):
                task.data[key] = value
        stack.extend(task.children)


def _blocker(task: Task, reason: str) -> Blocker:
    spec = task.task_spec
    return Blocker(spec.name, str(getattr(spec, "bpmn_name", None) or spec.name), reason)
