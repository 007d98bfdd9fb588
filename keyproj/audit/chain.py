"""Hash chain of a case's event log: sealing events and finding the first sign of tampering."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Literal

from keyproj.audit.canonical import canonical_json, check_json, utc_text

GENESIS = "0" * 64  # the prev_hash of a case's first event

ProblemKind = Literal["edited", "deleted", "reordered", "inserted", "truncated"]

_INT_FIELDS = ("case_id", "seq")
_OPTIONAL_INT_FIELDS = ("actor_id", "unit_id")
_STR_FIELDS = ("kind", "state_hash", "prev_hash", "hash")
_OPTIONAL_STR_FIELDS = ("task_id", "task_name")


@dataclass(frozen=True)
class EventRecord:
    """One event of a case's log; ``prev_hash`` and ``hash`` stay empty until :func:`seal`."""

    case_id: int
    seq: int
    kind: str
    actor_id: int | None
    unit_id: int | None
    task_id: str | None
    task_name: str | None
    data: dict[str, Any]
    occurred_at: datetime
    state_hash: str
    prev_hash: str = ""
    hash: str = ""

    def __post_init__(self) -> None:
        # Only types are checked, not values: a tampered row (odd seq, bad hash text) must
        # still load so that verify_chain can report it instead of the loader crashing.
        for name in _INT_FIELDS + _OPTIONAL_INT_FIELDS + _STR_FIELDS + _OPTIONAL_STR_FIELDS:
            _check_field_type(name, getattr(self, name))
        if not isinstance(self.data, dict):
            raise TypeError(f"data 必须是 dict，而不是 {type(self.data).__name__}")
        check_json(self.data, "data")
        if not isinstance(self.occurred_at, datetime):
            raise TypeError(
                f"occurred_at 必须是 datetime，而不是 {type(self.occurred_at).__name__}"
            )
        utc_text(self.occurred_at)  # refuses a naive datetime now rather than at sealing

    def row(self) -> dict[str, Any]:
        """The fields as a dict, e.g. the values of a ``case_events`` row (``data`` not copied)."""
        return {name: getattr(self, name) for name in _FIELDS}


_FIELDS = tuple(f.name for f in fields(EventRecord))


@dataclass(frozen=True)
class ChainProblem:
    """The first sign of tampering in a case's log, with a Chinese message for auditors.

    ``seq`` is the sequence number the problem is about: the edited event (as stored), the
    first missing event (deleted, truncated), the first event found before its turn
    (reordered) or the first extra event (inserted).
    """

    seq: int | None
    kind: ProblemKind
    message: str

    def __str__(self) -> str:
        return self.message


def event_hash_input(record: EventRecord, prev_hash: str) -> bytes:
    """The exact bytes hashed for an event: canonical JSON of every field but ``hash``."""
    return canonical_json(
        {
            "actor_id": record.actor_id,
            "case_id": record.case_id,
            "data": record.data,
            "kind": record.kind,
            "occurred_at": utc_text(record.occurred_at),
            "prev_hash": prev_hash,
            "seq": record.seq,
            "state_hash": record.state_hash,
            "task_id": record.task_id,
            "task_name": record.task_name,
            "unit_id": record.unit_id,
        }
    )


def event_hash(record: EventRecord, prev_hash: str) -> str:
    """Hex sha256 of the event's hash input, chained to ``prev_hash``."""
    return hashlib.sha256(event_hash_input(record, prev_hash)).hexdigest()


def seal(record: EventRecord, prev_hash: str) -> EventRecord:
    """The record with ``prev_hash`` and its own ``hash`` set, ready to append."""
    if not isinstance(prev_hash, str):
        raise TypeError(f"prev_hash 必须是 str，而不是 {type(prev_hash).__name__}")
    digest = event_hash(record, prev_hash)
    # A copy, not dataclasses.replace: the record was checked when made, and the two new
    # fields are text, so checking its data again (one walk of it per event) adds nothing.
    sealed = copy(record)
    object.__setattr__(sealed, "prev_hash", prev_hash)
    object.__setattr__(sealed, "hash", digest)
    return sealed


def verify_chain(
    events: Sequence[EventRecord],
    expected_count: int | None = None,
    expected_last_hash: str | None = None,
) -> ChainProblem | None:
    """The first problem in a case's log walked in storage order, or None when it is intact.

    ``expected_count`` and ``expected_last_hash`` come from the case row; without them the
    loss or rewriting of the log's last events cannot be seen.
    """
    # While the walk finds nothing, the events so far are exactly seq 1..i, each chained to
    # the one before; so the checks of event i need no state beyond its position.
    for index in range(len(events)):
        problem = _check_event(events, index)
        if problem is not None:
            return problem
    return _check_end(events, expected_count, expected_last_hash)


def _check_event(events: Sequence[EventRecord], index: int) -> ChainProblem | None:
    event = events[index]
    expected_seq = index + 1
    # The event's own hash first: until it matches, none of its fields (seq included) can be
    # trusted to classify anything else.
    if event_hash(event, event.prev_hash) != event.hash:
        return ChainProblem(
            event.seq, "edited", f"第{event.seq}条事件内容被修改（记录的哈希与重新计算的不一致）"
        )
    if event.seq > expected_seq:
        return _early_or_missing(events, index)
    if event.seq < expected_seq:
        # A pure reordering always shows first as an event arriving early (above), so a seq
        # already seen means an extra event claims a place that was taken.
        return ChainProblem(
            event.seq, "inserted", f"第{event.seq}条事件重复出现：日志中多出一条同序号的插入事件"
        )
    expected_prev = events[index - 1].hash if index else GENESIS
    if event.prev_hash != expected_prev:
        return _broken_link(events, index)
    return None


def _early_or_missing(events: Sequence[EventRecord], index: int) -> ChainProblem:
    event = events[index]
    missing = index + 1
    later = events[index + 1 :]
    if any(missing <= e.seq < event.seq for e in later) or _points_into(event, later):
        return ChainProblem(
            event.seq, "reordered", f"事件顺序被调换：第{event.seq}条出现在第{missing}条之前"
        )
    gap = f"第{missing}条" if event.seq == missing + 1 else f"第{missing}至{event.seq - 1}条"
    where = f"第{missing - 1}条之后" if missing > 1 else "日志开头"
    return ChainProblem(missing, "deleted", f"{where}缺少事件：{gap}已被删除")


def _broken_link(events: Sequence[EventRecord], index: int) -> ChainProblem:
    event = events[index]
    if _points_into(event, events[index + 1 :]):
        return ChainProblem(
            event.seq,
            "reordered",
            f"事件顺序被调换：第{event.seq}条的前序哈希指向排在它之后的事件",
        )
    if index == 0:
        return ChainProblem(event.seq, "edited", f"第{event.seq}条事件的前序哈希不是链的起始值")
    anchor = next((j for j in range(index - 1) if events[j].hash == event.prev_hash), None)
    if anchor is not None:
        # The event is chained to an earlier one: whatever lies between was slipped in.
        intruder = events[anchor + 1].seq
        return ChainProblem(
            intruder,
            "inserted",
            f"第{intruder}条事件是插入的：第{event.seq}条的前序哈希指向第{events[anchor].seq}条",
        )
    # Consecutive seqs, a self-consistent predecessor, yet a link to a hash nobody has: the
    # predecessor was changed and its hash recomputed.
    previous = events[index - 1].seq
    return ChainProblem(
        previous,
        "edited",
        f"第{previous}条事件内容被修改（修改后重算了哈希，与第{event.seq}条记录的前序哈希不一致）",
    )


def _check_end(
    events: Sequence[EventRecord], expected_count: int | None, expected_last_hash: str | None
) -> ChainProblem | None:
    count = len(events)
    if expected_count is not None and count < expected_count:
        return ChainProblem(
            count + 1,
            "truncated",
            f"事件链末尾被截断：案件记录有{expected_count}条事件，日志只有{count}条",
        )
    if expected_count is not None and count > expected_count:
        return ChainProblem(
            expected_count + 1,
            "inserted",
            f"日志末尾多出事件：案件记录有{expected_count}条事件，日志却有{count}条",
        )
    last_hash = events[-1].hash if events else GENESIS
    if expected_last_hash is None or expected_last_hash == last_hash:
        return None
    return _last_hash_mismatch(events, expected_count, expected_last_hash)


def _last_hash_mismatch(
    events: Sequence[EventRecord], expected_count: int | None, expected_last_hash: str
) -> ChainProblem:
    count = len(events)
    earlier = [GENESIS, *(e.hash for e in events[:-1])]
    if expected_last_hash in earlier:
        # The case row ends at an earlier event: everything after it was appended.
        extra = earlier.index(expected_last_hash) + 1
        ends = f"最后一条是第{extra - 1}条" if extra > 1 else "没有事件"
        return ChainProblem(
            extra, "inserted", f"日志末尾多出事件：案件记录{ends}，日志却有{count}条"
        )
    if expected_count is not None and count:
        return ChainProblem(
            count,
            "edited",
            f"第{count}条事件的哈希与案件记录保存的最后哈希不一致：该条或之前的事件被修改后重算了哈希",
        )
    if not count:
        return ChainProblem(
            1, "truncated", "事件链末尾被截断：日志中没有事件，但案件记录显示曾有事件"
        )
    return ChainProblem(
        count + 1,
        "truncated",
        f"事件链末尾被截断：日志最后一条（第{count}条）的哈希与案件记录保存的最后哈希不一致",
    )


def _points_into(event: EventRecord, others: Sequence[EventRecord]) -> bool:
    return any(other.hash == event.prev_hash for other in others)


def _check_field_type(name: str, value: object) -> None:
    optional = name in _OPTIONAL_INT_FIELDS or name in _OPTIONAL_STR_FIELDS
    if optional and value is None:
        return
    wanted: type = int if name in _INT_FIELDS or name in _OPTIONAL_INT_FIELDS else str
    # bool is an int to Python but would hash as true/false, not as an id.
    if not isinstance(value, wanted) or isinstance(value, bool):
        raise TypeError(f"{name} 必须是 {wanted.__name__}，而不是 {type(value).__name__}")
