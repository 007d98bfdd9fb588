"""Decided items follow their cases' steps: the owner's report, the deadline passed, the
office's acceptance (AL13 一是, DC3 三(三), GS6).

Called by the step, in the case's own transaction, so an item never disagrees with its case.
A deadline missed where the profile holds it against the owner (Alxa, AL13 一是) goes on the
owner unit's record at once, as an accountability record of the case.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.codes import DecidedItemState, Failure, Timer
from keyproj.db.models import AccountabilityRecord, DecidedItem

if TYPE_CHECKING:
    from keyproj.services.cases.events import Actor
    from keyproj.services.cases.repository import OpenCase

CARRY_OUT_TASK = "carry_out_item"
ACCEPT_TASK = "accept_item"
REVIEW_TASK = "item_overdue_review"
# AL13: 严肃追究部门主要负责人和直接责任人的责任，旗委对其进行诫勉谈话和予以通报批评。
AL13_PERSON = "部门主要负责人和直接责任人"
AL13_MEASURE = "旗委诫勉谈话、通报批评"


def after_completion(
    session: Session, opened: OpenCase, actor: Actor, task_name: str, data: dict[str, Any]
) -> None:
    """The owner's report is kept on the item; the office's acceptance closes or reopens it."""
    if task_name not in (CARRY_OUT_TASK, ACCEPT_TASK):
        return
    item = item_of_case(session, opened.case.id)
    if item is None:
        return
    form = data.get(task_name) or {}
    if task_name == CARRY_OUT_TASK:
        item.report = f"{form.get('report', '')}\n佐证材料：{form.get('evidence', '')}"
        # Reported, not yet done: it waits for the office's acceptance (accept_item).
        item.state, item.reported_at = DecidedItemState.REPORTED, opened.now
    elif form.get("decision") == "accepted":
        item.state, item.done_at = DecidedItemState.DONE, opened.now
    else:
        item.state = DecidedItemState.REJECTED
        item.rejection_reason = str(form.get("opinion") or "")
        item.due_on = date.fromisoformat(str(data["due_on"]))


def after_timers(session: Session, opened: OpenCase, fired: list[str]) -> None:
    """AL13 一是: the deadline passed without the item done; it is overdue, and where the
    profile says so the owner unit is held accountable."""
    if Timer.ITEM_OVERDUE not in fired:
        return
    item = item_of_case(session, opened.case.id)
    if item is None:
        return
    item.state, item.overdue_at = DecidedItemState.OVERDUE, opened.now
    if opened.instance.data.get("decided_item_accountability"):
        session.add(
            AccountabilityRecord(
                matter_id=None,
                case_id=opened.case.id,
                unit_id=item.owner_unit_id,
                person=AL13_PERSON,
                failure=Failure.MEETING_DECISION_LATE,
                measure=AL13_MEASURE,
                recorded_at=opened.now,
                recorded_by_id=None,
            )
        )


def item_of_case(session: Session, case_id: int) -> DecidedItem | None:
    """The decided item a case carries out, if the case is one."""
    return session.scalar(select(DecidedItem).where(DecidedItem.case_id == case_id))
