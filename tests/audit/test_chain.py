"""Tamper evidence of the case event log: canonical JSON, sealing and finding manipulations."""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from keyproj.audit import (
    GENESIS,
    ChainProblem,
    EventRecord,
    canonical_json,
    event_hash,
    seal,
    verify_chain,
)

CASE_ID = 42
START = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 09:30 in Beijing

# (kind, actor_id, unit_id, task_id, task_name, data, minutes after START)
_EVENTS: list[tuple[str, int | None, int | None, str | None, str | None, dict[str, Any], int]] = [
    (
        "case_started",
        7,
        3,
        None,
        None,
        {"project": "县城污水处理厂扩建工程", "warning": "进度滞后"},
        0,
    ),
    ("task_ready", None, 12, "t-1", "填报整改措施", {}, 0),
    ("claimed", 21, 12, "t-1", "填报整改措施", {}, 95),
    (
        "completed",
        21,
        12,
        "t-1",
        "填报整改措施",
        {
            "measures": "加派两个施工班组，周末连续作业",
            "problems": ["征地拆迁未完成", "设备到货延迟"],
            "investment_wan": 1250.5,
            "expected_finish": "2026-04-30",
            "needs_coordination": True,
        },
        2 * 24 * 60,
    ),
    ("timer_fired", None, None, "t-2", "审核整改措施", {"deadline": "2026-03-09"}, 7 * 24 * 60),
    ("escalated", None, 5, "t-2", "审核整改措施", {"level": 2, "to": "督查室"}, 7 * 24 * 60 + 1),
    ("comment", 9, 5, "t-2", "审核整改措施", {"text": "请重点办三日内回复协调结果。"}, 8 * 24 * 60),
    ("closed", 7, 3, None, None, {"result": "已整改到位"}, 20 * 24 * 60),
]


def _record(seq: int) -> EventRecord:
    kind, actor, unit, task_id, task_name, data, minutes = _EVENTS[seq - 1]
    return EventRecord(
        case_id=CASE_ID,
        seq=seq,
        kind=kind,
        actor_id=actor,
        unit_id=unit,
        task_id=task_id,
        task_name=task_name,
        data=data,
        occurred_at=START + timedelta(minutes=minutes),
        state_hash=hashlib.sha256(f"engine state {seq}".encode()).hexdigest(),
    )


def _chain() -> list[EventRecord]:
    events: list[EventRecord] = []
    prev = GENESIS
    for seq in range(1, len(_EVENTS) + 1):
        events.append(seal(_record(seq), prev))
        prev = events[-1].hash
    return events


@pytest.fixture
def events() -> list[EventRecord]:
    return _chain()


def _verify(
    events: list[EventRecord], *, count: int = 8, last: str | None = None
) -> ChainProblem | None:
    """Verify against the case row of the untouched eight-event chain."""
    return verify_chain(events, expected_count=count, expected_last_hash=last or _chain()[-1].hash)


def _found(problem: ChainProblem | None) -> tuple[str, int | None]:
    """The kind and seq of a problem that must have been found."""
    assert problem is not None
    return problem.kind, problem.seq


def _rehashed(event: EventRecord, **changes: object) -> EventRecord:
    """The event changed and sealed again, as a forger who knows the scheme would do."""
    changed = replace(event, **changes)  # type: ignore[arg-type]
    return seal(changed, changed.prev_hash)


# --- an intact chain ---------------------------------------------------------------------


def test_an_intact_chain_verifies_against_the_case_row(events):
    assert _verify(events) is None
    assert verify_chain(events) is None


def test_a_case_without_events_is_intact():
    assert verify_chain([], expected_count=0, expected_last_hash=GENESIS) is None


def test_sealing_chains_each_event_to_the_one_before(events):
    assert events[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    assert all(len(e.hash) == 64 and int(e.hash, 16) >= 0 for e in events)
    assert _record(1).hash == ""  # sealing returns a new record


# --- editing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"data": {**_EVENTS[3][5], "investment_wan": 1350.5}},
        {"data": {**_EVENTS[3][5], "measures": "已按期完成"}},
        {"occurred_at": START + timedelta(days=1)},
        {"actor_id": 22},
        {"unit_id": None},
        {"kind": "released"},
        {"task_name": "审核整改措施"},
        {"state_hash": "f" * 64},
        {"hash": "e" * 64},
        {"prev_hash": GENESIS},
    ],
    ids=lambda c: next(iter(c)),
)
def test_editing_one_field_of_an_event_is_reported_at_that_event(events, changes):
    events[3] = replace(events[3], **changes)
    assert _verify(events) == ChainProblem(
        4, "edited", "第4条事件内容被修改（记录的哈希与重新计算的不一致）"
    )


def test_editing_an_event_and_recomputing_its_hash_is_detected_through_the_next_event(events):
    events[3] = _rehashed(events[3], actor_id=22)
    assert _verify(events) == ChainProblem(
        4, "edited", "第4条事件内容被修改（修改后重算了哈希，与第5条记录的前序哈希不一致）"
    )


def test_editing_the_last_event_and_recomputing_its_hash_is_detected_through_the_case_row(events):
    events[7] = _rehashed(events[7], data={"result": "未整改"})
    assert _verify(events) == ChainProblem(
        8,
        "edited",
        "第8条事件的哈希与案件记录保存的最后哈希不一致：该条或之前的事件被修改后重算了哈希",
    )


def test_without_the_case_row_a_rehashed_last_event_cannot_be_detected(events):
    # Why the case row keeps the last hash: nothing after the last event links to it.
    events[7] = _rehashed(events[7], data={"result": "未整改"})
    assert verify_chain(events) is None


def test_an_occurred_at_in_another_offset_is_the_same_instant_and_the_same_hash():
    beijing = timezone(timedelta(hours=8))
    utc = _record(1)
    local = replace(utc, occurred_at=utc.occurred_at.astimezone(beijing))
    assert event_hash(utc, GENESIS) == event_hash(local, GENESIS)


# --- deleting ----------------------------------------------------------------------------


def test_deleting_an_event_in_the_middle_is_reported_with_the_missing_seq(events):
    del events[4]
    assert _verify(events) == ChainProblem(5, "deleted", "第4条之后缺少事件：第5条已被删除")


def test_deleting_several_events_in_a_row_names_the_whole_gap(events):
    del events[4:6]
    assert _verify(events) == ChainProblem(5, "deleted", "第4条之后缺少事件：第5至6条已被删除")


def test_deleting_the_first_event_is_detected(events):
    del events[0]
    assert _verify(events) == ChainProblem(1, "deleted", "日志开头缺少事件：第1条已被删除")


def test_deleting_an_event_and_relinking_the_next_one_is_still_a_deletion(events):
    events[5] = _rehashed(events[5], prev_hash=events[3].hash)
    del events[4]
    assert _found(_verify(events)) == ("deleted", 5)


def test_deleting_the_last_event_is_detected_through_the_case_row(events):
    del events[7]
    assert _verify(events) == ChainProblem(
        8, "truncated", "事件链末尾被截断：案件记录有8条事件，日志只有7条"
    )


def test_deleting_the_last_event_is_detected_through_the_last_hash_alone(events):
    last = events.pop().hash
    problem = verify_chain(events, expected_last_hash=last)
    assert _found(problem) == ("truncated", 8)


def test_deleting_every_event_is_detected_through_the_case_row(events):
    assert _verify([]) == ChainProblem(
        1, "truncated", "事件链末尾被截断：案件记录有8条事件，日志只有0条"
    )


# --- reordering --------------------------------------------------------------------------


def test_swapping_two_adjacent_events_is_reported_as_reordered(events):
    events[4], events[5] = events[5], events[4]
    assert _verify(events) == ChainProblem(6, "reordered", "事件顺序被调换：第6条出现在第5条之前")


def test_swapping_two_non_adjacent_events_is_reported_as_reordered(events):
    events[2], events[5] = events[5], events[2]
    assert _verify(events) == ChainProblem(6, "reordered", "事件顺序被调换：第6条出现在第3条之前")


@pytest.mark.parametrize(("a", "b"), [(0, 1), (6, 7), (0, 7)])
def test_swaps_at_either_end_are_reported_as_reordered(events, a, b):
    events[a], events[b] = events[b], events[a]
    assert _verify(events) == ChainProblem(
        b + 1, "reordered", f"事件顺序被调换：第{b + 1}条出现在第{a + 1}条之前"
    )


# --- inserting ---------------------------------------------------------------------------


def test_an_appended_forged_event_is_detected_through_the_case_row(events):
    forged = replace(_record(8), seq=9, kind="comment", data={"text": "补记"})
    events.append(seal(forged, events[-1].hash))
    assert _verify(events) == ChainProblem(
        9, "inserted", "日志末尾多出事件：案件记录有8条事件，日志却有9条"
    )
    assert verify_chain(events, expected_last_hash=events[7].hash) == ChainProblem(
        9, "inserted", "日志末尾多出事件：案件记录最后一条是第8条，日志却有9条"
    )


def test_a_forged_event_reusing_a_seq_is_reported_as_inserted(events):
    forged = seal(replace(_record(5), data={"deadline": "2026-03-20"}), events[3].hash)
    events.insert(4, forged)
    problem = _verify(events)
    assert _found(problem) == ("inserted", 5)


def test_a_forged_event_with_renumbered_successors_is_reported_as_inserted(events):
    forged = seal(replace(_record(5), kind="comment", data={"text": "补记"}), events[3].hash)
    renumbered = [_rehashed(e, seq=e.seq + 1) for e in events[4:]]
    tampered = [*events[:4], forged, *renumbered]
    assert verify_chain(tampered) == ChainProblem(
        5, "inserted", "第5条事件是插入的：第6条的前序哈希指向第4条"
    )


def test_a_first_event_not_chained_to_genesis_is_reported(events):
    events[0] = _rehashed(events[0], prev_hash="a" * 64)
    assert _found(_verify(events)) == ("edited", 1)


# --- canonical JSON ----------------------------------------------------------------------


def test_canonical_json_is_compact_sorted_utf8():
    value = {"b": 1, "a": [True, None, 1.5, "污水处理厂"], "c": {"y": "乙", "x": "甲"}}
    expected = '{"a":[true,null,1.5,"污水处理厂"],"b":1,"c":{"x":"甲","y":"乙"}}'
    assert canonical_json(value) == expected.encode("utf-8")


def test_canonical_json_does_not_depend_on_dict_order():
    one = {"项目": "道路", "金额": 10, "明细": {"z": 1, "a": 2}}
    other = {"明细": {"a": 2, "z": 1}, "金额": 10, "项目": "道路"}
    assert canonical_json(one) == canonical_json(other)


def test_the_hash_input_is_the_documented_canonical_json():
    record = _record(3)
    expected = (
        '{"actor_id":21,"case_id":42,"data":{},"kind":"claimed",'
        '"occurred_at":"2026-03-02T03:05:00.000000Z","prev_hash":"' + GENESIS + '",'
        '"seq":3,"state_hash":"' + record.state_hash + '","task_id":"t-1",'
        '"task_name":"填报整改措施","unit_id":12}'
    )
    assert event_hash(record, GENESIS) == hashlib.sha256(expected.encode("utf-8")).hexdigest()


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ({"amount": Decimal("12.50")}, "amount"),
        ({"units": {3, 5}}, "units"),
        ({"plan": {"due": datetime(2026, 3, 9, tzinfo=UTC)}}, "plan.due"),
        ({"items": [1, ("a", "b")]}, "items[1]"),
    ],
)
def test_a_non_json_value_is_refused_naming_its_key(value, key):
    with pytest.raises(TypeError, match=re.escape(f"「{key}」")):
        canonical_json(value)


def test_event_data_with_a_non_json_value_is_refused_naming_its_key():
    with pytest.raises(TypeError, match=re.escape("「data.investment」")):
        replace(_record(4), data={"investment": Decimal("1250.5")})


def test_non_string_keys_and_non_finite_numbers_are_refused():
    with pytest.raises(TypeError, match="键 1 不是字符串"):
        canonical_json({"by_unit": {1: "县交通局"}})
    with pytest.raises(ValueError, match="ratio"):
        canonical_json({"ratio": float("nan")})


def test_a_naive_occurred_at_is_refused():
    with pytest.raises(ValueError, match="naive"):
        replace(_record(1), occurred_at=datetime(2026, 3, 2, 9, 30))


def test_an_id_given_as_text_or_bool_is_refused():
    with pytest.raises(TypeError, match="actor_id"):
        replace(_record(1), actor_id="7")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="case_id"):
        replace(_record(1), case_id=True)  # type: ignore[arg-type]
