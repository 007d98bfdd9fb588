"""The kinds of case events: one builder per kind, and one reader per payload.

The stored shape of every payload is written here and read here only; the rows already in
the log (and the hashes sealed over them) must keep reading the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from keyproj.db.models import HumanTask
    from keyproj.engine import ReadyTask
    from keyproj.services.access import Viewer

NOTICE_TASK = "issue_notice"  # the diagram's LP13 task, whose completion issues the notice


class EventKind(StrEnum):
    """What happened to a case; the value is what the log stores."""

    CASE_STARTED = "case_started"
    TASK_READY = "task_ready"
    CLAIMED = "claimed"
    RELEASED = "released"
    COMPLETED = "completed"
    SUBMISSION_REFUSED = "submission_refused"
    TIMER_FIRED = "timer_fired"
    ESCALATED = "escalated"
    CLOSED = "closed"
    PROGRESS_UPDATE = "progress_update"
    COMMENT = "comment"
    INSTRUCTION = "instruction"  # a county leader's 批示 on the case
    INSTRUCTION_ANSWERED = "instruction_answered"  # a unit's submitted task answered a 批示
    WARNING_MERGED = "warning_merged"  # LP13: the key office joined another warning to the case
    PART_LATE = "part_late"  # LP17: one unit's own part missed its deadline (the unit is named)
    CASE_MIGRATED = "case_migrated"  # X3: moved to another version of its diagram


# Kinds whose recorded input changes the engine state; every other kind leaves it as it was.
ENGINE_INPUTS = frozenset(
    {EventKind.CASE_STARTED, EventKind.COMPLETED, EventKind.TIMER_FIRED, EventKind.CASE_MIGRATED}
)
UPDATE_KINDS = (EventKind.PROGRESS_UPDATE, EventKind.COMMENT)


class Actor(Protocol):
    """Who acts on a case: a user (a Viewer), or the key office itself (no account) when the
    profile lets routine notices go out automatically."""

    @property
    def user_id(self) -> int | None:
        """The acting account, if any."""

    @property
    def unit_id(self) -> int | None:
        """The unit acted for."""


@dataclass(frozen=True)
class OfficeActor:
    """The key office acting without an account (the profile's automatic notices)."""

    unit_id: int | None
    user_id: int | None = None


@dataclass(frozen=True)
class NewEvent:
    """An event a step produced; the case's save seals it into the log."""

    kind: EventKind
    data: dict[str, Any] = field(default_factory=dict)
    actor_id: int | None = None
    unit_id: int | None = None
    task_id: str | None = None
    task_name: str | None = None


class Logged(Protocol):
    """A stored event as the readers need it (a CaseEvent row or an audit EventRecord)."""

    @property
    def kind(self) -> str:
        """The stored kind (an EventKind value)."""

    @property
    def data(self) -> dict[str, Any]:
        """The stored payload."""

    @property
    def task_name(self) -> str | None:
        """The diagram name of the task the event is about, if any."""


# --- builders ----------------------------------------------------------------------------


def case_started(start: dict[str, Any], definition_version: int) -> NewEvent:
    """The case opened with ``start`` as its data, on this version of the diagram."""
    return NewEvent(
        EventKind.CASE_STARTED, {"start": start, "definition_version": definition_version}
    )


def task_ready(task: ReadyTask, due_at: datetime | None) -> NewEvent:
    """A user task became ready (the inbox row is written with it); a unit's own part (LP13)
    names its unit, so the timeline shows whose part it is."""
    data: dict[str, Any] = {
        "title": task.title,
        "lane": task.lane,
        "due_at": due_at.isoformat() if due_at else None,
    }
    part = task.part_unit_id
    if part is not None:
        data["part_unit_id"] = part
    if task.proposal:  # what the diagram proposes its form starts with (AL13's triggers)
        data["proposal"] = task.proposal
    return NewEvent(EventKind.TASK_READY, data, None, part, task.task_id, task.name)


def claimed(viewer: Viewer, task: HumanTask) -> NewEvent:
    """The viewer took the task."""
    return by_task(EventKind.CLAIMED, viewer, task, {})


def released(viewer: Viewer, task: HumanTask) -> NewEvent:
    """The viewer gave the task back to the unit's inbox."""
    return by_task(EventKind.RELEASED, viewer, task, {})


def task_completed(viewer: Actor, task: HumanTask, engine_input: dict[str, Any]) -> NewEvent:
    """The viewer completed the task; ``engine_input`` is exactly what the engine received
    (a unit's own part names the unit: replay finds the same part's task by it)."""
    part = {"part_unit_id": task.part_unit_id} if task.part_unit_id is not None else {}
    return by_task(EventKind.COMPLETED, viewer, task, {"input": engine_input, **part})


def submission_refused(
    viewer: Viewer,
    task: HumanTask,
    submitted: dict[str, Any],
    deadline: datetime | None,
    now_waiting_for: list[str],
) -> NewEvent:
    """A submission after the deadline, kept as typed, with where the case had gone."""
    data = {
        "submitted": submitted,
        "deadline": deadline.isoformat() if deadline else None,
        "now_waiting_for": now_waiting_for,
    }
    return by_task(EventKind.SUBMISSION_REFUSED, viewer, task, data)


def timer_fired(timers: list[str]) -> NewEvent:
    """Timers (by diagram name) fired and the case moved on."""
    return NewEvent(EventKind.TIMER_FIRED, {"timers": timers})


def part_late(timer: str, unit_id: int) -> NewEvent:
    """A unit's own part missed its deadline (``timer``: response_late or outcome_late, LP17)."""
    return NewEvent(EventKind.PART_LATE, {"timer": timer, "unit_id": unit_id}, unit_id=unit_id)


def escalated(reason: str) -> NewEvent:
    """The case went up to the county government (LP16), for ``reason``."""
    return NewEvent(EventKind.ESCALATED, {"reason": reason})


def closed(outcome: str) -> NewEvent:
    """The case ended with ``outcome``."""
    return NewEvent(EventKind.CLOSED, {"outcome": outcome})


def update(kind: EventKind, viewer: Viewer, text: str) -> NewEvent:
    """A progress update (LP18) or a comment."""
    if kind not in UPDATE_KINDS:
        raise ValueError(f"{kind} is not an update kind")
    return NewEvent(kind, {"text": text}, actor_id=viewer.user_id, unit_id=viewer.unit_id)


def warning_merged(actor: Actor, warning: MergedWarning) -> NewEvent:
    """The key office joined a warning of the same project to the case (LP13)."""
    data = {
        "warning_id": warning.warning_id,
        "rule_id": warning.rule_id,
        "period": warning.period,
        "level": warning.level,
        "colour": warning.colour,
        "summary": warning.summary,
    }
    return NewEvent(EventKind.WARNING_MERGED, data, actor_id=actor.user_id, unit_id=actor.unit_id)


def by_task(kind: EventKind, viewer: Actor, task: HumanTask, data: dict[str, Any]) -> NewEvent:
    """An event of ``kind`` by ``viewer`` about ``task``."""
    return NewEvent(
        kind,
        data,
        actor_id=viewer.user_id,
        unit_id=viewer.unit_id,
        task_id=task.engine_task_id,
        task_name=task.name,
    )


# --- readers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Started:
    """The start data of a case and the diagram version it is pinned to."""

    start: dict[str, Any]
    definition_version: int

    @property
    def profile(self) -> str | None:
        """The policy profile the case was started under."""
        value = self.start.get("profile")
        return str(value) if value is not None else None


@dataclass(frozen=True)
class TaskReady:
    """A task that became ready: its title and lane as they were then, and its deadline."""

    title: str | None
    lane: str
    due_at: str | None
    part_unit_id: int | None = None  # the unit whose own part it is (LP13)
    proposal: dict[str, Any] | None = None  # the values the task's form starts with


@dataclass(frozen=True)
class Completed:
    """What the engine received: the form under the task's name, plus what the office added."""

    engine_input: dict[str, Any]
    form: dict[str, Any]
    part_unit_id: int | None = None  # the unit whose own part the task was (LP13)


@dataclass(frozen=True)
class PartLate:
    """One unit's part missed its deadline: which timer, and the unit."""

    timer: str
    unit_id: int


@dataclass(frozen=True)
class Notice:
    """The LP13 notice as its completion recorded it."""

    number: str
    issued_at: str | None
    lead_unit_id: int | None
    form: dict[str, Any]


@dataclass(frozen=True)
class MergedWarning:
    """A warning joined to a case: which one, and what it said (its evidence summary)."""

    warning_id: int
    rule_id: str
    period: str
    level: str
    colour: str
    summary: str


@dataclass(frozen=True)
class Refused:
    """A late submission: the form as typed, the deadline, and the tasks the case had reached."""

    submitted: dict[str, Any]
    deadline: str | None
    now_waiting_for: list[str]


def read_started(event: Logged) -> Started:
    """The payload of a ``case_started`` event."""
    data = payload(event, EventKind.CASE_STARTED)
    return Started(dict(data.get("start") or {}), int(data.get("definition_version") or 1))


def read_task_ready(event: Logged) -> TaskReady:
    """The payload of a ``task_ready`` event."""
    data = payload(event, EventKind.TASK_READY)
    part = data.get("part_unit_id")
    proposal = data.get("proposal")
    return TaskReady(
        data.get("title"),
        data.get("lane") or "",
        data.get("due_at"),
        int(part) if part else None,
        dict(proposal) if isinstance(proposal, dict) else None,
    )


def read_completed(event: Logged) -> Completed:
    """The payload of a ``completed`` event."""
    data = payload(event, EventKind.COMPLETED)
    engine_input = data.get("input") or {}
    form = engine_input.get(event.task_name or "")
    part = data.get("part_unit_id")
    return Completed(
        engine_input, form if isinstance(form, dict) else {}, int(part) if part else None
    )


def read_part_late(event: Logged) -> PartLate:
    """The payload of a ``part_late`` event."""
    data = payload(event, EventKind.PART_LATE)
    return PartLate(str(data.get("timer") or ""), int(data.get("unit_id") or 0))


def read_notice(event: Logged) -> Notice | None:
    """The notice an event issued, if it is the completion of the notice task."""
    if event.kind != EventKind.COMPLETED or event.task_name != NOTICE_TASK:
        return None
    done = read_completed(event)
    lead = done.engine_input.get("lead_unit_id")
    return Notice(
        number=done.engine_input.get("notice_number") or "",
        issued_at=done.engine_input.get("notice_issued_at"),
        lead_unit_id=int(lead) if lead else None,
        form=done.form,
    )


def read_refused(event: Logged) -> Refused:
    """The payload of a ``submission_refused`` event."""
    data = payload(event, EventKind.SUBMISSION_REFUSED)
    return Refused(
        data.get("submitted") or {}, data.get("deadline"), list(data.get("now_waiting_for") or [])
    )


def read_submitted_form(event: Logged) -> dict[str, Any]:
    """The form a completion or a refused submission carried; empty for other kinds."""
    if event.kind == EventKind.COMPLETED:
        return read_completed(event).form
    if event.kind == EventKind.SUBMISSION_REFUSED:
        return read_refused(event).submitted
    return {}


def read_timer_fired(event: Logged) -> list[str]:
    """The diagram names of the timers that fired."""
    return list(payload(event, EventKind.TIMER_FIRED).get("timers") or [])


def read_escalated(event: Logged) -> str:
    """Why the case was escalated (an escalation reason code)."""
    return str(payload(event, EventKind.ESCALATED).get("reason") or "")


def read_closed(event: Logged) -> str:
    """The outcome the case closed with."""
    return str(payload(event, EventKind.CLOSED).get("outcome") or "")


def read_merged(event: Logged) -> MergedWarning:
    """The payload of a ``warning_merged`` event."""
    data = payload(event, EventKind.WARNING_MERGED)
    return MergedWarning(
        int(data.get("warning_id") or 0),
        str(data.get("rule_id") or ""),
        str(data.get("period") or ""),
        str(data.get("level") or ""),
        str(data.get("colour") or ""),
        str(data.get("summary") or ""),
    )


def read_update(event: Logged) -> str:
    """The text of a progress update or a comment."""
    if event.kind not in UPDATE_KINDS:
        raise ValueError(f"a {event.kind} event is not an update")
    return str((event.data or {}).get("text") or "")


def payload(event: Logged, kind: EventKind) -> dict[str, Any]:
    """The stored data of an event of ``kind`` (a reader of another kind's event is a bug)."""
    if event.kind != kind:
        raise ValueError(f"a {event.kind} event is not {kind}")
    return event.data or {}
