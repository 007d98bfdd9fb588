"""Faster converters for SpiffWorkflow's task tree, writing and reading exactly Spiff's format.

Workflows are read back as ``FastWalkWorkflow`` (see engine.iteration), under the type name
Spiff writes, so stored states stay Spiff's.

Loading a stored case is mostly the rebuilding of its ~30 tasks, and much of that was
parsing the same task ids again and again: each id is a key of the task map, the task's own
id, its children's parent and an entry of its parent's child list. Here each id is parsed
(or printed) once per workflow, the task map bypasses the registry's per-object dispatch,
and empty values skip the generic walk; the logic is otherwise SpiffWorkflow's own, so the
dicts written and the objects rebuilt are the ones Spiff's converters give (tests compare).

A (sub)workflow remembers the text of each of its ids (``_texts``) from one save to the
next, and a workflow read from its stored form knows them from the start: printing ids was
a third of writing a case's state, and a case is written after every step.
"""

from __future__ import annotations

import weakref
from copy import copy
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnSubWorkflowConverter,
    BpmnWorkflowConverter,
    TaskConverter,
)
from SpiffWorkflow.bpmn.serializer.helpers.registry import DefaultRegistry
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState

from keyproj.engine import ids
from keyproj.engine.iteration import FastWalkWorkflow

_PLAIN = frozenset({str, int, float, bool, type(None)})  # returned as they are by registry.restore
_get_updated_keys = DeepMerge.get_updated_keys
_get_deleted_keys = DeepMerge.get_deleted_keys


def _parse(text: str, parsed: dict[str, UUID]) -> UUID:
    found = parsed.get(text)
    if found is None:
        found = parsed[text] = ids.parse(text)
    return found


# The texts of a (sub)workflow's ids, by the id object's identity: a UUID hashes in Python, an
# int in C. Each entry holds its id object, so no other object can take its identity while
# the entry lives; the whole map goes with its workflow.
Printed = dict[int, tuple[UUID, str]]
_texts: weakref.WeakKeyDictionary[Any, Printed] = weakref.WeakKeyDictionary()


def _texts_of(workflow: Any) -> Printed:
    """The id texts a (sub)workflow has printed or read so far."""
    found = _texts.get(workflow)
    if found is None:
        found = _texts[workflow] = {}
    return found


def _remember(value: UUID, printed: Printed) -> tuple[UUID, str]:
    found = printed[id(value)] = (value, str(value))
    return found


def _print(value: UUID, printed: Printed) -> str:
    return (printed.get(id(value)) or _remember(value, printed))[1]


class FastTaskConverter(TaskConverter):  # type: ignore[misc]
    """Spiff's task converter (data stored as a delta from the parent), faster."""

    def to_dict(self, task: Task) -> dict[str, Any]:
        """The task as Spiff's ``TaskConverter.to_dict`` writes it."""
        return self.task_to_dict(task, {})

    def from_dict(self, dct: dict[str, Any], workflow: Any) -> Task:
        """The task as Spiff's ``TaskConverter.from_dict`` rebuilds it."""
        return self.task_from_dict(dct, workflow, {})

    def task_to_dict(self, task: Task, printed: Printed) -> dict[str, Any]:
        """``to_dict`` with ids printed through ``printed`` (one text per id of a workflow)."""
        parent = task.workflow.tasks.get(task._parent) if task._parent is not None else None
        if parent is None:
            data, delta = task.data, {}
        else:
            data = {}
            delta = {
                "updates": _get_updated_keys(parent.data, task.data),
                "deletions": _get_deleted_keys(parent.data, task.data),
            }
        internal = task.internal_data
        known = printed.get
        return {
            "id": _print(task.id, printed),
            "parent": _print(task._parent, printed) if parent is not None else None,
            # Inlined _print: a task's children are most of the ids written.
            "children": [
                (known(id(child)) or _remember(child, printed))[1] for child in task._children
            ],
            "last_state_change": task.last_state_change,
            "state": task._state,
            "task_spec": task.task_spec.name,
            "triggered": task.triggered,
            "internal_data": self.registry.convert(internal) if internal else {},
            "data": data,
            "delta": delta,
        }

    def task_from_dict(self, dct: dict[str, Any], workflow: Any, parsed: dict[str, UUID]) -> Task:
        """``from_dict`` with ids parsed through ``parsed`` (one UUID per id of a workflow)."""
        spec = workflow.spec.task_specs.get(dct["task_spec"])
        task: Task = self.target_class(
            workflow, spec, state=dct["state"], id=_parse(dct["id"], parsed)
        )
        parent_id = dct["parent"]
        task._parent = _parse(parent_id, parsed) if parent_id is not None else None
        task._children = [_parse(child, parsed) for child in dct["children"]]
        task.last_state_change = dct["last_state_change"]
        task.triggered = dct["triggered"]
        task.internal_data = self._restore(dct["internal_data"])
        if isinstance(spec, CatchingEvent) and task._state & TaskState.WAITING:
            task.workflow.top_workflow.event_manager.add_task(task)
        delta: Any = dct.get("delta")
        parent = task.parent if delta else None
        if parent is not None:
            data = _inherited(parent.data)
            data.update(self._restore(delta.get("updates", {})))
            for key in delta.get("deletions", {}):
                if key in data:
                    del data[key]
        else:
            data = self.registry.restore(dct["data"])
        task.data = data
        return task

    def _restore(self, mapping: dict[str, Any]) -> Any:
        # registry.restore, without a call per plain value (most task data is text and numbers).
        if type(mapping) is not dict or "typename" in mapping:
            return self.registry.restore(mapping)
        restore = self.registry.restore
        return {k: v if type(v) in _PLAIN else restore(v) for k, v in mapping.items()}


def _inherited(data: dict[str, Any]) -> dict[str, Any]:
    """``DeepMerge.merge({}, data)``: every key, containers copied one level deep."""
    out = dict(data)
    for key, value in data.items():
        kind = type(value)
        if kind is dict or kind is list or kind is set:
            out[key] = value.copy()  # what copy() does for these, without its dispatch
        elif isinstance(value, dict | list | set):
            out[key] = copy(value)
    return out


class _FastTaskMaps:
    """A (sub)workflow converter's task map handed straight to the task converter."""

    tasks: FastTaskConverter  # set by install
    registry: DefaultRegistry

    def mapping_to_dict(self, mapping: dict[Any, Any], **kwargs: Any) -> dict[str, Any]:
        """As Spiff's; tasks skip the registry's dispatch and share their workflow's id texts."""
        first: Any = next(iter(mapping.values()), None)
        # Only a workflow's task map holds Tasks (all of that workflow); any other map is small.
        printed = _texts_of(first.workflow) if type(first) is Task else {}
        out: dict[str, Any] = {}
        for key, value in mapping.items():
            if type(value) is Task:
                dct = self.tasks.task_to_dict(value, printed)
                dct["typename"] = "Task"  # as the registry adds it
                out[_print(key, printed)] = dct
            else:
                out[str(key)] = self.registry.convert(value, **kwargs)
        return out

    def mapping_from_dict(
        self, mapping: dict[str, Any], key_class: Any = None, **kwargs: Any
    ) -> dict[Any, Any]:
        """As Spiff's; the task map skips the registry's dispatch and parses each id once."""
        workflow = kwargs.get("workflow")
        if key_class is not UUID or workflow is None:
            restored: dict[Any, Any] = super().mapping_from_dict(  # type: ignore[misc]
                mapping, key_class, **kwargs
            )
            return restored
        parsed: dict[str, UUID] = {}
        out: dict[UUID, Any] = {}
        for key, value in mapping.items():
            if type(value) is dict and value.get("typename") == "Task":
                out[_parse(key, parsed)] = self.tasks.task_from_dict(value, workflow, parsed)
            else:
                out[_parse(key, parsed)] = self.registry.restore(value, **kwargs)
        # The texts just read are the ones the next save of this workflow writes.
        # Only canonical texts: str() prints those, and a save must write what str() prints.
        _texts_of(workflow).update(
            (id(uuid), (uuid, text))
            for text, uuid in parsed.items()
            if len(text) == 36 and text == text.lower()
        )
        return out


class FastWorkflowConverter(_FastTaskMaps, BpmnWorkflowConverter):  # type: ignore[misc]
    """Spiff's workflow converter, handing its tasks straight to the task converter."""


class FastSubWorkflowConverter(_FastTaskMaps, BpmnSubWorkflowConverter):  # type: ignore[misc]
    """Spiff's subprocess converter, the same way: a unit's part (LP13) is a subprocess of
    about twenty tasks, written at every step of its round."""


def install(registry: DefaultRegistry) -> None:
    """Replace the task and workflow converters of a configured registry with these."""
    tasks = FastTaskConverter(Task, registry)
    # Written under Spiff's own type name: a stored state does not depend on which class ran it.
    FastWorkflowConverter(FastWalkWorkflow, registry, "BpmnWorkflow").tasks = tasks
    FastSubWorkflowConverter(BpmnSubWorkflow, registry).tasks = tasks
