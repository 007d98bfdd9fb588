"""Workflow state to and from JSON-able dicts, without the diagram (kept once per definition).

A serializer is not thread-safe, so each thread gets its own.
"""

from __future__ import annotations

import threading
from typing import Any

from SpiffWorkflow.bpmn.serializer.workflow import VERSION as SPIFF_SERIALIZER_VERSION
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from keyproj.engine.definitions import CompiledDefinition

SERIALIZER_VERSION = f"spiff-{SPIFF_SERIALIZER_VERSION}"
_local = threading.local()
_SPEC_KEYS = ("spec", "subprocess_specs")


def serializer() -> BpmnWorkflowSerializer:
    """This thread's serializer."""
    found = getattr(_local, "serializer", None)
    if found is None:
        found = _local.serializer = BpmnWorkflowSerializer(
            BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
        )
    return found


def dump_state(workflow: BpmnWorkflow) -> dict[str, Any]:
    """The workflow's state as a dict, minus the diagram (about half the size)."""
    state = serializer().to_dict(workflow)
    for key in _SPEC_KEYS:
        state.pop(key, None)
    return state


def load_state(definition: CompiledDefinition, state: dict[str, Any]) -> BpmnWorkflow:
    """A workflow rebuilt from a state dict and the definition it is pinned to."""
    full = dict(state)
    full.update(_spec_dicts(definition))
    return serializer().from_dict(full)


def _spec_dicts(definition: CompiledDefinition) -> dict[str, Any]:
    cache: dict[str, dict[str, Any]] = getattr(_local, "spec_dicts", None) or {}
    _local.spec_dicts = cache
    if definition.sha256 not in cache:
        empty = BpmnWorkflow(definition.spec, definition.subprocess_specs)
        whole = serializer().to_dict(empty)
        cache[definition.sha256] = {key: whole[key] for key in _SPEC_KEYS}
    return cache[definition.sha256]
