"""The BPMN engine: the only package that imports SpiffWorkflow."""

from keyproj.engine.definitions import (
    CompiledDefinition,
    DefinitionError,
    UserTaskSpec,
    compile_definition,
)
from keyproj.engine.instance import CaseInstance, ReadyTask

__all__ = [
    "CaseInstance",
    "CompiledDefinition",
    "DefinitionError",
    "ReadyTask",
    "UserTaskSpec",
    "compile_definition",
]
