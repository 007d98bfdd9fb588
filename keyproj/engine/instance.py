"""One case's process instance: start, load, advance by user input or timers, digest, dump."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import ErrorEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException, TaskNotFoundException
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from keyproj.engine import (
    ids,
    quiet,  # noqa: F401  (the state-change log built only when kept)
)
from keyproj.engine.clock import engine_time, step_time
from keyproj.engine.definitions import CompiledDefinition
from keyproj.engine.iteration import unfinished_tasks
from keyproj.engine.pristine import new_workflow
from keyproj.engine.scripts import CompiledTaskDataEnvironment
from keyproj.engine.serialization import dump_state, load_state, register
from keyproj.errors import DomainError

DeadlineFn = Callable[[str, int], str]
# Compact, key-sorted UTF-8 JSON; dates and dataclasses go through str() like any other value.
_DIGEST_JSON = (
    orjson.OPT_SORT_KEYS
    | orjson.OPT_NON_STR_KEYS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
)

_STATE_NAMES = {state: TaskState.get_name(state) for state in TaskState._values}


def _state_name(state: int) -> str:
    """TaskState.get_name without rebuilding its table at every call."""
    return _STATE_NAMES.get(state) or TaskState.get_name(state)  # type: ignore[no-any-return]


@contextmanager
def domain_errors() -> Iterator[None]:
    """Re-raise the domain error behind a script failure (e.g. CalendarYearMissing from
    ``working_deadline``): SpiffWorkflow wraps whatever a diagram's script raises."""
    try:
        yield
    except SpiffWorkflowException as exc:
        # SpiffWorkflow raises its wrapper while handling the script's error: it is the context.
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, DomainError):
            spec = getattr(exc, "task_spec", None)
            cause.add_note(f"raised in the diagram at {getattr(spec, 'bpmn_name', None) or spec}")
            raise cause from None
        raise


@dataclass(frozen=True)
class ReadyTask:
    """A user task waiting for someone: its engine id, name and lane, and its deadline."""

    task_id: str
    name: str
    title: str
    lane: str
    form: str
    due_at: datetime | None
    due_working_days: int | None  # counted from when the task became ready (no timer guards it)
    unit_id: int | None = None  # the one unit this task is for, when the diagram names its key
    part_unit_id: int | None = None  # the unit whose part (LP13) the task belongs to, if any
    proposal: dict[str, Any] | None = None  # the values its form starts with (UserTaskSpec)
    # The case's escalation as this task's branch sees it: parallel branches keep their own data.
    escalation_reason: str | None = None


@dataclass(frozen=True)
class FiredTimer:
    """A timer that fired, and the unit whose own task it guarded (a unit's part, LP13), if any."""

    name: str
    unit_id: int | None


def _dotted(data: dict[str, Any], key: str) -> Any:
    """The value under a dotted data key (``part.unit_id``, ``follow_up.due``), or None."""
    value: Any = data
    for name in key.split("."):
        value = value.get(name) if isinstance(value, dict) else None
    return value


def _unit_of(data: dict[str, Any], key: str) -> int | None:
    """The unit id under a dotted data key (``part.unit_id``), if the task's data holds one."""
    value = _dotted(data, key)
    return int(value) if value is not None else None


class CaseInstance:
    """A SpiffWorkflow instance whose every step runs at an explicit time (see engine.clock)."""

    def __init__(
        self, definition: CompiledDefinition, workflow: BpmnWorkflow, deadline: DeadlineFn
    ):
        self.definition = definition
        self.workflow = workflow
        self._digest: str | None = None  # memoized until the next step changes the state
        self._ready: list[ReadyTask] | None = None
        self.last_fired: list[FiredTimer] = []  # the timers the last fire_due_timers fired
        register(definition)
        self.use_deadline(deadline)

    def use_deadline(self, deadline: DeadlineFn) -> None:
        """Give the diagram's scripts this ``working_deadline`` (an instance kept for a later
        transaction gets that transaction's) and ``now()``, the step's time."""
        self.workflow.script_engine = PythonScriptEngine(
            environment=CompiledTaskDataEnvironment(
                {"working_deadline": deadline, "now": step_time}
            )
        )

    @classmethod
    def start(
        cls,
        definition: CompiledDefinition,
        data: dict[str, Any],
        deadline: DeadlineFn,
        now: datetime,
    ) -> CaseInstance:
        """A new instance with ``data``, run until it waits for people or timers."""
        workflow = new_workflow(definition)
        instance = cls(definition, workflow, deadline)
        for task in workflow.get_tasks(state=TaskState.READY):
            task.set_data(**data)
        instance._run(now)
        return instance

    @classmethod
    def load(
        cls, definition: CompiledDefinition, state: dict[str, Any], deadline: DeadlineFn
    ) -> CaseInstance:
        """An instance rebuilt from stored state (the script engine is not serialized)."""
        return cls(definition, load_state(definition, state), deadline)

    def dump(self) -> dict[str, Any]:
        """The state to store (without the diagram)."""
        return dump_state(self.workflow)

    # --- advancing -----------------------------------------------------------------------

    def fire_due_timers(self, now: datetime) -> list[str]:
        """Fire every timer due by ``now`` and run on; the names of the timers that fired."""
        self.last_fired = []
        if self._idle_at(now):
            return []
        before = set(self._fired_timers())
        self._run(now)
        # Keyed by the timer task: one timer of the diagram fires once per unit's part.
        self.last_fired = [
            fired for key, fired in self._fired_timers().items() if key not in before
        ]
        return list(dict.fromkeys(fired.name for fired in self.last_fired))

    def complete(self, task_id: str, data: dict[str, Any], now: datetime) -> None:
        """Complete a READY user task with ``data`` and run on (the caller fires timers first);
        ``last_fired`` then holds the timers the step fired."""
        task = self.ready_task(task_id)
        if task is None:
            raise KeyError(task_id)
        self._digest = self._ready = None
        before = set(self._fired_timers())
        task.data.update(data)
        with domain_errors(), engine_time(now):
            task.run()
        self._run(now)
        # A task the step made ready may already be past a reminder's date (a notice reached
        # after its deadline): that timer fires within this step, and the caller logs it.
        self.last_fired = [
            fired for key, fired in self._fired_timers().items() if key not in before
        ]

    def ready_task(self, task_id: str) -> Task | None:
        """The READY user task with this id, if it is still READY.

        Found by its id, not by walking the tree for READY tasks (twice a completion); a task
        of a subprocess counts only while the tasks that hold it are open, as in the walk.
        """
        try:
            task = self.workflow.get_task_from_id(ids.parse(task_id))
        except (ValueError, TaskNotFoundException):
            return None
        if task._state != TaskState.READY or not task.task_spec.manual:
            return None
        return task if self._reachable(task) else None

    def _reachable(self, task: Task) -> bool:
        """False for a task of a subprocess whose calling task has finished: the walk for
        READY tasks does not look inside such a subprocess."""
        top, flow = self.workflow, task.workflow
        while flow is not top:
            caller = top.get_task_from_id(flow.parent_task_id)
            if caller._state >= TaskState.FINISHED_MASK:
                return False
            flow = caller.workflow
        return True

    def _run(self, now: datetime) -> None:
        # do_engine_steps ends by refreshing timers, which only makes a due timer READY; the
        # timer's path runs on the next pass, so keep stepping until nothing automatic is left.
        self._digest = self._ready = None
        with domain_errors(), engine_time(now):
            self.workflow.refresh_timers()
            self.workflow.do_engine_steps()
            while self.workflow.get_next_task(state=TaskState.READY, manual=False):
                self.workflow.do_engine_steps()

    def _idle_at(self, now: datetime) -> bool:
        """True when running the engine at ``now`` would change nothing.

        That is the usual case before a user's step: every waiting task is a date timer not yet
        due (SpiffWorkflow fires one strictly after its time) and nothing automatic is ready.
        Error events are thrown only by the engine's own steps; anything else (another kind of
        event, a timer not yet evaluated) says no. Subprocesses (the units' parts) share the
        top workflow's event manager; their own trees are checked for ready automatic tasks.
        """
        workflow = self.workflow
        if now.tzinfo is None:  # a naive now is refused by _run
            return False
        for task in workflow.event_manager.tasks.values():
            definition = task.task_spec.event_definition
            if isinstance(definition, ErrorEventDefinition):
                continue
            if not isinstance(definition, TimeDateEventDefinition):
                return False
            value = task._get_internal_data("event_value")
            if value is None or task._get_internal_data("event_fired", False):
                return False
            if TimerEventDefinition.parse_time_or_duration(value) < now:
                return False
        return not any(
            task._state == TaskState.READY and not task.task_spec.manual
            for flow in (workflow, *workflow.subprocesses.values())
            for task in flow.tasks.values()
        )

    @staticmethod
    def _timer_target(task: Task) -> datetime | None:
        definition = getattr(task.task_spec, "event_definition", None)
        if not isinstance(definition, TimerEventDefinition):
            return None
        value = task._get_internal_data("event_value")
        if value is None:
            # The same evaluation SpiffWorkflow does when the timer first waits.
            with domain_errors():
                value = task.workflow.script_engine.evaluate(task, definition.expression)
            task._set_internal_data(event_value=value)
        target: datetime = TimerEventDefinition.parse_time_or_duration(value)
        return target

    # --- reading -------------------------------------------------------------------------

    def ready_user_tasks(self) -> list[ReadyTask]:
        """The user tasks waiting for people, in diagram order."""
        if self._ready is not None:
            return list(self._ready)
        out = []
        for task in self.workflow.get_tasks(state=TaskState.READY, manual=True):
            spec = self.definition.user_tasks[task.task_spec.name]
            due = _dotted(task.data, spec.due_key) if spec.due_key else None
            days = task.data.get(spec.due_working_days_key) if spec.due_working_days_key else None
            unit = _unit_of(task.data, spec.unit_key) if spec.unit_key else None
            part_key = spec.part_unit_key or spec.unit_key
            part = _unit_of(task.data, part_key) if part_key else None
            proposal = _dotted(task.data, spec.proposal_key) if spec.proposal_key else None
            out.append(
                ReadyTask(
                    str(task.id),
                    spec.name,
                    spec.title,
                    spec.lane,
                    spec.form,
                    datetime.fromisoformat(due) if due else None,
                    int(days) if days is not None else None,
                    unit,
                    part,
                    dict(proposal) if isinstance(proposal, dict) else None,
                    str(task.data["escalation_reason"])
                    if task.data.get("escalation_reason")
                    else None,
                )
            )
        self._ready = out
        return list(out)

    def next_timer_at(self) -> datetime | None:
        """When the earliest waiting timer is due, if any timer waits."""
        targets = [
            t
            for t in (
                self._timer_target(task) for task in self.workflow.event_manager.tasks.values()
            )
            if t is not None
        ]
        return min(targets, default=None)

    @property
    def completed(self) -> bool:
        """True when the process has ended (SpiffWorkflow's ``is_completed``, over the fast walk)."""
        workflow = self.workflow
        if not workflow.completed and next(unfinished_tasks(workflow), None) is None:
            workflow.completed = True
        return bool(workflow.completed)

    @property
    def data(self) -> dict[str, Any]:
        """The case data as the latest finished task sees it."""
        last = self.workflow.last_task
        return dict(last.data) if last is not None else {}

    def digest(self) -> str:
        """A sha256 of the state that does not depend on task ids or wall-clock stamps.

        Replay rebuilds an instance with fresh task ids; this hash must still match the log.
        """
        if self._digest is not None:
            return self._digest
        rows: list[Any] = []
        subprocesses = self.workflow.subprocesses
        stack = [self.workflow.task_tree]
        while stack:  # depth first, a task before its children, children in order
            task = stack.pop()
            rows.append([task.task_spec.name, _state_name(task._state), task.data])
            tasks = task.workflow.tasks
            stack.extend(tasks.get(child) for child in reversed(task._children))
            sub = subprocesses.get(task.id) if subprocesses else None
            if sub is not None:
                # A subprocess's tree where its task stands (before the task's children), by
                # position, never by its id: replay rebuilds subprocesses with fresh ids.
                rows.append(["subprocess", sub.spec.name])
                stack.append(sub.task_tree)
        self._digest = hashlib.sha256(
            orjson.dumps(rows, default=str, option=_DIGEST_JSON)
        ).hexdigest()
        return self._digest

    def _fired_timers(self) -> dict[Any, FiredTimer]:
        # Every (sub)workflow's own tasks: a part the lead's lateness cancelled keeps its timer.
        workflow = self.workflow
        return {
            task.id: FiredTimer(task.task_spec.name, self._guarded_unit(task))
            for flow in (workflow, *workflow.subprocesses.values())
            for task in flow.tasks.values()
            if task._state == TaskState.COMPLETED
            and isinstance(getattr(task.task_spec, "event_definition", None), TimerEventDefinition)
        }

    def _guarded_unit(self, timer: Task) -> int | None:
        """The unit of the user task an interrupting boundary timer guards, when that task names
        one: that unit's part is late (LP17). A reminding timer leaves the task open: no unit."""
        if not getattr(timer.task_spec, "cancel_activity", True):
            return None
        split = timer.parent
        for sibling in split.children if split is not None else ():
            spec = self.definition.user_tasks.get(sibling.task_spec.name)
            if spec is not None and spec.unit_key:
                return _unit_of(timer.data, spec.unit_key)
        return None
