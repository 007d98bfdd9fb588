"""What a case's completed tasks said, for the read models of its parts: the latest form of each
task, a choice's title in its form, and where an open task with a deadline stands."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import OPEN_TASK, TaskStatus
from keyproj.db.models import CaseEvent, HumanTask
from keyproj.forms import load_form
from keyproj.services.cases import events
from keyproj.services.cases.events import EventKind

TaskState = Literal["done", "overdue", "open"]


def latest_completions(
    session: Session, case_id: int, task_names: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """The latest completion of each of these tasks, by name: its form and its engine input."""
    query = (
        select(CaseEvent)
        .where(
            CaseEvent.case_id == case_id,
            CaseEvent.kind == EventKind.COMPLETED,
            CaseEvent.task_name.in_(list(task_names)),
        )
        .order_by(CaseEvent.seq)
    )
    out: dict[str, dict[str, Any]] = {}
    for event in session.scalars(query):
        done = events.read_completed(event)
        out[event.task_name or ""] = {"form": done.form, "input": done.engine_input}
    return out


def choice_title(form: str, name: str, value: Any) -> str | None:
    """A choice's Chinese title in the form's schema (the value itself if unknown; None for
    None). A list field's choices are its items'."""
    if value is None:
        return None
    prop = load_form(form).get("properties", {}).get(name, {})
    choices = prop.get("items", prop).get("oneOf", [])
    return str({o.get("const"): o.get("title") for o in choices}.get(value, value))


def task_state(row: HumanTask, now: datetime) -> TaskState:
    """Done, overdue (its deadline passed: its timer flagged and reminded it, still open) or open."""
    if row.status == TaskStatus.COMPLETED:
        return "done"
    if row.status in OPEN_TASK and row.due_at is not None and row.due_at < now:
        return "overdue"
    return "open"
