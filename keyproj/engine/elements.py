"""Where an instance has been and where it stands, as diagram element ids (X4's replay view)."""

from __future__ import annotations

from dataclasses import dataclass

from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.util.task import TaskState

from keyproj.engine.instance import CaseInstance


@dataclass(frozen=True)
class Elements:
    """Element ids completed so far (in the order first met) and those the case waits at."""

    path: list[str]
    position: list[str]


def elements_of(instance: CaseInstance) -> Elements:
    """The path and the position of ``instance``: completed elements of every (sub)process, and
    the ready user tasks plus any event waiting on its own (a boundary event waits with its
    task, which already marks the position)."""
    workflow = instance.workflow
    done: dict[str, None] = {}
    waiting: dict[str, None] = {}
    for flow in (workflow, *workflow.subprocesses.values()):
        for task in flow.tasks.values():
            element = getattr(task.task_spec, "bpmn_id", None)
            if element is None:  # the engine's own joins and splits are not drawn
                continue
            state = task._state
            if state == TaskState.COMPLETED:
                done[element] = None
            elif (state == TaskState.READY and task.task_spec.manual) or (
                state == TaskState.WAITING and not isinstance(task.task_spec, BoundaryEvent)
            ):
                waiting[element] = None
    return Elements(list(done), list(waiting))
