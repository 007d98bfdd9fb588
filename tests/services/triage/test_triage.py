"""The key office's triage (LP13): the queue by project matter, one notice over several warnings,
merge, dismissal and bulk notices; every warning ends in a case or a recorded dismissal."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from keyproj.clock import BEIJING
from keyproj.db.models import AdminChange, CaseEvent, EarlyWarning, Notification, Project
from keyproj.errors import Conflict, PermissionDenied, ValidationError
from keyproj.paging import Paging
from keyproj.policy import load_profile
from keyproj.rules import Candidate
from keyproj.services.cases.views.timeline import case_timeline
from keyproj.services.scan.run import insert_warnings
from keyproj.services.triage import actions, notices
from keyproj.services.triage.queue import queue_count, queue_page
from tests.builders import factories
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.forms import form

PROFILE = load_profile("lianping")


@pytest.fixture
def office(county: County) -> County:
    """Three projects (plant and road of 城关镇, bridge of 石桥镇) and the people of their cases."""
    return county.with_projects("plant", "road", "bridge").with_people("zdb", "town", "other")


def warn(
    county: County,
    project: Project,
    period: str,
    at: datetime,
    level: str = "progress",
    colour: str = "red",
    rule: str = "progress_lag",
) -> EarlyWarning:
    return factories.warning(
        county.session,
        project,
        period,
        rule_id=rule,
        level=level,
        colour=colour,
        raised_at=at,
        evidence={"summary": f"{project.name}{period}的问题"},
    )


def test_LP13_the_queue_groups_by_project_strongest_first_with_the_notice_due(office):
    plant, road = office.projects["plant"], office.road
    warn(office, road, "2026-02", bj(2026, 3, 2, 9), colour="red")
    warn(office, plant, "2026-02", bj(2026, 3, 2, 9), colour="yellow")
    warn(office, plant, "2026-02", bj(2026, 3, 4, 9), "issue", "yellow", "issue_unresolved")

    page = queue_page(office.session, office.people["zdb"], PROFILE, Paging())

    assert page.total == 2  # one matter per project and lead unit
    first, second = page.items
    assert (first.project_name, first.unit_name) == (plant.name, "城关镇")
    assert [w.level for w in first.warnings] == ["issue", "progress"]  # 问题预警 first
    assert first.proposed_level == "issue"
    assert second.project_name == road.name
    # Mon 2 March + 3 working days (LP13): Thursday 5 March, end of day.
    assert first.earliest_due == datetime(2026, 3, 5, 23, 59, 59, tzinfo=BEIJING)
    with pytest.raises(PermissionDenied):
        queue_page(office.session, office.people["town"], PROFILE, Paging())


def test_LP13_one_notice_covers_several_warnings_and_their_deadline_counts_from_the_earliest(
    office,
):
    plant = office.projects["plant"]
    early = warn(office, plant, "2026-02", bj(2026, 3, 2, 9))
    later = warn(office, plant, "2026-02", bj(2026, 3, 4, 9), "issue", "yellow", "issue_unresolved")
    now = office.at(bj(2026, 3, 4, 15))

    case = notices.issue_notice(
        office.session,
        office.people["zdb"],
        [later.id, early.id],
        form("issue_notice", drop=("phase_unit_codes",)),
        PROFILE,
        now,
    )
    office.session.commit()

    assert case.warning_id == early.id  # the earliest is the primary warning
    assert case.notice_number == "连重点办预警〔2026〕1号"
    assert (early.case_id, later.case_id) == (case.id, case.id)
    assert queue_count(office.session) == 0
    started = office.session.scalars(
        select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.kind == "task_ready")
        .order_by(CaseEvent.seq)
    ).first()
    assert started is not None
    assert started.data["due_at"] == "2026-03-05T23:59:59+08:00"  # from 2 March, not 4 March
    # The case's end gives every covered warning its outcome.
    office.complete("town", case, "respond", form("respond"), bj(2026, 3, 5, 10))
    office.complete("town", case, "report_outcome", form("report_outcome"), bj(2026, 3, 6, 10))
    office.complete("zdb", case, "evaluate", form("evaluate"), bj(2026, 3, 6, 11))
    office.session.expire_all()
    statuses = office.session.scalars(select(EarlyWarning.status).order_by(EarlyWarning.id))
    assert list(statuses) == ["handled", "handled"]


def test_LP13_a_notice_covers_one_project_and_only_queued_warnings(office):
    plant, road = office.projects["plant"], office.road
    a = warn(office, plant, "2026-02", bj(2026, 3, 2, 9))
    b = warn(office, road, "2026-02", bj(2026, 3, 2, 9))
    zdb, now = office.people["zdb"], office.at(bj(2026, 3, 3, 9))
    notice = form("issue_notice", drop=("phase_unit_codes",))

    with pytest.raises(ValidationError, match="一份通知只能针对一个项目"):
        notices.issue_notice(office.session, zdb, [a.id, b.id], notice, PROFILE, now)
    with pytest.raises(ValidationError, match="通知正文"):
        notices.issue_notice(
            office.session, zdb, [a.id], {**notice, "notice_text": ""}, PROFILE, now
        )
    with pytest.raises(PermissionDenied):
        notices.issue_notice(office.session, office.people["town"], [a.id], notice, PROFILE, now)
    notices.issue_notice(office.session, zdb, [a.id], notice, PROFILE, now)
    with pytest.raises(Conflict, match="已立案或已处置"):
        notices.issue_notice(office.session, zdb, [a.id], notice, PROFILE, now)


def test_LP13_bulk_notices_go_one_per_project_to_its_lead_unit(office):
    plant, road, bridge = office.projects["plant"], office.road, office.bridge
    ids = [
        warn(office, plant, "2026-02", bj(2026, 3, 2, 9)).id,
        warn(office, plant, "2026-02", bj(2026, 3, 2, 9), "issue", "red", "issue_unresolved").id,
        warn(office, road, "2026-02", bj(2026, 3, 2, 9)).id,
        warn(office, bridge, "2026-02", bj(2026, 3, 2, 9)).id,
    ]

    cases = notices.issue_bulk(
        office.session, office.people["zdb"], ids, PROFILE, office.at(bj(2026, 3, 3, 9))
    )
    office.session.commit()

    assert len(cases) == 3
    numbers = sorted(str(c.notice_number) for c in cases)
    assert numbers == [f"连重点办预警〔2026〕{n}号" for n in (1, 2, 3)]
    notice_of = {}
    for case in cases:
        event = office.session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "completed")
        ).one()
        notice_of[case.warning.project_id] = event.data["input"]["issue_notice"]
    assert notice_of[plant.id]["lead_unit_code"] == "T01"
    assert notice_of[plant.id]["level"] == "issue"  # the strongest of the project's warnings
    assert notice_of[bridge.id]["lead_unit_code"] == "T02"
    assert bridge.name in notice_of[bridge.id]["notice_text"]
    assert queue_count(office.session) == 0


def test_LP13_a_merged_warning_stands_on_the_timeline_and_the_units_are_told(office):
    plant = office.projects["plant"]
    first = warn(office, plant, "2026-02", bj(2026, 3, 2, 9))
    zdb = office.people["zdb"]
    (case,) = notices.issue_bulk(
        office.session, zdb, [first.id], PROFILE, office.at(bj(2026, 3, 2, 10))
    )
    late = warn(office, plant, "2026-03", bj(2026, 4, 1, 9), "issue", "yellow", "issue_unresolved")
    elsewhere = warn(office, office.road, "2026-03", bj(2026, 4, 1, 9))

    with pytest.raises(ValidationError, match="同一项目"):
        actions.merge_into_case(office.session, zdb, [elsewhere.id], case.id, bj(2026, 4, 1, 10))
    actions.merge_into_case(office.session, zdb, [late.id], case.id, bj(2026, 4, 1, 10))
    office.session.commit()

    assert late.case_id == case.id
    timeline = case_timeline(office.session, case.id, {})
    merged = [e for e in timeline.entries if e.kind == "warning_merged"]
    assert [e.what for e in merged] == ["并入预警：问题预警（2026-03）"]
    assert merged[0].text == f"{plant.name}2026-03的问题"
    told = office.session.scalars(
        select(Notification.user_id).where(Notification.kind == "warning_merged")
    )
    assert set(told) == {office.users["town"].id}  # 城关镇, the lead unit named by the notice


def test_LP13_a_dismissal_needs_a_reason_is_kept_logged_and_not_raised_again(office):
    plant = office.projects["plant"]
    warning = warn(office, plant, "2026-02", bj(2026, 3, 2, 9))
    zdb, now = office.people["zdb"], office.at(bj(2026, 3, 3, 9))

    with pytest.raises(ValidationError, match="不予处置理由"):
        actions.dismiss(office.session, zdb, [warning.id], "  ", now)
    actions.dismiss(office.session, zdb, [warning.id], "该期报表已补报，进度已追上", now)
    office.session.commit()

    assert warning.status == "dismissed"
    assert (warning.dismissal_reason, warning.dismissed_by_id) == (
        "该期报表已补报，进度已追上",
        office.users["zdb"].id,
    )
    assert warning.dismissed_at == now
    logged = office.session.scalars(select(AdminChange)).one()
    assert (logged.action, logged.actor, logged.details) == (
        "warning_dismissed",
        "zdb",
        "该期报表已补报，进度已追上",
    )
    assert plant.name in logged.target
    again = Candidate("progress_lag", plant.id, "2026-02", "progress", "red", {"summary": "再次"})
    assert insert_warnings(office.session, [again], bj(2026, 3, 4, 9)) == []
    assert queue_count(office.session) == 0
