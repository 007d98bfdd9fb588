"""The auditors' case history (X4): at every step of every shipped diagram's paths the history
shows the state the log recorded; a tampered log shows its first broken event."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, select, update

from keyproj.db.models import CaseEvent
from keyproj.engine import CaseInstance
from keyproj.errors import PermissionDenied
from keyproj.policy import available_profiles
from keyproj.services.cases import audit as case_audit
from keyproj.services.cases.definitions import compiled_by_id
from keyproj.services.cases.repository import deadline_fn, decode_state
from keyproj.services.cases.views.history import case_history
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.diagram_paths import SCENARIOS, run_scenario

CODE = re.compile(r"(?<![A-Za-z0-9_])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_])")


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("profile", sorted(available_profiles()))
def test_x4_history_at_every_step_is_the_recorded_state(county, profile, scenario):
    c = county.under(profile).with_people("auditor")
    run_scenario(c, scenario)
    history = case_history(c.session, c.people["auditor"], c.case.id)
    replay = case_audit.replay_case(c.session, c.case.id)
    assert history.problem is None
    assert history.final_matches_stored
    assert len(history.steps) == c.case.event_count == len(replay.steps)
    for step, replayed in zip(history.steps, replay.steps, strict=True):
        assert step.trusted, step.seq
        assert step.error is None, step.seq
        assert step.rebuilt_hash == replayed.rebuilt_hash == step.logged_hash, step.seq
    unlabelled = {
        item.key for step in history.steps for item in step.shown if item.label == item.key
    }
    assert not unlabelled  # every key of the case data in the users' words
    raw = {i.key: i.value for step in history.steps for i in step.shown if CODE.search(i.value)}
    assert not raw  # nor a code among the values
    last = history.steps[-1]
    definition = compiled_by_id(c.session, c.case.definition_id)
    stored = CaseInstance.load(definition, decode_state(c.case.state), deadline_fn(c.session))
    assert last.data == stored.data
    assert last.position == []
    assert "issue_notice" in last.path
    first = history.steps[0]
    assert first.position == ["issue_notice"]
    assert "issue_notice" not in first.path


def test_x4_a_step_shows_who_acted_where_the_case_stood_and_its_deadlines(county):
    c = county.with_people("auditor")
    c.start(bj(2026, 9, 28, 9))
    c.submit("zdb", "issue_notice", bj(2026, 9, 28, 10))
    c.submit("town", "respond", bj(2026, 9, 29, 10))
    history = case_history(c.session, c.people["auditor"], c.case.id)
    notice = next(s for s in history.steps if s.kind == "completed")
    assert notice.entry.actor == "用户zdb"
    assert notice.entry.unit == "县重点项目建设办公室"
    assert "issue_notice" in notice.path
    assert "respond" in notice.position
    # Mon 28 Sep + 3 working days over National Day (1–7 Oct off): Thu 8 Oct, 24:00 Beijing.
    responds = {t.unit: t.due_at for t in notice.open_tasks if t.name == "respond"}
    assert responds["城关镇"] is not None
    assert responds["城关镇"].isoformat() == "2026-10-08T23:59:59+08:00"
    changed = {item.key for item in notice.shown if item.changed}
    shown = {item.key: item for item in notice.shown}
    assert shown["lead_unit_id"].value == "城关镇"
    assert shown["response_due"].label == "答复期限"
    assert shown["response_due"].value == "2026-10-08 23:59"
    assert "issue_notice" in changed
    assert "response_due" in changed
    answered = next(s for s in history.steps if s.entry.actor == "用户town")
    assert answered.entry.unit == "城关镇"
    assert [t.name for t in answered.open_tasks if t.unit == "城关镇"] == ["report_outcome"]


def test_x4_only_auditors_and_administrators_replay(county):
    c = county.with_people("auditor", "admin")
    c.start(bj(2026, 9, 28, 9))
    assert case_history(c.session, c.people["admin"], c.case.id).steps
    with pytest.raises(PermissionDenied):
        case_history(c.session, c.people["zdb"], c.case.id)
    with pytest.raises(PermissionDenied):
        case_history(c.session, c.people["town"], c.case.id)


@pytest.fixture
def finished(county: County) -> County:
    c = county.with_people("auditor")
    c.start(bj(2026, 9, 28, 9))
    c.submit("zdb", "issue_notice", bj(2026, 9, 28, 10))
    c.submit("town", "respond", bj(2026, 9, 29, 10))
    c.submit("dept", "respond", bj(2026, 9, 29, 11))
    c.submit("town", "report_outcome", bj(2026, 9, 30, 10))
    assert case_history(c.session, c.people["auditor"], c.case.id).problem is None
    return c


def rows(c: County) -> list[CaseEvent]:
    query = select(CaseEvent).where(CaseEvent.case_id == c.case.id).order_by(CaseEvent.id)
    return list(c.session.scalars(query))


def test_x4_an_edited_event_is_the_first_broken_step_and_later_ones_are_untrusted(finished):
    target = rows(finished)[4]
    forged = {**target.data, "input": {"forged": True}}
    finished.session.execute(update(CaseEvent).where(CaseEvent.id == target.id).values(data=forged))
    finished.session.commit()
    history = case_history(finished.session, finished.people["auditor"], finished.case.id)
    assert history.problem is not None
    assert history.problem_kind == "被修改"
    assert "第5条事件内容被修改" in history.problem.message
    assert history.broken_step is not None
    assert history.broken_step.seq == target.seq
    assert [s.trusted for s in history.steps[:4]] == [True] * 4
    assert not any(s.trusted for s in history.steps[4:])


def test_x4_a_deleted_event_breaks_the_history_where_it_was(finished):
    target = rows(finished)[3]
    finished.session.execute(delete(CaseEvent).where(CaseEvent.id == target.id))
    finished.session.commit()
    history = case_history(finished.session, finished.people["auditor"], finished.case.id)
    assert history.problem is not None
    assert history.problem_kind == "被删除"
    assert history.broken_step is not None
    assert history.broken_step.index == 4
    assert history.broken_step.seq == 5  # the event after the gap


def test_x4_reordered_events_break_the_history_at_the_first_out_of_place(finished):
    a, b = rows(finished)[5:7]
    columns: tuple[str, ...] = ("seq", "kind", "actor_id", "unit_id", "task_id", "task_name")
    columns += ("data", "occurred_at", "state_hash", "prev_hash", "hash")
    values_a = {name: getattr(a, name) for name in columns}
    values_b = {name: getattr(b, name) for name in columns}
    session = finished.session
    session.execute(update(CaseEvent).where(CaseEvent.id == a.id).values(seq=-1))
    session.execute(update(CaseEvent).where(CaseEvent.id == b.id).values(**values_a))
    session.execute(update(CaseEvent).where(CaseEvent.id == a.id).values(**values_b))
    session.commit()
    history = case_history(session, finished.people["auditor"], finished.case.id)
    assert history.problem_kind == "顺序被调换"
    assert history.broken_step is not None
    assert history.broken_step.index == 6


def test_x4_without_its_start_event_no_step_can_be_re_executed(finished):
    finished.session.execute(delete(CaseEvent).where(CaseEvent.id == rows(finished)[0].id))
    finished.session.commit()
    history = case_history(finished.session, finished.people["auditor"], finished.case.id)
    assert history.problem_kind == "被删除"
    assert history.broken_step is history.steps[0]
    assert {s.error for s in history.steps} == {"案件启动事件缺失，无法重新执行"}
    assert history.first_mismatch is history.steps[0]
    assert not history.final_matches_stored
