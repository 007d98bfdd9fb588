"""New workflows copied from one built per diagram, instead of each predicting its whole tree.

Building a workflow lays out every task the diagram could reach (SpiffWorkflow "predicts"
the tree), the same ~30 tasks for every case of a diagram: that was two thirds of the cost
of starting a case. A workflow is built once per diagram and kept untouched; each new case
gets a copy with fresh task ids, fresh timestamps and its own data.
"""

from __future__ import annotations

import copy
import threading
import time
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from keyproj.engine.definitions import CompiledDefinition
from keyproj.engine.ids import new as new_id
from keyproj.engine.iteration import FastWalkWorkflow
from keyproj.engine.serialization import register

_built: dict[str, FastWalkWorkflow] = {}
_lock = threading.Lock()


def new_workflow(definition: CompiledDefinition) -> FastWalkWorkflow:
    """A workflow of ``definition`` as built from scratch, nothing run yet."""
    register(definition)  # so that it can be dumped
    pristine = _built.get(definition.sha256)
    if pristine is None:
        with _lock:
            pristine = _built.setdefault(
                definition.sha256,
                FastWalkWorkflow(definition.spec, definition.subprocess_specs),
            )
    return _copy(pristine)


def _copy(pristine: FastWalkWorkflow) -> FastWalkWorkflow:
    if pristine.subprocesses or pristine.bpmn_events or pristine.last_task is not None:
        raise ValueError("only a workflow that has not run yet can be copied")
    workflow = FastWalkWorkflow(pristine.spec, pristine.subprocess_specs, deserializing=True)
    workflow.data = copy.deepcopy(pristine.data)
    workflow.success = pristine.success
    workflow.completed = pristine.completed
    workflow.correlations = copy.deepcopy(pristine.correlations)
    ids: dict[UUID, UUID] = {old: new_id() for old in pristine.tasks}
    stamp = time.time()
    for old_id, source in pristine.tasks.items():  # same order: dumps list tasks in this order
        task = Task(workflow, source.task_spec, state=source._state, id=ids[old_id])
        task._parent = ids[source._parent] if source._parent is not None else None
        task._children = [ids[child] for child in source._children]
        task.triggered = source.triggered
        task.internal_data = _copied(source.internal_data)
        task.data = _copied(source.data)
        task.last_state_change = stamp
        if isinstance(task.task_spec, CatchingEvent) and task._state & TaskState.WAITING:
            workflow.event_manager.add_task(task)
    workflow.task_tree = workflow.tasks[ids[pristine.task_tree.id]]
    return workflow


def _copied(value: dict[str, Any]) -> dict[str, Any]:
    # A not-yet-run workflow's tasks carry no data: no deep copy to make for those.
    return copy.deepcopy(value) if value else {}
