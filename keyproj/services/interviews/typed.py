"""Reading what the key office and the units type into the interview forms: ids, dates, the
interview's time and the commitment rows, each problem named by its field (HD6)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.clock import BEIJING
from keyproj.codes import RESPONSIBLE_UNIT_KINDS, CommitmentState
from keyproj.db.models import InterviewCommitment, Leader, Project, Unit
from keyproj.inputs import ADMIN_YEARS, LONG_TEXT, BadInput, parse_date, parse_id
from keyproj.validation import Checks

PLACE_MAX = 200
_MOMENT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}):([0-9]{2})")

LABELS = {
    "unit_id": "被约谈单位",
    "trigger": "约谈情形",
    "reason": "事由",
    "project_ids": "涉及项目",
    "requested_by_leader_id": "提出约谈的分管市领导",
    "scheduled_at": "约谈时间",
    "place": "约谈地点",
    "leader_id": "约谈领导",
    "held_on": "约谈日期",
    "minutes": "约谈记录",
    "commitments": "承诺事项",
    "dismissed_reason": "不予约谈的理由",
    "done_note": "完成情况",
}


@dataclass(frozen=True)
class CommitmentRow:
    """One row of the commitments typed at the interview: what, and by when (YYYY-MM-DD)."""

    text: str
    due_on: str


def unit(session: Session, checks: Checks, typed: str) -> Unit | None:
    """The town or department chosen as the unit interviewed."""
    if not checks.required("unit_id", typed or None):
        return None
    found = session.get(Unit, row_id(typed))
    if found is None or found.kind not in RESPONSIBLE_UNIT_KINDS or not found.active:
        checks.fail("unit_id", "请选择一个乡镇或县直部门")
        return None
    return found


def projects(session: Session, checks: Checks, typed: list[str]) -> list[Project]:
    """The projects ticked; one that does not exist is named."""
    ids = {row_id(t) for t in typed if t}
    found = list(session.scalars(select(Project).where(Project.id.in_(ids)))) if ids else []
    if len(found) != len(ids):
        checks.fail("project_ids", "所选项目不存在")
    return found


def leader(
    session: Session, checks: Checks, field: str, typed: str, required: bool
) -> Leader | None:
    """The leader chosen in ``field``."""
    if not typed:
        if required:
            checks.fail(field, "请选择领导")
        return None
    found = session.get(Leader, row_id(typed))
    if found is None:
        checks.fail(field, "所选领导不存在")
    return found


def row_id(typed: str) -> int:
    """A typed id; 0 (no row's id) when it is none, so that the caller names the field."""
    try:
        return parse_id(typed)
    except BadInput:
        return 0


def day(checks: Checks, field: str, typed: str) -> date | None:
    """A required YYYY-MM-DD date."""
    if not checks.required(field, typed or None):
        return None
    try:
        return parse_date(typed.strip(), ADMIN_YEARS)
    except BadInput as exc:
        checks.fail(field, str(exc))
        return None


def moment(checks: Checks, typed: str, now: datetime) -> datetime | None:
    """A Beijing time typed as YYYY-MM-DD HH:MM (or the browser's YYYY-MM-DDTHH:MM), not past."""
    if not checks.required("scheduled_at", typed or None):
        return None
    match = _MOMENT.fullmatch(typed.strip())
    try:
        if match is None:
            raise BadInput(f"“{typed}”不是时间，应为 YYYY-MM-DD HH:MM，如 2026-05-08 09:30")
        on = parse_date(match.group(1), ADMIN_YEARS)
        at = datetime.combine(on, time(int(match.group(2)), int(match.group(3))), BEIJING)
    except (BadInput, ValueError) as exc:
        checks.fail("scheduled_at", str(exc) if isinstance(exc, BadInput) else "时间不存在")
        return None
    if at < now:
        checks.fail("scheduled_at", "约谈时间已过，请填写今后的时间")
        return None
    return at


def commitments(
    checks: Checks, rows: list[CommitmentRow], held: date | None
) -> list[InterviewCommitment]:
    """The commitments of the rows typed (blank rows skipped), each bad row named by number;
    at least one."""
    made = []
    for number, row in enumerate(rows, 1):
        if not (row.text.strip() or row.due_on.strip()):
            continue  # a blank row of the form
        field, label = f"commitments-{number}", f"承诺事项第{number}行"
        checks.labels[f"{field}-text"] = f"{label}（事项）"
        checks.labels[f"{field}-due_on"] = f"{label}（完成期限）"
        text = checks.text(f"{field}-text", row.text, LONG_TEXT, required=True)
        due = day(checks, f"{field}-due_on", row.due_on)
        if due is not None and held is not None and due < held:
            checks.fail(f"{field}-due_on", f"完成期限 {due} 早于约谈日期 {held}")
        if text is not None and due is not None:
            made.append(
                InterviewCommitment(
                    position=number, text=text, due_on=due, state=CommitmentState.OPEN
                )
            )
    if not made and not any(e.field.startswith("commitments") for e in checks.errors):
        checks.fail("commitments", "请至少填写一项承诺事项（事项和完成期限）")
    return made
