"""The engine's faster paths change nothing: the same tasks, states, digests and stored form.

Each test drives the warning case along a path that crosses timers and escalation, and at
every step compares the fast path with SpiffWorkflow's own: the tree walk with
``BpmnTaskIterator``, the converters with Spiff's defaults, the digest with its definition.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import orjson
import pytest
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.specs.defaults import UserTask
from SpiffWorkflow.bpmn.util.task import BpmnTaskIterator
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskIterator, TaskState

from keyproj.clock import BEIJING
from keyproj.engine import CaseInstance, CompiledDefinition, quiet
from keyproj.engine import instance as instance_module
from keyproj.engine.iteration import FastWalkWorkflow, tasks_iterator, unfinished_tasks
from keyproj.engine.pristine import new_workflow
from keyproj.engine.serialization import dump_state, load_state
from tests.builders.engine import notice_parts, start_data

STARTED = datetime(2026, 2, 12, 9, tzinfo=BEIJING)
START_DATA = start_data(STARTED)
# A late notice (reminder timer), a late response (escalation timer), the county government
# (LP16) hands it to supervision.
PATH: list[tuple[datetime, str | None, dict[str, Any]]] = [
    (datetime(2026, 2, 25, 9, tzinfo=BEIJING), None, {}),
    (
        datetime(2026, 2, 25, 10, tzinfo=BEIJING),
        "issue_notice",
        {
            "issue_notice": {"level": "progress", "routing": "town"},
            "notice_issued_at": "2026-02-25T10:00:00+08:00",
            "notice_number": "连重点办预警〔2026〕1号",
            "parts": notice_parts(phases=0),  # the lead's part: a multi-instance subprocess
        },
    ),
    (datetime(2026, 3, 10, 9, tzinfo=BEIJING), None, {}),
    (
        datetime(2026, 3, 10, 10, tzinfo=BEIJING),
        "county_gov_assign",
        {"county_gov_assign": {"leader_name": "李副县长"}},
    ),
    (
        datetime(2026, 3, 10, 11, tzinfo=BEIJING),
        "county_gov_handle",
        {"county_gov_handle": {"decision": "supervision"}},
    ),
    (
        datetime(2026, 3, 11, 10, tzinfo=BEIJING),
        "supervision_file",
        {
            "supervision_file": {"due_date": "2026-12-31"},
            "supervision_due": "2026-12-31T23:59:59+08:00",
        },
    ),
    (
        datetime(2026, 3, 12, 10, tzinfo=BEIJING),
        "supervision_result",
        {"supervision_result": {"result": "已整改", "accountability": "none"}},
    ),
]
FILTERS: list[dict[str, Any]] = [
    {},
    {"state": TaskState.READY},
    {"state": TaskState.READY, "manual": True},
    {"state": TaskState.READY, "manual": False},
    {"state": TaskState.WAITING},
    {"state": TaskState.COMPLETED},
    {"state": TaskState.NOT_FINISHED_MASK},
    {"state": TaskState.PREDICTED_MASK},
    {"state": TaskState.FINISHED_MASK},
    {"spec_name": "respond"},
    {"spec_class": UserTask, "state": TaskState.DEFINITE_MASK},
    {"lane": "重点办"},
    {"end_at_spec": "respond"},
    {"max_depth": 4},
    {"skip_subprocesses": True, "state": TaskState.ANY_MASK},
]


def walk(
    definition: CompiledDefinition, deadline: Callable[[str, int], str]
) -> Iterator[CaseInstance]:
    """The instance after its start and after each step of PATH."""
    instance = CaseInstance.start(definition, dict(START_DATA), deadline, STARTED)
    yield instance
    for moment, name, data in PATH:
        instance.fire_due_timers(moment)
        if name is not None:
            task = next(t for t in instance.ready_user_tasks() if t.name == name)
            instance.complete(task.task_id, data, moment)
        yield instance


def spiff_digest(instance: CaseInstance) -> str:
    """The state digest as first defined: a recursive walk, names from TaskState.get_name."""
    rows: list[Any] = []

    def visit(task: Task) -> None:
        rows.append([task.task_spec.name, TaskState.get_name(task.state), task.data])
        sub = instance.workflow.subprocesses.get(task.id)
        if sub is not None:  # by its spec's name: a rebuilt instance gives it a fresh id
            rows.append(["subprocess", sub.spec.name])
            visit(sub.task_tree)
        for child in task.children:
            visit(child)

    visit(instance.workflow.task_tree)
    option = (
        orjson.OPT_SORT_KEYS
        | orjson.OPT_NON_STR_KEYS
        | orjson.OPT_PASSTHROUGH_DATETIME
        | orjson.OPT_PASSTHROUGH_DATACLASS
    )
    return hashlib.sha256(orjson.dumps(rows, default=str, option=option)).hexdigest()


def spiff_serializer(definition: CompiledDefinition) -> BpmnWorkflowSerializer:
    """SpiffWorkflow's own converters, naming the diagram (and a subprocess of it) by sha256
    as the stored states do."""
    subprocesses = {id(spec): name for name, spec in definition.subprocess_specs.items()}

    def ref(spec: BpmnProcessSpec) -> dict[str, str]:
        name = subprocesses.get(id(spec))
        return {"sha256": definition.sha256, **({"subprocess": name} if name else {})}

    def spec_of(dct: dict[str, str]) -> BpmnProcessSpec:
        name = dct.get("subprocess")
        return definition.subprocess_specs[name] if name else definition.spec

    registry = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
    registry.register(BpmnProcessSpec, ref, spec_of, typename="KeyprojSpecRef")
    registry.typenames[FastWalkWorkflow] = "BpmnWorkflow"  # written by Spiff's own converter
    return BpmnWorkflowSerializer(registry)


def test_the_walk_visits_the_tasks_spiff_visits_in_its_order(definition, deadline):
    for instance in walk(definition, deadline):
        workflow = instance.workflow
        for filters in FILTERS:
            fast = [t.id for t in tasks_iterator(workflow, **filters)]
            spiff = [t.id for t in BpmnTaskIterator(workflow.task_tree, **filters)]
            assert fast == spiff, filters
        assert [t.id for t in workflow.get_tasks(state=TaskState.READY)] == [
            t.id for t in BpmnTaskIterator(workflow.task_tree, state=TaskState.READY)
        ]
        unfinished = TaskIterator(workflow.task_tree, state=TaskState.NOT_FINISHED_MASK)
        assert [t.id for t in unfinished_tasks(workflow)] == [t.id for t in unfinished]
        assert instance.completed == (next(unfinished_tasks(workflow), None) is None)


def test_a_case_takes_the_same_path_with_the_fast_walk_as_with_spiffs(
    definition, deadline, monkeypatch
):
    fast = list(_states(walk(definition, deadline)))
    monkeypatch.setattr(  # built and walked by SpiffWorkflow alone
        instance_module, "new_workflow", lambda d: BpmnWorkflow(d.spec, d.subprocess_specs)
    )
    plain = walk(definition, deadline)
    steps = 0
    for a, b in zip(fast, plain, strict=True):
        assert type(b.workflow) is BpmnWorkflow
        assert a == (b.digest(), [t.name for t in b.ready_user_tasks()], b.next_timer_at())
        steps += 1
    assert steps == len(PATH) + 1
    assert b.completed
    assert b.data["case_outcome"] == "supervised"


def _states(instances: Iterator[CaseInstance]) -> Iterator[tuple[Any, ...]]:
    for i in instances:
        assert type(i.workflow) is FastWalkWorkflow
        yield i.digest(), [t.name for t in i.ready_user_tasks()], i.next_timer_at()


def test_the_digest_keeps_its_definition(definition, deadline):
    digests = [(i.digest(), spiff_digest(i)) for i in walk(definition, deadline)]
    assert all(ours == spiffs for ours, spiffs in digests)
    assert len({ours for ours, _ in digests}) == len(digests)  # every step changed the state


def test_the_stored_form_is_spiffs_and_either_reads_the_other(definition, deadline):
    spiff = spiff_serializer(definition)
    for instance in walk(definition, deadline):
        ours = dump_state(instance.workflow)
        assert ours == spiff.to_dict(instance.workflow)
        ours_read = load_state(definition, spiff.to_dict(instance.workflow))
        spiff_read = spiff.from_dict({**ours, "subprocesses": dict(ours["subprocesses"])})
        assert type(spiff_read) is BpmnWorkflow
        assert type(ours_read) is FastWalkWorkflow
        assert spiff.to_dict(ours_read) == spiff.to_dict(spiff_read) == ours
        assert [t.data for t in ours_read.tasks.values()] == [
            t.data for t in spiff_read.tasks.values()
        ]


@pytest.mark.parametrize("early", [timedelta(days=2), timedelta(seconds=1), timedelta(0)])
def test_a_step_before_any_timer_is_due_changes_nothing(definition, deadline, early):
    """Nothing due (a timer fires strictly after its time) and nothing automatic ready: no run."""
    instance = CaseInstance.start(definition, dict(START_DATA), deadline, STARTED)
    due = instance.next_timer_at()
    assert due is not None
    before = dump_state(instance.workflow)
    assert instance.fire_due_timers(due - early) == []
    assert dump_state(instance.workflow) == before
    assert instance.fire_due_timers(due + timedelta(seconds=1)) == ["notice_overdue"]
    assert dump_state(instance.workflow) != before


def test_a_new_workflow_is_a_copy_of_one_built_from_scratch_with_its_own_ids(definition):
    built = BpmnWorkflow(definition.spec, definition.subprocess_specs)
    first, second = new_workflow(definition), new_workflow(definition)
    assert type(first) is FastWalkWorkflow
    assert _shape(dump_state(first)) == _shape(spiff_serializer(definition).to_dict(built))
    assert _shape(dump_state(first)) == _shape(dump_state(second))
    assert not set(first.tasks) & set(second.tasks)
    assert not set(first.tasks) & set(built.tasks)
    first.task_tree.data["warning_id"] = 1  # a case's data is its own
    assert second.task_tree.data == {}


def _shape(state: dict[str, Any]) -> dict[str, Any]:
    """A stored state with task ids numbered by position and without timestamps."""
    number = {task_id: str(i) for i, task_id in enumerate(state["tasks"])}
    text = orjson.dumps(state).decode()
    for task_id, n in number.items():
        text = text.replace(task_id, f"task-{n}")
    shaped: dict[str, Any] = orjson.loads(text)
    for task in shaped["tasks"].values():
        task.pop("last_state_change")
    return shaped


def engine_log_lines(definition, deadline, caplog) -> list[tuple[str, str, str, str]]:
    """The engine's task log lines along PATH: level, text, task and state (ids and times vary)."""
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="spiff.task"):
        for _ in walk(definition, deadline):
            pass
    return [
        (r.levelname, r.getMessage(), r.__dict__["task_spec"], r.__dict__["state"])
        for r in caplog.records
        if r.name == "spiff.task"
    ]


def test_the_engine_logs_each_state_change_as_spiff_does_when_its_log_is_on(
    definition, deadline, caplog, monkeypatch
):
    ours = engine_log_lines(definition, deadline, caplog)
    monkeypatch.setattr(Task, "_set_state", quiet.SPIFF_SET_STATE)
    spiffs = engine_log_lines(definition, deadline, caplog)
    assert any(text == "State changed to COMPLETED" for _, text, _, _ in ours)
    assert ours == spiffs


def test_a_quiet_engine_log_builds_no_state_change_line(definition, deadline, monkeypatch):
    def refuse(*_: object) -> dict[str, object]:
        raise AssertionError("a line nobody keeps was built")

    monkeypatch.setattr(Task, "collect_log_extras", refuse)
    logging.getLogger("spiff").setLevel(logging.WARNING)  # as keyproj.runtime leaves it
    try:
        states = [i.digest() for i in walk(definition, deadline)]
    finally:
        logging.getLogger("spiff").setLevel(logging.NOTSET)
    assert len(states) == len(PATH) + 1


def test_a_ready_task_is_found_by_its_id_as_the_walk_finds_it(definition, deadline):
    found_ready = 0
    for instance in walk(definition, deadline):
        workflow = instance.workflow
        manual = {
            str(t.id)
            for t in BpmnTaskIterator(workflow.task_tree, state=TaskState.READY, manual=True)
        }
        every = [*workflow.tasks, *(i for s in workflow.subprocesses.values() for i in s.tasks)]
        assert len(every) > len(manual)  # finished and waiting tasks, a subprocess's too
        for task_id in map(str, every):
            found = instance.ready_task(task_id)
            assert (found is not None) == (task_id in manual), task_id
            assert found is None or str(found.id) == task_id
            found_ready += found is not None
        assert instance.ready_task("not-an-id") is None
        assert instance.ready_task("00000000-0000-4000-8000-000000000000") is None
    assert found_ready >= len(PATH)  # a user task waited at (nearly) every step


def test_a_case_read_back_and_stepped_on_stores_spiffs_form(definition, deadline):
    """A workflow read from its stored form knows its ids' texts; each later save writes them
    as Spiff writes them, the tasks it adds too."""
    spiff = spiff_serializer(definition)
    instance = CaseInstance.start(definition, dict(START_DATA), deadline, STARTED)
    steps = 0
    for moment, name, data in PATH:
        instance = CaseInstance.load(definition, dump_state(instance.workflow), deadline)
        assert dump_state(instance.workflow) == spiff.to_dict(instance.workflow)
        instance.fire_due_timers(moment)
        if name is not None:
            task = next(t for t in instance.ready_user_tasks() if t.name == name)
            instance.complete(task.task_id, data, moment)
        assert dump_state(instance.workflow) == spiff.to_dict(instance.workflow)
        steps += 1
    assert steps == len(PATH)
    assert instance.completed
