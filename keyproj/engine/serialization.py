"""Workflow state to and from JSON-able dicts; the diagram is stored once, not in every state.

The serializer refers to the diagram by its sha256 instead of embedding it (about 9 KB of
a 17 KB state), and restores it from the compiled-definition cache: loading a case then
skips rebuilding the diagram. A serializer is not thread-safe, so each thread gets its own.
"""

from __future__ import annotations

import threading
from typing import Any

from SpiffWorkflow.bpmn.serializer.workflow import VERSION as SPIFF_SERIALIZER_VERSION
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

from keyproj.engine import codec
from keyproj.engine.definitions import CompiledDefinition

SERIALIZER_VERSION = f"spiff-{SPIFF_SERIALIZER_VERSION}+specref"
_local = threading.local()
# Compiled specs are immutable and shared by every instance of their definition.
# Keyed by the diagram's sha256, and for a subprocess's spec by "sha256/subprocess name".
_SPECS: dict[str, BpmnProcessSpec] = {}
_SHAS: dict[int, dict[str, str]] = {}


def register(definition: CompiledDefinition) -> None:
    """Make a definition's spec (and its subprocesses' specs) known to the serializer."""
    _SPECS[definition.sha256] = definition.spec
    _SHAS[id(definition.spec)] = {"sha256": definition.sha256}
    for name, spec in definition.subprocess_specs.items():
        _SPECS[f"{definition.sha256}/{name}"] = spec
        _SHAS[id(spec)] = {"sha256": definition.sha256, "subprocess": name}


def serializer() -> BpmnWorkflowSerializer:
    """This thread's serializer."""
    found = getattr(_local, "serializer", None)
    if found is None:
        registry = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
        registry.register(BpmnProcessSpec, _spec_ref, _spec_from_ref, typename="KeyprojSpecRef")
        codec.install(registry)
        found = _local.serializer = BpmnWorkflowSerializer(registry)
    return found


def dump_state(workflow: BpmnWorkflow) -> dict[str, Any]:
    """The workflow's state as a JSON-able dict that names its diagram by sha256."""
    state: dict[str, Any] = serializer().to_dict(workflow)
    return state


def load_state(definition: CompiledDefinition, state: dict[str, Any]) -> BpmnWorkflow:
    """A workflow rebuilt from a state dict of ``definition``."""
    register(definition)
    ref = state.get("spec", {}).get("sha256")
    if ref != definition.sha256:
        raise ValueError(f"state belongs to diagram {ref}, not {definition.sha256}")
    # Spiff pops each subprocess from the mapping it reads: give it a copy, not the caller's.
    state = {**state, "subprocesses": dict(state.get("subprocesses") or {})}
    workflow: BpmnWorkflow = serializer().from_dict(state)
    return workflow


def _spec_ref(spec: BpmnProcessSpec) -> dict[str, str]:
    return dict(_SHAS[id(spec)])


def _spec_from_ref(dct: dict[str, str]) -> BpmnProcessSpec:
    sub = dct.get("subprocess")
    return _SPECS[f"{dct['sha256']}/{sub}" if sub else dct["sha256"]]
