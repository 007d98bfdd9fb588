"""A case's follow-up as its log tells it: the long matter's report cycles (LP18 动态报告) and
the open tasks a reminding timer flagged overdue.

Read from the case events, not the engine state: the log keeps every cycle, with the time
each task became ready, its deadline, each report and each reminder.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from keyproj.codes import OVERDUE_TIMERS, REMINDING_TIMERS, Timer
from keyproj.db.models import CaseEvent
from keyproj.services.cases import events
from keyproj.services.cases.events import EventKind

EVALUATE_TASK = "evaluate"
REPORT_TASK = "long_progress_report"
ACCEPT_TASK = "accept_long_resolution"
LONG_TERM = "long_term"  # the evaluation's decision that starts the follow-up
_KINDS = (EventKind.TASK_READY, EventKind.COMPLETED, EventKind.TIMER_FIRED)


@dataclass
class ReportCycle:
    """One report cycle: its deadline, the reminders sent, the report and the key office's review."""

    number: int
    due_at: datetime | None
    reminded: bool = False
    overdue: bool = False  # the deadline passed with the report still open (the unit was told)
    reported_at: datetime | None = None
    progress: str = ""
    resolved: bool | None = None
    review: str | None = None  # the key office's verdict on a reported resolution

    @property
    def on_time(self) -> bool | None:
        """Whether the report came by its deadline; None while it has not come."""
        if self.reported_at is None or self.due_at is None:
            return None
        return self.reported_at <= self.due_at

    @property
    def status(self) -> str:
        """How the cycle stands, as the case page says it."""
        if self.reported_at is not None:
            return "按期报告" if self.on_time else "逾期报告"
        if self.overdue:
            return "已逾期，待报告"
        return "即将到期，待报告" if self.reminded else "待报告"


@dataclass
class LongMatter:
    """A matter under long-term follow-up: since when, why, and its cycles in order."""

    since: datetime
    reason: str
    cycles: list[ReportCycle] = field(default_factory=list)

    @property
    def current(self) -> ReportCycle | None:
        """The cycle whose report is awaited, if one is."""
        last = self.cycles[-1] if self.cycles else None
        return last if last is not None and last.reported_at is None else None

    @property
    def next_due(self) -> datetime | None:
        """The deadline of the awaited report."""
        return self.current.due_at if self.current else None

    @property
    def late_reports(self) -> int:
        """How many reports came after their deadline."""
        return sum(1 for c in self.cycles if c.on_time is False)


@dataclass(frozen=True)
class FollowUp:
    """The long matter (None unless the key office chose it) and the overdue-flagged tasks."""

    long_matter: LongMatter | None
    flagged: frozenset[str]  # diagram names of open tasks whose overdue timer fired


def case_follow_up(session: Session, case_id: int) -> FollowUp:
    """The follow-up state of a case, from the events that tell it (one query)."""
    query = (
        select(CaseEvent)
        .where(
            CaseEvent.case_id == case_id,
            CaseEvent.kind.in_(_KINDS),
            or_(
                CaseEvent.kind == EventKind.TIMER_FIRED,
                CaseEvent.task_name.in_({EVALUATE_TASK, REPORT_TASK, ACCEPT_TASK}),
                CaseEvent.task_name.in_(set(REMINDING_TIMERS.values())),
            ),
        )
        .order_by(CaseEvent.seq)
    )
    logged = list(session.scalars(query))
    return FollowUp(long_matter_of(logged), flagged_tasks(logged))


def flagged_tasks(logged: Iterable[CaseEvent]) -> frozenset[str]:
    """Tasks an overdue timer flagged since they last became ready, and not yet completed."""
    flagged: set[str] = set()
    for event in logged:
        if event.kind == EventKind.TIMER_FIRED:
            fired = events.read_timer_fired(event)
            flagged.update(REMINDING_TIMERS[t] for t in fired if t in OVERDUE_TIMERS)
        elif event.task_name:
            flagged.discard(event.task_name)  # ready again (a new cycle) or completed
    return frozenset(flagged)


def long_matter_of(logged: Iterable[CaseEvent]) -> LongMatter | None:
    """The long matter the events tell of, if the evaluation chose long-term follow-up (LP18)."""
    matter: LongMatter | None = None
    for event in logged:
        if matter is None:
            matter = _started(event)
            continue
        cycle = matter.cycles[-1] if matter.cycles else None
        if event.kind == EventKind.TASK_READY and event.task_name == REPORT_TASK:
            due = events.read_task_ready(event).due_at
            number = len(matter.cycles) + 1
            matter.cycles.append(ReportCycle(number, datetime.fromisoformat(due) if due else None))
        elif event.kind == EventKind.TIMER_FIRED and cycle is not None:
            fired = events.read_timer_fired(event)
            cycle.reminded = cycle.reminded or Timer.LONG_REPORT_REMIND in fired
            cycle.overdue = cycle.overdue or Timer.LONG_REPORT_OVERDUE in fired
        elif event.kind == EventKind.COMPLETED and cycle is not None:
            _completed(cycle, event)
    return matter


def _started(event: CaseEvent) -> LongMatter | None:
    if event.kind != EventKind.COMPLETED or event.task_name != EVALUATE_TASK:
        return None
    form = events.read_completed(event).form
    if form.get("decision") != LONG_TERM:
        return None
    return LongMatter(event.occurred_at, str(form.get("opinion") or ""))


def _completed(cycle: ReportCycle, event: CaseEvent) -> None:
    form = events.read_completed(event).form
    if event.task_name == REPORT_TASK:
        cycle.reported_at = event.occurred_at
        cycle.progress = str(form.get("progress") or "")
        cycle.resolved = form.get("resolved") == "yes"
    elif event.task_name == ACCEPT_TASK:
        verdict = "认可，办结" if form.get("decision") == "accepted" else "不认可，继续跟进"
        opinion = str(form.get("opinion") or "")
        cycle.review = f"{verdict}：{opinion}" if opinion else verdict
