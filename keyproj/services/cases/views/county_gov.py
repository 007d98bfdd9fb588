"""The county government's part of a case (LP16), as the case and task pages show it: the leader
in charge 县府办 named, the coordination, an on-site meeting's minutes and each follow-up item
with its owner, deadline and state (open, overdue, done), and 县府办's check."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.db.models import CaseEvent, HumanTask
from keyproj.services.cases import events
from keyproj.services.cases.events import EventKind
from keyproj.services.cases.views.completions import choice_title, latest_completions, task_state

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
    done = latest_completions(session, case_id, COUNTY_TASKS)
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
    part.decision = choice_title("county_gov_handle", "decision", handled.get("decision"))
    part.meeting_minutes = handled.get("meeting_minutes")
    reports = {e.task_id: events.read_completed(e).form for e in _item_reports(session, case_id)}
    item_rows = [r for r in rows if r.name == FOLLOW_UP_TASK]
    items = handle.get("input", {}).get("follow_ups") or []
    part.items = [
        _item(item, row, reports, now) for item, row in zip(items, item_rows, strict=False)
    ]
    checked = done.get("county_gov_follow_up_check", {}).get("form", {})
    if checked:
        label = choice_title("county_gov_follow_up_check", "decision", checked.get("decision"))
        part.check = f"{label}：{checked.get('opinion', '')}"
    return part


def _item(
    item: dict[str, Any], row: HumanTask, reports: dict[str | None, dict[str, Any]], now: datetime
) -> FollowUpItem:
    state = task_state(row, now)
    report = reports.get(row.engine_task_id, {}).get("report")
    owner = str(item.get("unit_name") or item.get("unit_code") or "")
    return FollowUpItem(owner, str(item.get("matter", "")), row.due_at, state, report, row.id)


def _item_reports(session: Session, case_id: int) -> list[CaseEvent]:
    query = select(CaseEvent).where(
        CaseEvent.case_id == case_id,
        CaseEvent.kind == EventKind.COMPLETED,
        CaseEvent.task_name == FOLLOW_UP_TASK,
    )
    return list(session.scalars(query))
