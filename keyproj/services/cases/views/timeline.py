"""A case's event log told in Chinese: the timeline entries and the warning notice document."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from keyproj.codes import CaseOutcome, EscalationReason, Timer, UpdateKind, WarningLevel
from keyproj.db.models import CaseEvent, Unit, User
from keyproj.errors import NotFound
from keyproj.forms import FormField, form_fields

# Fields whose values are unit codes: shown with the unit's name.
UNIT_CODE_FIELDS = ("lead_unit_code", "phase_unit_codes")


@dataclass(frozen=True)
class TaskInfo:
    """What the timeline needs of a task of the case: its title and form, by diagram name."""

    title: str
    form: str


@dataclass(frozen=True)
class TimelineEntry:
    """One event of the case: who, which unit, when, what, with the data it carried."""

    seq: int
    kind: str
    what: str
    actor: str | None
    unit: str | None
    occurred_at: datetime
    text: str | None = None
    details: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class NoticeDocument:
    """The 预警催办通知 (LP13) as issued: number, addressees, text, date and issuing office."""

    number: str
    addressee: str
    copied_to: list[str]
    project_name: str | None
    level: str
    text: str
    issued_on: date | None
    issuer: str
    response_working_days: int | None
    outcome_working_days: int | None

    @property
    def issued_on_text(self) -> str:
        """The date as documents write it: 2026年2月13日."""
        d = self.issued_on
        return f"{d.year}年{d.month}月{d.day}日" if d else ""


@dataclass
class Timeline:
    """The timeline, the notice (once issued) and the case's start data."""

    entries: list[TimelineEntry]
    notice: NoticeDocument | None
    start: dict[str, Any]


def case_timeline(session: Session, case_id: int, tasks: dict[str, TaskInfo]) -> Timeline:
    """Every event of a case in order, with actor and unit names (one query), and the notice."""
    actor, unit = aliased(User), aliased(Unit)
    query = (
        select(CaseEvent, actor.display_name, unit.name)
        .outerjoin(actor, actor.id == CaseEvent.actor_id)
        .outerjoin(unit, unit.id == CaseEvent.unit_id)
        .where(CaseEvent.case_id == case_id)
        .order_by(CaseEvent.seq)
    )
    records = session.execute(query).all()
    codes = _unit_codes(session, [e for e, *_ in records])
    start: dict[str, Any] = {}
    notice = None
    entries = []
    for event, actor_name, unit_name in records:
        if event.kind == "case_started":
            start = dict(event.data.get("start", {}))
        entries.append(_entry(event, actor_name, unit_name, tasks, codes))
        if event.kind == "completed" and event.task_name == "issue_notice":
            notice = _notice(event, unit_name, start, codes)
    return Timeline(entries, notice, start)


def _entry(
    event: CaseEvent,
    actor: str | None,
    unit: str | None,
    tasks: dict[str, TaskInfo],
    codes: dict[str, str],
) -> TimelineEntry:
    data = event.data or {}
    info = tasks.get(event.task_name or "")
    title = info.title if info else (data.get("title") or event.task_name or "")
    text = None
    details: list[tuple[str, str]] = []
    kind = event.kind
    if kind == "case_started":
        what = f"预警立案，启动协调处置流程（流程第{data.get('definition_version', 1)}版）"
    elif kind == "task_ready":
        what = f"生成待办：{title}（{data.get('lane', '')}）"
    elif kind == "claimed":
        what = f"认领任务：{title}"
    elif kind == "released":
        what = f"退回任务：{title}"
    elif kind == "completed":
        what = f"办理完成：{title}"
        form = (data.get("input") or {}).get(event.task_name or "", {})
        details = describe(info.form if info else "", form, codes)
    elif kind == "submission_refused":
        what = f"逾期提交未被接受：{title}"
        details = describe(info.form if info else "", data.get("submitted") or {}, codes)
    elif kind == "timer_fired":
        names = [Timer.label_of(t) for t in data.get("timers", [])]
        what = f"办理期限届满（{'、'.join(names)}），流程自动流转"
    elif kind == "escalated":
        reason = EscalationReason.label_of(data.get("reason"))
        what = f"{reason}，提请县政府协调" if reason else "提请县政府协调"
    elif kind == "closed":
        what = f"案件办结：{CaseOutcome.label_of(data.get('outcome'))}"
    elif kind == UpdateKind.PROGRESS_UPDATE:
        what, text = f"报送{UpdateKind.PROGRESS_UPDATE.label}", data.get("text")
    elif kind == UpdateKind.COMMENT:
        what, text = f"发表{UpdateKind.COMMENT.label}", data.get("text")
    else:
        what = kind
    return TimelineEntry(event.seq, kind, what, actor, unit, event.occurred_at, text, details)


def describe(form: str, values: dict[str, Any], codes: dict[str, str]) -> list[tuple[str, str]]:
    """A submitted form as (label, shown value) pairs in the form's order."""
    try:
        fields = form_fields(form)
    except NotFound:
        fields = []
    known = {f.name: f for f in fields}
    order = [f.name for f in fields] + [k for k in values if k not in known]
    return [
        (
            known[name].label if name in known else name,
            _shown(known.get(name), name, values[name], codes),
        )
        for name in order
        if name in values and values[name] not in ("", None, [])
    ]


def _shown(spec: FormField | None, name: str, value: Any, codes: dict[str, str]) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    items = value if isinstance(value, list) else [value]
    if name in UNIT_CODE_FIELDS:
        return "、".join(codes.get(str(v), str(v)) for v in items)
    labels = dict(spec.choices) if spec else {}
    return "、".join(str(labels.get(v, v)) for v in items)


def _unit_codes(session: Session, events: list[CaseEvent]) -> dict[str, str]:
    """Names of the units named by code in the events' forms (one query, only if any is named)."""
    wanted: set[str] = set()
    for event in events:
        form = (event.data or {}).get("input", {}).get(event.task_name or "", {})
        if not isinstance(form, dict):
            continue
        for name in UNIT_CODE_FIELDS:
            value = form.get(name)
            wanted.update(str(v) for v in (value if isinstance(value, list) else [value]) if v)
    if not wanted:
        return {}
    query = select(Unit.code, Unit.name).where(Unit.code.in_(wanted))
    return {code: name for code, name in session.execute(query)}


def _notice(
    event: CaseEvent, issuer: str | None, start: dict[str, Any], codes: dict[str, str]
) -> NoticeDocument:
    data = event.data.get("input", {})
    form = data.get("issue_notice", {})
    issued = data.get("notice_issued_at")
    lead = form.get("lead_unit_code", "")
    return NoticeDocument(
        number=data.get("notice_number", ""),
        addressee=codes.get(lead, lead),
        copied_to=[codes.get(c, c) for c in form.get("phase_unit_codes", [])],
        project_name=start.get("project_name"),
        level=WarningLevel.label_of(form.get("level")),
        text=form.get("notice_text", ""),
        issued_on=datetime.fromisoformat(issued).date() if issued else None,
        issuer=issuer or "重点项目建设办公室",
        response_working_days=start.get("response_working_days"),
        outcome_working_days=start.get("outcome_working_days"),
    )
