"""An in-memory warning case for the engine tests: no database, the diagram, a real calendar."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from chinese_calendar import constants

from keyproj.calendar import WorkCalendar
from keyproj.engine import CaseInstance, CompiledDefinition, ReadyTask, compile_definition
from tests.builders.clock import FrozenClock
from tests.builders.forms import form

DIAGRAM = Path(__file__).parents[2] / "bpmn" / "warning_case.bpmn"
Deadline = Callable[[str, int], str]


def compiled_diagram(key: str = "warning_case") -> CompiledDefinition:
    """A shipped diagram (``bpmn/<key>.bpmn``, Lianping's by default), compiled."""
    return compile_definition((DIAGRAM.parent / f"{key}.bpmn").read_text(encoding="utf-8"), key)


def working_day_deadline() -> Deadline:
    """Deadlines by chinesecalendar's holidays: (ISO start, working days) → ISO deadline."""
    cal = WorkCalendar.build(
        {d.year for d in constants.holidays}, constants.holidays, constants.workdays
    )
    return lambda start, n: cal.deadline(datetime.fromisoformat(start), n).isoformat()


LEAD, PHASE_TOWN, PHASE_DEPT = 11, 12, 13  # the unit ids of notice_parts()


def notice_parts(phases: int = 2) -> list[dict[str, Any]]:
    """The LP13 parts the notice names: a lead unit, then ``phases`` phase units (at most 2)."""
    lead = {"unit_id": LEAD, "unit_code": "LPFG", "unit_name": "连平县发改局", "role": "lead"}
    others = [
        {"unit_id": PHASE_TOWN, "unit_code": "LPYX", "unit_name": "元善镇", "role": "phase"},
        {
            "unit_id": PHASE_DEPT,
            "unit_code": "LPZR",
            "unit_name": "连平县自然资源局",
            "role": "phase",
        },
    ]
    return [lead, *others[:phases]]


def follow_up_item(unit_id: int, code: str, due_date: str) -> dict[str, Any]:
    """A follow-up item as the hook leaves it: the owner's id, the deadline at 23:59:59 Beijing."""
    return {
        "unit_code": code,
        "matter": f"{code}落实征地补偿款拨付",
        "due_date": due_date,
        "unit_id": unit_id,
        "unit_name": code,
        "due": f"{due_date}T23:59:59+08:00",
    }


def onsite_meeting(*items: dict[str, Any]) -> dict[str, Any]:
    """The leader held an on-site office meeting whose minutes create ``items``."""
    handled = form(
        "county_gov_handle",
        decision="onsite_meeting",
        meeting_minutes="现场办公会议明确征地补偿款拨付和施工许可办理的责任单位及时限。",
        follow_ups=[{k: i[k] for k in ("unit_code", "matter", "due_date")} for i in items],
    )
    return {"county_gov_handle": handled, "follow_ups": list(items)}


def start_data(moment: datetime, **overrides: Any) -> dict[str, Any]:
    """A case's start data for a red LP11-1 warning with Lianping's working days."""
    return {
        "warning_id": 1,
        "rule_id": "LP11-1",
        "level": "progress",
        "colour": "red",
        "started_at": moment.isoformat(),
        "entry": "warning",
        "notice_working_days": 3,
        "response_working_days": 3,
        "outcome_working_days": 10,
        "evaluate_working_days": 3,
        "county_gov_assign_working_days": 3,
        "county_gov_handling_working_days": 10,
        "county_gov_check_working_days": 5,
        "supervision_working_days": 10,
        "long_report_working_days": 10,
        "long_remind_working_days_before": 1,
        **overrides,
    }


class InMemoryCase:
    """Drives one in-memory instance on a frozen clock, round-tripping its state at every step."""

    def __init__(self, definition: CompiledDefinition, deadline: Deadline, clock: FrozenClock):
        self.definition, self.deadline, self.clock = definition, deadline, clock
        self._instance: CaseInstance | None = None

    @property
    def instance(self) -> CaseInstance:
        """The running instance."""
        assert self._instance is not None, "the case has not been started"
        return self._instance

    def at(self, moment: datetime) -> datetime:
        """Freeze the clock at ``moment``; the engine gets it as its now."""
        return self.clock.at(moment)

    def start(self, moment: datetime, **overrides: Any) -> None:
        """Start a case of a red LP11-1 warning with Lianping's working days (or ``overrides``)."""
        now = self.at(moment)
        data = start_data(moment, **overrides)
        self._instance = CaseInstance.start(self.definition, data, self.deadline, now)
        self.round_trip()

    def round_trip(self) -> None:
        """Store and reload the state as the services do; nothing may change."""
        digest = self.instance.digest()
        stored = json.loads(json.dumps(self.instance.dump()))
        self._instance = CaseInstance.load(self.definition, stored, self.deadline)
        assert self.instance.digest() == digest

    def waiting(self) -> list[str]:
        """The names of the ready user tasks."""
        return [t.name for t in self.instance.ready_user_tasks()]

    def waiting_parts(self) -> list[tuple[str, int | None]]:
        """The ready user tasks as (name, the unit whose part it is), in diagram order."""
        return [(t.name, t.part_unit_id) for t in self.instance.ready_user_tasks()]

    def due(self, name: str, unit: int | None = None) -> str:
        """The ISO deadline of the ready task ``name`` (of ``unit``'s part, when given)."""
        task = self._ready(name, unit)
        assert task.due_at is not None
        return task.due_at.isoformat()

    def _ready(self, name: str, unit: int | None) -> ReadyTask:
        return next(
            t
            for t in self.instance.ready_user_tasks()
            if t.name == name and (unit is None or t.part_unit_id == unit)
        )

    def fire(self, moment: datetime) -> list[str]:
        """Fire the timers due at ``moment``; their names."""
        fired = self.instance.fire_due_timers(self.at(moment))
        self.round_trip()
        return fired

    def submit(
        self, moment: datetime, name: str, data: dict[str, Any], unit: int | None = None
    ) -> None:
        """Submit as the services do: due timers first, then the task if it is still there
        (``unit``: the task of that unit's part, when several units each have one)."""
        now = self.at(moment)
        self.instance.fire_due_timers(now)
        self.round_trip()
        task = self._ready(name, unit)
        self.instance.complete(task.task_id, data, now)
        self.round_trip()
