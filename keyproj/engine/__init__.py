"""The BPMN engine: the only package that imports SpiffWorkflow."""

from keyproj.engine.definitions import (
    CompiledDefinition,
    DefinitionError,
    UserTaskSpec,
    compile_definition,
)
from keyproj.engine.elements import Elements, elements_of
from keyproj.engine.instance import CaseInstance, FiredTimer, ReadyTask

__all__ = [
    "CaseInstance",
    "CompiledDefinition",
    "DefinitionError",
    "Elements",
    "FiredTimer",
    "ReadyTask",
    "UserTaskSpec",
    "compile_definition",
    "elements_of",
]
