"""Parsing and checking a BPMN diagram into an executable definition, cached by its sha256."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from keyproj.codes import Lane
from keyproj.errors import DomainError

# Lane names are roles, resolved to units by the services (DESIGN: lanes and routing).
KNOWN_LANES = tuple(Lane)


class DefinitionError(DomainError):
    """A diagram cannot be deployed; the message says which element and why."""

    def __init__(self, message: str, element_id: str | None = None):
        super().__init__(message)
        self.element_id = element_id  # the offending element's id, when the parser names one


@dataclass(frozen=True)
class UserTaskSpec:
    """What the services need to know of one user task of a diagram."""

    name: str
    title: str
    lane: str
    form: str
    due_key: str | None = None  # data key holding the absolute deadline (ISO, +08:00)
    due_working_days_key: str | None = None  # data key holding N working days from readiness
    # Data key holding the one unit this task is for (a lead or phase unit's own part, a
    # follow-up item's owner); without it the lane's units are the candidates.
    unit_key: str | None = None
    # Data key holding the unit whose part an office task is about (LP16: the county
    # government coordinating one phase unit's part); the lane's units stay the candidates.
    part_unit_key: str | None = None
    # Data key holding the values the task's form starts with: the diagram's proposal, which the
    # user confirms or changes (AL13: the triggers the case met).
    proposal_key: str | None = None


@dataclass(frozen=True)
class CompiledDefinition:
    """A parsed diagram: the executable spec plus its user tasks, keyed by sha256."""

    process_id: str
    sha256: str
    xml: str
    spec: BpmnProcessSpec = field(repr=False)
    subprocess_specs: dict[str, Any] = field(repr=False)
    user_tasks: dict[str, UserTaskSpec] = field(repr=False)


def sha256_of(xml: str) -> str:
    """The hex sha256 of a diagram's text (its identity for deployment)."""
    return hashlib.sha256(xml.encode("utf-8")).hexdigest()


def compile_definition(xml: str, process_id: str = "warning_case") -> CompiledDefinition:
    """Parse and check a diagram; identical text is parsed once per process."""
    return _compile(xml, process_id, sha256_of(xml))


@lru_cache(maxsize=64)
def _compile(xml: str, process_id: str, digest: str) -> CompiledDefinition:
    parser = SpiffBpmnParser()
    try:
        parser.add_bpmn_str(xml.encode("utf-8"))
        spec = parser.get_spec(process_id)
        subprocesses = parser.get_subprocess_specs(process_id)
    except (ValidationException, SpiffWorkflowException) as exc:
        raise DefinitionError(f"流程图无法解析：{exc}", getattr(exc, "id", None) or None) from None
    except Exception as exc:  # lxml and parser internals raise many kinds
        raise DefinitionError(f"流程图无法解析（{type(exc).__name__}）：{exc}") from None
    tasks = _user_tasks([spec, *subprocesses.values()])
    return CompiledDefinition(process_id, digest, xml, spec, subprocesses, tasks)


def _user_tasks(specs: list[BpmnProcessSpec]) -> dict[str, UserTaskSpec]:
    """The user tasks of the process and of its subprocesses (a multi-instance subprocess's
    tasks, e.g. each follow-up item of an on-site meeting, wait for people too)."""
    tasks: dict[str, UserTaskSpec] = {}
    specs_tasks = [item for spec in specs for item in spec.task_specs.items()]
    for name, task_spec in specs_tasks:
        if not getattr(task_spec, "manual", False):  # user and manual tasks wait for people
            continue
        props = (getattr(task_spec, "extensions", None) or {}).get("properties", {})
        title = task_spec.bpmn_name or name
        if task_spec.lane not in KNOWN_LANES:
            raise DefinitionError(
                f"任务“{title}”（{name}）所在泳道“{task_spec.lane}”不是已知角色：{'、'.join(KNOWN_LANES)}",
                name,
            )
        if not props.get("form"):
            raise DefinitionError(f"任务“{title}”（{name}）缺少表单属性 form", name)
        tasks[name] = UserTaskSpec(
            name,
            title,
            task_spec.lane,
            props["form"],
            props.get("due"),
            props.get("dueWorkingDays"),
            props.get("unit"),
            props.get("partUnit"),
            proposal_key=props.get("proposal"),
        )
    return tasks
