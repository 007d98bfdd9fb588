"""The county government's part of a case (LP16), as the case and task pages show it: the leader
in charge 县府办 named, the coordination, an on-site meeting's minutes and each follow-up item
with its owner, deadline and state (open, overdue, done), and 县府办's check."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import OPEN_TASK, TaskStatus
from keyproj.db.models import CaseEvent, HumanTask
from keyproj.forms import load_form
from keyproj.services.cases import events
from keyproj.services.cases.events import EventKind

COUNTY_TASKS = ("county_gov_assign", "county_gov_handle", "county_gov_follow_up_check")
FOLLOW_UP_TASK = "follow_up_item"
ITEM_STATES = {"open": "落实中", "overdue": "已逾期", "done": "已落实"}


@dataclass(frozen=True)
class FollowUpItem:
    """One follow-up item of the minutes: its owner unit, matter, deadline and where it stands."""

    owner: str
    matter: str
    due_at: datetime | None
    state: str  # open, overdue, done
    report: str | None = None
    task_id: int | None = None

    @property
    def state_label(self) -> str:
        """The state as users read it."""
        return ITEM_STATES[self.state]


@dataclass
class CountyGovPart:
    """What the county government did on a case so far (each part None until it happened)."""

    leader_name: str | None = None
    summary: str | None = None
    coordination: str | None = None
    decision: str | None = None  # the decision's label
    meeting_minutes: str | None = None
    items: list[FollowUpItem] = field(default_factory=list)
    check: str | None = None  # the check's label and opinion


def county_gov_part(session: Session, case_id: int, now: datetime) -> CountyGovPart | None:
    """The case's county government part, or None when the case never reached it."""
    done = _completions(session, case_id)
    rows = list(
        session.scalars(
            select(HumanTask)
            .where(
                HumanTask.case_id == case_id, HumanTask.name.in_((*COUNTY_TASKS, FOLLOW_UP_TASK))
            )
            .order_by(HumanTask.id)
        )
    )
    if not rows:
        return None
    part = CountyGovPart()
    assign = done.get("county_gov_assign", {}).get("form", {})
    part.leader_name, part.summary = assign.get("leader_name"), assign.get("summary")
    handle = done.get("county_gov_handle", {})
    handled = handle.get("form", {})
    part.coordination = handled.get("coordination")
    part.decision = _label("county_gov_handle", "decision", handled.get("decision"))
    part.meeting_minutes = handled.get("meeting_minutes")
    reports = {e.task_id: events.read_completed(e).form for e in _item_reports(session, case_id)}
    item_rows = [r for r in rows if r.name == FOLLOW_UP_TASK]
    items = handle.get("input", {}).get("follow_ups") or []
    part.items = [
        _item(item, row, reports, now) for item, row in zip(items, item_rows, strict=False)
    ]
    checked = done.get("county_gov_follow_up_check", {}).get("form", {})
    if checked:
        label = _label("county_gov_follow_up_check", "decision", checked.get("decision"))
        part.check = f"{label}：{checked.get('opinion', '')}"
    return part


def _item(
    item: dict[str, Any], row: HumanTask, reports: dict[str | None, dict[str, Any]], now: datetime
) -> FollowUpItem:
    if row.status == TaskStatus.COMPLETED:
        state = "done"
    elif row.status in OPEN_TASK and row.due_at is not None and row.due_at < now:
        state = "overdue"  # its timer has fired: flagged and reminded, still open
    else:
        state = "open"
    report = reports.get(row.engine_task_id, {}).get("report")
    owner = str(item.get("unit_name") or item.get("unit_code") or "")
    return FollowUpItem(owner, str(item.get("matter", "")), row.due_at, state, report, row.id)


def _completions(session: Session, case_id: int) -> dict[str, dict[str, Any]]:
    """The latest completion of each county government task: its form and engine input."""
    query = (
        select(CaseEvent)
        .where(
            CaseEvent.case_id == case_id,
            CaseEvent.kind == EventKind.COMPLETED,
            CaseEvent.task_name.in_(COUNTY_TASKS),
        )
        .order_by(CaseEvent.seq)
    )
    out: dict[str, dict[str, Any]] = {}
    for event in session.scalars(query):
        done = events.read_completed(event)
        out[event.task_name or ""] = {"form": done.form, "input": done.engine_input}
    return out


def _item_reports(session: Session, case_id: int) -> list[CaseEvent]:
    query = select(CaseEvent).where(
        CaseEvent.case_id == case_id,
        CaseEvent.kind == EventKind.COMPLETED,
        CaseEvent.task_name == FOLLOW_UP_TASK,
    )
    return list(session.scalars(query))


def _label(form: str, name: str, value: Any) -> str | None:
    """A choice's Chinese title in the form's schema (the value itself if unknown)."""
    if value is None:
        return None
    prop = load_form(form).get("properties", {}).get(name, {})
    titles = {o.get("const"): o.get("title") for o in prop.get("oneOf", [])}
    return str(titles.get(value, value))
