"""A case's event log told in Chinese: the timeline entries and the warning notice document."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from keyproj.clock import BEIJING
from keyproj.codes import (
    REMINDING_TIMERS,
    CaseOutcome,
    EscalationReason,
    Timer,
    UpdateKind,
    WarningLevel,
)
from keyproj.db.models import CaseEvent, CaseInstruction, Unit, User
from keyproj.errors import NotFound
from keyproj.forms import FormField, form_fields
from keyproj.paging import Page, Paging, fetch_page, page_count
from keyproj.policy.routing import HANDLING_LABELS
from keyproj.services.cases import events, instruction_events, migration_events
from keyproj.services.cases.events import EventKind
from keyproj.services.cases.views import tv_inquiry
from keyproj.services.reference.wording import beijing_time

INSTRUCTION_KINDS = (EventKind.INSTRUCTION, EventKind.INSTRUCTION_ANSWERED)
ITEM_TASK = "carry_out_item"  # the owner's task of a decided item (bpmn/decided_item.bpmn)
# Fields whose values are unit codes: shown with the unit's name.
UNIT_CODE_FIELDS = ("lead_unit_code", "phase_unit_codes", "routing_unit_proposed")
# The routing record of a notice (LP14–16): the proposal, the choice and any reason.
ROUTING_FIELDS = ("routing", "routing_proposed", "routing_clause", "routing_why", "routing_reason")


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
    instruction_id: int | None = None  # the instruction (批示) an instruction event is about


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
    # routing, routing_proposed, routing_clause, routing_why, routing_reason and the proposed
    # unit's name (routing_unit), as recorded on the notice (LP14–16).
    routing: dict[str, str] = field(default_factory=dict)

    @property
    def issued_on_text(self) -> str:
        """The date as documents write it: 2026年2月13日."""
        d = self.issued_on
        return f"{d.year}年{d.month}月{d.day}日" if d else ""


TIMELINE_PAGE = 100  # events on one page of a case's timeline


@dataclass
class Timeline:
    """A page of the timeline, the notice (once issued) and the case's start data."""

    page: Page[TimelineEntry]
    notice: NoticeDocument | None
    start: dict[str, Any]

    @property
    def entries(self) -> list[TimelineEntry]:
        """The page's entries, in the order the events were written."""
        return self.page.items


def case_timeline(
    session: Session,
    case_id: int,
    tasks: dict[str, TaskInfo],
    paging: Paging | None = None,
) -> Timeline:
    """A page of a case's events in order, with actor and unit names, and the notice.

    The start data and the notice are read from their own events, whichever page is shown.
    """
    actor, unit = aliased(User), aliased(Unit)
    query = (
        select(CaseEvent, actor.display_name, unit.name)
        .outerjoin(actor, actor.id == CaseEvent.actor_id)
        .outerjoin(unit, unit.id == CaseEvent.unit_id)
        .where(CaseEvent.case_id == case_id)
        .order_by(CaseEvent.seq)
    )
    asked = paging or Paging(1, TIMELINE_PAGE)
    page: Page[tuple[CaseEvent, str | None, str | None]] = fetch_page(session, query, asked)
    started = query.where(CaseEvent.kind == EventKind.CASE_STARTED).limit(1)
    notices = query.where(
        CaseEvent.kind == EventKind.COMPLETED, CaseEvent.task_name == events.NOTICE_TASK
    )
    landmarks = [*session.execute(started), *session.execute(notices)]
    codes = _unit_codes(session, [e for e, *_ in [*page.items, *landmarks]])
    start: dict[str, Any] = {}
    notice = None
    for event, _actor_name, unit_name in landmarks:
        if event.kind == EventKind.CASE_STARTED:
            start = events.read_started(event).start
        issued = events.read_notice(event)
        if issued is not None:
            notice = _notice(issued, unit_name, start, codes)
    entries = page.map(lambda row: _entry(row[0], row[1], row[2], tasks, codes))
    answers = _instruction_answers(session, [e for e, *_ in page.items])
    return Timeline(entries.map(lambda entry: _with_answer(entry, answers)), notice, start)


def timeline_pages(session: Session, case_id: int) -> int:
    """How many pages the case's timeline fills (the newest events are on the last)."""
    total = session.scalar(select(func.count()).where(CaseEvent.case_id == case_id)) or 0
    return page_count(int(total), TIMELINE_PAGE)


def entries_of(
    session: Session,
    rows: list[tuple[CaseEvent, str | None, str | None]],
    tasks: dict[str, TaskInfo],
) -> list[TimelineEntry]:
    """The timeline entries of (event, actor name, unit name) rows, in the rows' order (X4)."""
    codes = _unit_codes(session, [event for event, *_ in rows])
    return [_entry(event, actor, unit, tasks, codes) for event, actor, unit in rows]


def _entry(
    event: CaseEvent,
    actor: str | None,
    unit: str | None,
    tasks: dict[str, TaskInfo],
    codes: dict[str, str],
) -> TimelineEntry:
    info = tasks.get(event.task_name or "")
    text = None
    details: list[tuple[str, str]] = []
    instruction_id = None
    kind = event.kind
    item = ITEM_TASK in tasks  # a decided item's case: no warning, no units' parts
    if kind == EventKind.CASE_STARTED:
        version = events.read_started(event).definition_version
        what = f"{'议定事项交办，启动落实' if item else '预警立案，启动协调处置'}流程（流程第{version}版）"
    elif kind == EventKind.TASK_READY:
        ready = events.read_task_ready(event)
        parted = ready.part_unit_id and unit and not item
        whose = f"·{unit}负责部分" if parted else ""  # LP13: the unit's part
        what = f"生成待办：{_title(info, ready.title, event)}（{ready.lane}{whose}）"
    elif kind == EventKind.CLAIMED:
        what = f"认领任务：{_title(info, None, event)}"
    elif kind == EventKind.RELEASED:
        what = f"退回任务：{_title(info, None, event)}"
    elif kind == EventKind.COMPLETED:
        what = f"办理完成：{_title(info, None, event)}"
        form = events.read_completed(event).form
        details = describe(info.form if info else "", form, codes)
        if event.task_name == tv_inquiry.TASK:  # GS1: who was questioned, when and where
            text = tv_inquiry.summary(form)
    elif kind == EventKind.SUBMISSION_REFUSED:
        what = f"逾期提交未被接受：{_title(info, None, event)}"
        details = describe(info.form if info else "", events.read_refused(event).submitted, codes)
    elif kind == EventKind.TIMER_FIRED:
        fired = events.read_timer_fired(event)
        names = "、".join(Timer.label_of(t) for t in fired)
        if fired and all(t in REMINDING_TIMERS for t in fired):  # the task stays open
            what = f"{names}，已发出提醒，任务仍待办理"
        else:
            what = f"办理期限届满（{names}），流程自动流转"
    elif kind == EventKind.PART_LATE:  # LP17: one unit's own part; the unit column names it
        late = events.read_part_late(event)
        what = f"{unit or '责任单位'}负责部分{Timer.label_of(late.timer)}"
    elif kind == EventKind.ESCALATED:
        code = events.read_escalated(event)
        reason = EscalationReason.label_of(code)
        what = f"{reason}，提请县政府协调" if reason else "提请县政府协调"
        if code == EscalationReason.ITEM_OVERDUE:  # DC7 三(三): to the meeting's 督办单位
            what = f"{reason}，提请督办"
    elif kind == EventKind.CLOSED:
        what = f"案件办结：{CaseOutcome.label_of(events.read_closed(event))}"
    elif kind == EventKind.INSTRUCTION:
        given = instruction_events.read_instruction(event)
        instruction_id = given.instruction_id
        due = date.fromisoformat(given.due_on) if given.due_on else None
        what = f"县领导批示（要求{_day(due)}前办理）" if due else "县领导批示"
        text = given.text
    elif kind == EventKind.INSTRUCTION_ANSWERED:
        answered = instruction_events.read_instruction_answered(event)
        instruction_id = answered.instruction_id
        what = f"在“{answered.task_title}”中答复县领导批示"
    elif kind == EventKind.WARNING_MERGED:  # LP13: the key office joined a warning to the case
        merged = events.read_merged(event)
        what = f"并入预警：{WarningLevel.label_of(merged.level)}（{merged.period}）"
        text = merged.summary or None
    elif kind == EventKind.CASE_MIGRATED:  # X3: moved to another version of the diagram
        moved = migration_events.read_migrated(event)
        what = f"流程由第{moved.from_version}版迁移至第{moved.to_version}版"
        # X3: each deadline recomputed from its anchor, before and after (Beijing time).
        details = [
            ("期限调整", f"{beijing_time(d.get('before'))} → {beijing_time(d.get('after'))}")
            for d in moved.deadlines
        ]
    elif kind in events.UPDATE_KINDS:
        update = UpdateKind(kind)
        what = f"{'报送' if update == UpdateKind.PROGRESS_UPDATE else '发表'}{update.label}"
        text = events.read_update(event)
    else:
        what = kind
    return TimelineEntry(
        event.seq, kind, what, actor, unit, event.occurred_at, text, details, instruction_id
    )


# --- instructions (批示): how each stands, shown beside its events ------------------------

# The instruction's text (for its answer's entry) and how it was answered (for its own entry).
Answers = dict[int, tuple[str, str]]


def _instruction_answers(session: Session, logged: list[CaseEvent]) -> Answers:
    """By instruction id: its text and its answer as the timeline tells it (one query, if any)."""
    ids = {_instruction_of(e) for e in logged if e.kind in INSTRUCTION_KINDS}
    if not ids:
        return {}
    answerer, unit = aliased(User), aliased(Unit)
    query = (
        select(CaseInstruction, answerer.display_name, unit.name)
        .outerjoin(answerer, answerer.id == CaseInstruction.answered_by_id)
        .outerjoin(unit, unit.id == CaseInstruction.answered_unit_id)
        .where(CaseInstruction.id.in_(sorted(ids)))
    )
    out: Answers = {}
    for row, who, unit_name in session.execute(query):
        status = "待责任单位答复"
        if row.answered_at is not None:
            when = row.answered_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
            status = f"{who or ''}{f'（{unit_name}）' if unit_name else ''}于{when}答复"
        out[row.id] = (row.text, status)
    return out


def _instruction_of(event: CaseEvent) -> int:
    if event.kind == EventKind.INSTRUCTION:
        return instruction_events.read_instruction(event).instruction_id
    return instruction_events.read_instruction_answered(event).instruction_id


def _with_answer(entry: TimelineEntry, answers: Answers) -> TimelineEntry:
    """An instruction's entry says whether it was answered; an answer's names what it answers."""
    if entry.kind not in INSTRUCTION_KINDS:
        return entry
    found = answers.get(entry.instruction_id or 0)
    if found is None:
        return entry
    text, status = found
    extra = (
        [("答复情况", status)] if entry.kind == EventKind.INSTRUCTION else [("所答复批示", text)]
    )
    return replace(entry, details=[*entry.details, *extra])


def _day(day: date | None) -> str:
    """A date as the pages write it in sentences: 2026年2月20日."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _title(info: TaskInfo | None, logged: str | None, event: CaseEvent) -> str:
    """A task's title: the task row's, else the one its event logged, else its diagram name."""
    return info.title if info else (logged or event.task_name or "")


def describe(form: str, values: dict[str, Any], codes: dict[str, str]) -> list[tuple[str, str]]:
    """A submitted form as (label, shown value) pairs in the form's order."""
    try:
        fields = form_fields(form, read_only=True)  # the system's record is shown too
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
    if spec is not None and spec.columns:  # rows (LP16 follow-up items): one line a row
        return "；".join(_row_shown(spec, row, codes) for row in items if isinstance(row, dict))
    if name in UNIT_CODE_FIELDS:
        return "、".join(codes.get(str(v), str(v)) for v in items)
    labels = dict(spec.choices) if spec else {}
    return "、".join(str(labels.get(v, v)) for v in items)


def _row_shown(spec: FormField, row: dict[str, Any], codes: dict[str, str]) -> str:
    """One row as 责任单位：石桥镇，落实事项：…: unit codes by the unit's name, choices by
    their labels (LP20's failures)."""
    cells = []
    for column in spec.columns:
        value = row.get(column.name)
        if value in ("", None, []):
            continue
        values = value if isinstance(value, list) else [value]
        labels = codes if column.name == "unit_code" else dict(column.choices)
        cells.append(f"{column.label}：" + "、".join(str(labels.get(v, v)) for v in values))
    return "，".join(cells)


def _unit_codes(session: Session, logged: list[CaseEvent]) -> dict[str, str]:
    """Names of the units named by code in the events' forms (one query, only if any is named)."""
    wanted: set[str] = set()
    for event in logged:
        form = events.read_submitted_form(event)
        for name in UNIT_CODE_FIELDS:
            value = form.get(name)
            wanted.update(str(v) for v in (value if isinstance(value, list) else [value]) if v)
        for key in ("follow_ups", "accountability"):  # LP16 items' owners, LP20 entries' units
            for row in form.get(key) or []:
                if isinstance(row, dict) and row.get("unit_code"):
                    wanted.add(str(row["unit_code"]))
    if not wanted:
        return {}
    query = select(Unit.code, Unit.name).where(Unit.code.in_(wanted))
    return {code: name for code, name in session.execute(query)}


def _notice(
    issued: events.Notice, issuer: str | None, start: dict[str, Any], codes: dict[str, str]
) -> NoticeDocument:
    form = issued.form
    lead = form.get("lead_unit_code", "")
    return NoticeDocument(
        number=issued.number,
        addressee=codes.get(lead, lead),
        copied_to=[codes.get(c, c) for c in form.get("phase_unit_codes", [])],
        project_name=start.get("project_name"),
        level=WarningLevel.label_of(form.get("level")),
        text=form.get("notice_text", ""),
        issued_on=datetime.fromisoformat(issued.issued_at).date() if issued.issued_at else None,
        issuer=issuer or "重点项目建设办公室",
        response_working_days=start.get("response_working_days"),
        outcome_working_days=start.get("outcome_working_days"),
        routing=_routing(form, codes),
    )


def _routing(form: dict[str, Any], codes: dict[str, str]) -> dict[str, str]:
    """The notice's routing record, the proposed unit by name (empty before LP14–16 routing)."""
    record = {k: str(form[k]) for k in ROUTING_FIELDS if form.get(k)}
    for key in ("routing", "routing_proposed"):
        if key in record:
            record[f"{key}_label"] = HANDLING_LABELS.get(record[key], record[key])
    proposed = form.get("routing_unit_proposed")
    if proposed:
        record["routing_unit"] = codes.get(proposed, proposed)
    return record
