"""Opening a case for writing and saving it in one transaction: state, tasks, timer, events."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from keyproj.audit import EventRecord, seal
from keyproj.calendar import WorkCalendar
from keyproj.clock import BEIJING
from keyproj.db.models import Case, CaseEvent, HumanTask, HumanTaskCandidate
from keyproj.engine import CaseInstance, ReadyTask
from keyproj.engine.serialization import SERIALIZER_VERSION
from keyproj.errors import Conflict, NotFound
from keyproj.services import lanes
from keyproj.services.calendar import load_calendar
from keyproj.services.definitions import compiled

STATE_ENCODING = f"{SERIALIZER_VERSION}+json+zlib"
OPEN_TASK = ("ready", "claimed")
DeadlineFn = Callable[[str, int], str]


def deadline_fn(session: Session) -> DeadlineFn:
    """The scripts' ``working_deadline``: the calendar is loaded only if a script asks."""
    calendar: list[WorkCalendar] = []

    def working_deadline(start: str, days: int) -> str:
        if not calendar:
            calendar.append(load_calendar(session))
        return calendar[0].deadline(datetime.fromisoformat(start), int(days)).isoformat()

    return working_deadline


def encode_state(state: dict[str, Any]) -> bytes:
    """The stored form of an engine state: compact JSON, compressed (about a fifth of the size)."""
    return zlib.compress(json.dumps(state, separators=(",", ":")).encode("utf-8"), 1)


def decode_state(blob: bytes) -> dict[str, Any]:
    """The engine state back from its stored form."""
    result: dict[str, Any] = json.loads(zlib.decompress(blob))
    return result


@dataclass
class PendingEvent:
    """An event to append when the case is saved."""

    kind: str
    state_hash: str
    data: dict[str, Any] = field(default_factory=dict)
    actor_id: int | None = None
    unit_id: int | None = None
    task_id: str | None = None
    task_name: str | None = None


@dataclass
class OpenCase:
    """A case loaded for writing, with the events its changes will append."""

    case: Case
    instance: CaseInstance
    now: datetime
    deadline: DeadlineFn
    events: list[PendingEvent] = field(default_factory=list)

    def record(self, kind: str, **kwargs: Any) -> None:
        """Queue an event carrying the state as it is now (replay checks each step's hash)."""
        self.events.append(PendingEvent(kind, self.instance.digest(), **kwargs))


def open_case(
    session: Session, case_id: int, now: datetime, skip_locked: bool = False
) -> OpenCase | None:
    """Lock and load a case (SELECT … FOR UPDATE on PostgreSQL); None if skipped as locked."""
    query = select(Case).where(Case.id == case_id)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=skip_locked)
    case = session.scalar(query)
    if case is None:
        if skip_locked:
            return None
        raise NotFound(f"案件 {case_id} 不存在")
    deadline = deadline_fn(session)
    instance = CaseInstance.load(compiled(case.definition), decode_state(case.state), deadline)
    return OpenCase(case, instance, now, deadline)


def save_case(session: Session, opened: OpenCase, completed: HumanTask | None = None) -> None:
    """Write tasks, state, next timer and the queued events; a concurrent writer raises Conflict."""
    case, instance = opened.case, opened.instance
    _materialize_tasks(session, opened, completed)
    case.state = encode_state(instance.dump())
    case.serializer_version = STATE_ENCODING
    case.state_hash = instance.digest()
    case.next_timer_at = None if instance.completed else instance.next_timer_at()
    try:
        session.flush()  # the version check comes first: a stale writer appends nothing
        _append_events(session, opened)
        session.flush()
    except (StaleDataError, IntegrityError):
        raise Conflict("案件已被他人同时处理，请刷新后重试") from None


def new_task_rows(session: Session, opened: OpenCase, ready: list[ReadyTask]) -> list[HumanTask]:
    """Rows for tasks that just became ready, with their candidate units and deadlines."""
    rows = []
    for task in ready:
        due = task.due_at
        if due is None and task.due_working_days is not None:
            start = opened.now.astimezone(BEIJING).isoformat()
            due = datetime.fromisoformat(opened.deadline(start, task.due_working_days))
        row = HumanTask(
            case_id=opened.case.id,
            engine_task_id=task.task_id,
            name=task.name,
            title=task.title,
            lane=task.lane,
            form=task.form,
            status="ready",
            due_at=due,
            ready_at=opened.now,
        )
        row.candidates = [
            HumanTaskCandidate(unit_id=u)
            for u in lanes.candidate_units(session, opened.case, task.lane)
        ]
        session.add(row)
        opened.record(
            "task_ready",
            task_id=task.task_id,
            task_name=task.name,
            data={
                "title": task.title,
                "lane": task.lane,
                "due_at": due.isoformat() if due else None,
            },
        )
        rows.append(row)
    return rows


def open_task_rows(session: Session, case_id: int) -> list[HumanTask]:
    """The case's tasks that are ready or claimed."""
    return list(
        session.scalars(
            select(HumanTask).where(HumanTask.case_id == case_id, HumanTask.status.in_(OPEN_TASK))
        )
    )


def _materialize_tasks(session: Session, opened: OpenCase, completed: HumanTask | None) -> None:
    ready = {t.task_id: t for t in opened.instance.ready_user_tasks()}
    known: set[str] = set()
    for row in open_task_rows(session, opened.case.id):
        known.add(row.engine_task_id)
        if row.engine_task_id not in ready and row is not completed:
            row.status = "cancelled"  # an interrupting timer took the case elsewhere
    new_task_rows(session, opened, [t for tid, t in ready.items() if tid not in known])


def _append_events(session: Session, opened: OpenCase) -> None:
    case = opened.case
    for pending in opened.events:
        record = seal(
            EventRecord(
                case_id=case.id,
                seq=case.event_count + 1,
                kind=pending.kind,
                actor_id=pending.actor_id,
                unit_id=pending.unit_id,
                task_id=pending.task_id,
                task_name=pending.task_name,
                data=pending.data,
                occurred_at=opened.now,
                state_hash=pending.state_hash,
            ),
            case.last_event_hash,
        )
        session.add(CaseEvent(**asdict(record)))
        case.event_count, case.last_event_hash = record.seq, record.hash
    opened.events.clear()
