"""The case events of county leaders' instructions (批示): one builder and one reader per kind.

Their stored shape is written here and read here only, as for every other kind in ``events``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from keyproj.services.cases.events import EventKind, Logged, NewEvent, by_task, payload

if TYPE_CHECKING:
    from keyproj.db.models import HumanTask
    from keyproj.services.access import Viewer


def instruction(viewer: Viewer, instruction_id: int, text: str, due_on: str | None) -> NewEvent:
    """A county leader's instruction (批示) on the case, with its optional deadline (a date)."""
    data = {"instruction_id": instruction_id, "text": text, "due_on": due_on}
    return NewEvent(EventKind.INSTRUCTION, data, actor_id=viewer.user_id, unit_id=viewer.unit_id)


def instruction_answered(viewer: Viewer, task: HumanTask, instruction_id: int) -> NewEvent:
    """The viewer's completion of ``task`` answered the instruction ``instruction_id``."""
    data = {"instruction_id": instruction_id, "task_title": task.title}
    return by_task(EventKind.INSTRUCTION_ANSWERED, viewer, task, data)


@dataclass(frozen=True)
class Instruction:
    """A leader's instruction as its event recorded it."""

    instruction_id: int
    text: str
    due_on: str | None


@dataclass(frozen=True)
class Answered:
    """Which instruction a unit's submitted task answered."""

    instruction_id: int
    task_title: str


def read_instruction(event: Logged) -> Instruction:
    """The payload of an ``instruction`` event."""
    data = payload(event, EventKind.INSTRUCTION)
    return Instruction(
        int(data.get("instruction_id") or 0), str(data.get("text") or ""), data.get("due_on")
    )


def read_instruction_answered(event: Logged) -> Answered:
    """The payload of an ``instruction_answered`` event."""
    data = payload(event, EventKind.INSTRUCTION_ANSWERED)
    return Answered(int(data.get("instruction_id") or 0), str(data.get("task_title") or ""))
