"""Engine tests need no database: the diagram, a calendar built from chinesecalendar, a clock."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from chinese_calendar import constants

from keyproj.calendar import WorkCalendar
from keyproj.engine import CaseInstance, CompiledDefinition, compile_definition
from tests.clock import FrozenClock

DIAGRAM = Path(__file__).parents[2] / "bpmn" / "warning_case.bpmn"


@pytest.fixture(scope="session")
def definition() -> CompiledDefinition:
    return compile_definition(DIAGRAM.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def deadline() -> Callable[[str, int], str]:
    cal = WorkCalendar.build(
        {d.year for d in constants.holidays}, constants.holidays, constants.workdays
    )
    return lambda start, n: cal.deadline(datetime.fromisoformat(start), n).isoformat()


class Case:
    """Drives one in-memory instance under time-machine, round-tripping its state at every step."""

    def __init__(self, definition: CompiledDefinition, deadline: Callable[[str, int], str]):
        self.definition, self.deadline = definition, deadline
        self.instance: CaseInstance | None = None
        self.clock = FrozenClock()

    def at(self, moment: datetime) -> datetime:
        """Freeze the clock at ``moment``; the services and engine get it as their now."""
        return self.clock.at(moment)

    def start(self, moment: datetime, **overrides: Any) -> None:
        now = self.at(moment)
        data = {
            "warning_id": 1,
            "rule_id": "LP11-1",
            "level": "progress",
            "colour": "red",
            "started_at": moment.isoformat(),
            "notice_working_days": 3,
            "response_working_days": 3,
            "outcome_working_days": 10,
            "evaluate_working_days": 3,
            "county_gov_handling_working_days": 10,
            "supervision_working_days": 10,
        }
        data.update(overrides)
        self.instance = CaseInstance.start(self.definition, data, self.deadline, now)
        self.round_trip()

    def round_trip(self) -> None:
        """Store and reload the state as the services do; nothing may change."""
        assert self.instance is not None
        digest = self.instance.digest()
        stored = json.loads(json.dumps(self.instance.dump()))
        self.instance = CaseInstance.load(self.definition, stored, self.deadline)
        assert self.instance.digest() == digest

    def waiting(self) -> list[str]:
        assert self.instance is not None
        return [t.name for t in self.instance.ready_user_tasks()]

    def due(self, name: str) -> str:
        assert self.instance is not None
        task = next(t for t in self.instance.ready_user_tasks() if t.name == name)
        assert task.due_at is not None
        return task.due_at.isoformat()

    def fire(self, moment: datetime) -> list[str]:
        assert self.instance is not None
        fired = self.instance.fire_due_timers(self.at(moment))
        self.round_trip()
        return fired

    def submit(self, moment: datetime, name: str, data: dict[str, Any]) -> None:
        """Submit as the services do: due timers first, then the task if it is still there."""
        assert self.instance is not None
        now = self.at(moment)
        self.instance.fire_due_timers(now)
        task = next(t for t in self.instance.ready_user_tasks() if t.name == name)
        self.instance.complete(task.task_id, data, now)
        self.round_trip()

    def stop(self) -> None:
        self.clock.stop()


@pytest.fixture
def case(definition, deadline):
    driver = Case(definition, deadline)
    yield driver
    driver.stop()
