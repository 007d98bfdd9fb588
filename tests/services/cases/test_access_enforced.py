"""The case services enforce access themselves, whoever calls them (no web handler involved).

Outside a case's scope its tasks do not exist: claim, release, completion and updates are
refused with the message a missing task (or case) gets, and nothing is written. A viewer
who sees the case but may not take the task is refused as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.db.models import Case, CaseEvent, EarlyWarning, HumanTask
from keyproj.errors import Conflict, NotFound, PermissionDenied
from keyproj.policy import load_profile
from keyproj.services.access import Viewer, case_scope, may_see_case, viewer_for
from keyproj.services.cases import commands
from keyproj.services.cases.repository import open_task_rows
from keyproj.services.org.directory import save_leader
from tests.builders import factories
from tests.builders.clock import bj
from tests.builders.forms import form

PROFILE = load_profile("lianping")
NOTICE = form("issue_notice")
RESPOND = form("respond")


@dataclass
class Scene:
    """A case whose notice named 城关镇 (lead) and the transport bureau (phase)."""

    session: Session
    people: dict[str, Viewer]
    case: Case

    def task(self, name: str, unit: str | None = None) -> HumanTask:
        """The open task ``name``; of the part of ``unit`` (a person's name) when given."""
        part = self.people[unit].unit_id if unit else None
        return next(
            t
            for t in open_task_rows(self.session, self.case.id)
            if t.name == name and (part is None or t.part_unit_id == part)
        )

    def log(self) -> list[str]:
        """The case's event kinds, read in the caller's transaction (uncommitted writes too)."""
        query = select(CaseEvent.kind).where(CaseEvent.case_id == self.case.id)
        return list(self.session.scalars(query.order_by(CaseEvent.seq)))


@pytest.fixture
def scene(session: Session) -> Scene:
    """The respond task is ready for the two responsible units from 13 February 2026."""
    factories.unit(session, "T01", "城关镇")
    factories.unit(session, "D01", "县交通运输局", kind="county_department")
    factories.unit(session, "T02", "东山镇")
    users = {
        "zdb": factories.user(session, "zdb", "ZDB", "key_office"),
        "town": factories.user(session, "town", "T01", "unit_liaison"),
        "dept": factories.user(session, "dept", "D01", "unit_head"),
        "other": factories.user(session, "other", "T02", "unit_liaison"),
        "xfb": factories.user(session, "xfb", "XFB", "county_gov"),
        "leader": factories.user(session, "leader", "XLD", "leader"),
        "stranger": factories.user(session, "stranger", "XLD", "leader"),
    }
    save_leader(session, "李副县长", username="leader")
    save_leader(session, "王副县长", username="stranger")
    project = factories.project(session, "T01", leader_name="李副县长")
    warning = EarlyWarning(
        rule_id="LP11-1",
        project_id=project.id,
        period="2026-01",
        level="progress",
        colour="red",
        evidence={},
        source="scan",
        status="open",
        raised_at=datetime(2026, 2, 12, 1, tzinfo=UTC),
    )
    session.add(warning)
    session.flush()
    people = {name: viewer_for(session, user) for name, user in users.items()}
    with time_machine.travel(bj(2026, 2, 12, 9), tick=False):
        case = commands.start_case(session, warning, PROFILE, bj(2026, 2, 12, 9))
        session.commit()
    scene = Scene(session, people, case)
    notice = scene.task("issue_notice").id
    with time_machine.travel(bj(2026, 2, 13, 10), tick=False):
        commands.complete_task(session, people["zdb"], notice, NOTICE, PROFILE, bj(2026, 2, 13, 10))
        session.commit()
    return scene


def missing_task_message(session: Session, viewer: Viewer, task_id: int) -> str:
    """What a task that does not exist is refused with, said of ``task_id``."""
    absent = 10_000_000
    with pytest.raises(NotFound) as info:
        commands.claim_task(session, viewer, absent, bj(2026, 2, 14, 9))
    return str(info.value).replace(str(absent), str(task_id))


def test_claim_release_and_completion_outside_the_scope_are_not_found_and_write_nothing(scene):
    session, other, now = scene.session, scene.people["other"], bj(2026, 2, 14, 9)
    respond = scene.task("respond")
    commands.claim_task(session, scene.people["town"], respond.id, now)
    session.commit()
    before = scene.log()
    expected = missing_task_message(session, other, respond.id)

    with time_machine.travel(now, tick=False):
        refusals = []
        for attempt in (
            lambda: commands.claim_task(session, other, respond.id, now),
            lambda: commands.release_task(session, other, respond.id, now),
            lambda: commands.complete_task(session, other, respond.id, RESPOND, PROFILE, now),
        ):
            with pytest.raises(NotFound) as info:
                attempt()
            refusals.append(str(info.value))

    assert refusals == [expected] * 3
    assert scene.log() == before  # no event, not even in the open transaction
    task = session.get(HumanTask, respond.id, populate_existing=True)
    assert task is not None
    assert (task.status, task.claimed_by_id) == ("claimed", scene.people["town"].user_id)


def test_a_ready_task_stays_ready_when_an_outsider_tries_it(scene):
    session, now = scene.session, bj(2026, 2, 14, 9)
    respond = scene.task("respond")
    before = scene.log()

    for outsider in ("other", "stranger"):
        with pytest.raises(NotFound):
            commands.claim_task(session, scene.people[outsider], respond.id, now)

    assert scene.log() == before
    assert session.get(HumanTask, respond.id, populate_existing=True).status == "ready"


def test_a_late_submission_from_outside_fires_no_timer_and_keeps_nothing(scene):
    """After the deadline an insider's submission is refused and kept; an outsider's is not found."""
    session, late = scene.session, bj(2026, 2, 26, 0, 0, 5)  # respond was due 25 Feb 23:59:59
    respond = scene.task("respond")
    before = scene.log()

    with time_machine.travel(late, tick=False):
        with pytest.raises(NotFound):
            commands.complete_task(
                session, scene.people["other"], respond.id, RESPOND, PROFILE, late
            )
        assert scene.log() == before  # the deadline's timer did not fire either
        kept = commands.complete_task(
            session, scene.people["town"], respond.id, RESPOND, PROFILE, late
        )

    assert not kept.accepted
    assert scene.log()[len(before) :] == [
        "timer_fired",
        "part_late",  # LP17: the lead town's own part, named in the log
        "escalated",
        "task_ready",
        "submission_refused",
    ]


def test_who_sees_the_case_but_may_not_take_the_task_is_refused_as_before(scene):
    session, now = scene.session, bj(2026, 2, 14, 9)
    respond = scene.task("respond", unit="dept")  # the phase department's own part (LP13)

    with pytest.raises(PermissionDenied, match="责任单位"):
        commands.claim_task(session, scene.people["xfb"], respond.id, now)
    with pytest.raises(PermissionDenied):
        commands.claim_task(session, scene.people["leader"], respond.id, now)
    with pytest.raises(PermissionDenied, match="是县交通运输局负责部分的任务"):
        commands.claim_task(session, scene.people["town"], respond.id, now)
    commands.claim_task(session, scene.people["dept"], respond.id, now)
    with pytest.raises(Conflict, match="只能退回自己认领的任务"):
        commands.release_task(session, scene.people["town"], respond.id, now)


def test_updates_outside_the_scope_are_not_found(scene):
    session, case_id, now = scene.session, scene.case.id, bj(2026, 2, 14, 9)
    before = scene.log()

    with pytest.raises(NotFound) as missing:
        commands.add_update(session, scene.people["town"], 10_000_000, "comment", "x", now)
    for kind in ("comment", "progress_update"):
        with pytest.raises(NotFound) as hidden:
            commands.add_update(session, scene.people["other"], case_id, kind, "催一下", now)
        assert str(hidden.value) == str(missing.value).replace("10000000", str(case_id))

    assert scene.log() == before
    commands.add_update(session, scene.people["leader"], case_id, "comment", "请加快", now)
    with pytest.raises(PermissionDenied):
        commands.add_update(session, scene.people["leader"], case_id, "progress_update", "x", now)


def test_the_visibility_rule_reads_the_same_in_queries_and_in_code(scene):
    session, case = scene.session, scene.case
    sees = {}
    for name, viewer in scene.people.items():
        listed = session.scalar(select(Case.id).where(Case.id == case.id, case_scope(viewer)))
        assert may_see_case(session, viewer, case) == (listed is not None), name
        sees[name] = listed is not None

    assert sees == {
        "zdb": True,
        "town": True,
        "dept": True,  # the phase unit the notice named
        "other": False,
        "xfb": True,
        "leader": True,  # the project's leader
        "stranger": False,
    }
