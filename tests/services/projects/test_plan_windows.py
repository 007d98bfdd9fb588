"""When a year plan is due and may be revised (AL4, AL5, HD1), and what each window records."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine

from keyproj.clock import BEIJING
from keyproj.codes import PlanStatus
from keyproj.codes.plans import PlanKind
from keyproj.errors import Conflict, PermissionDenied, ValidationError
from keyproj.policy import load_profile
from keyproj.services.access import viewer_for
from keyproj.services.projects import plan_windows as windows
from keyproj.services.projects import plans
from keyproj.services.projects.plans import PlanData, PlanPeriodData
from tests.builders import factories

ALXA = load_profile("alxa_left").plans
HANDAN = load_profile("handan").plans
LIANPING = load_profile("lianping").plans
NAMED = windows.PlanRecords("王副县长", "李工")


def quarterly(annual: int, note: str | None = None) -> PlanData:
    share = Decimal(annual) / 4
    rows = [PlanPeriodData(f"2026-Q{q}", share, Decimal(25 * q)) for q in range(1, 5)]
    return PlanData(Decimal(annual), rows, "倒排工期", note)


@pytest.fixture
def actors(session):
    factories.unit(session, "T01")
    project = factories.project(session, "T01")
    liaison = viewer_for(session, factories.user(session, "liaison", "T01", "unit_liaison"))
    head = viewer_for(session, factories.user(session, "head", "T01", "unit_head"))
    office = viewer_for(session, factories.user(session, "office", "ZDB", "key_office"))
    return project, liaison, head, office


def approved_first_plan(session, actors):  # type: ignore[no-untyped-def]
    project, liaison, _, office = actors
    with time_machine.travel(datetime(2026, 3, 20, 10, tzinfo=BEIJING), tick=False):
        day = date(2026, 3, 20)
        first = windows.draft_plan(
            session, liaison, project, 2026, quarterly(1200), NAMED, ALXA, day
        )
        windows.submit_plan(session, liaison, first, ALXA)
        windows.approve_plan(session, office, first, ALXA)
    return first


def test_al4_plan_due_by_end_of_march_and_a_later_one_is_late(session, actors):
    project, liaison, _, _ = actors
    assert windows.filing_due(ALXA, 2026) == date(2026, 3, 31)
    with time_machine.travel(datetime(2026, 4, 1, 9, tzinfo=BEIJING), tick=False):
        version = windows.draft_plan(
            session, liaison, project, 2026, quarterly(1200), NAMED, ALXA, date(2026, 4, 1)
        )
        windows.submit_plan(session, liaison, version, ALXA)
    assert version.kind == PlanKind.INITIAL
    assert windows.is_late(version, ALXA, 2026)


def test_hd1_plan_due_by_end_of_february_naming_leader_and_person(session, actors):
    project, liaison, _, _ = actors
    assert windows.filing_due(HANDAN, 2026) == date(2026, 2, 28)
    data = PlanData(Decimal(100), [PlanPeriodData("2026-03", Decimal(100), Decimal(10))])
    with pytest.raises(ValidationError) as info:
        windows.draft_plan(
            session, liaison, project, 2026, data, windows.PlanRecords(), HANDAN, date(2026, 2, 1)
        )
    assert info.value.by_field() == {
        "responsible_leader": "不能为空",
        "responsible_person": "不能为空",
    }
    assert plans.plan_for(session, project.id, 2026) is None
    version = windows.draft_plan(
        session, liaison, project, 2026, data, NAMED, HANDAN, date(2026, 2, 1)
    )
    assert (version.responsible_leader, version.responsible_person) == ("王副县长", "李工")


def test_lp6_without_windows_a_revision_only_needs_a_reason(session, actors):
    project, liaison, _, office = actors
    rows = [PlanPeriodData("2026-03", Decimal(100), Decimal(10))]
    first = windows.draft_plan(
        session,
        liaison,
        project,
        2026,
        PlanData(Decimal(100), rows),
        NAMED,
        LIANPING,
        date(2026, 2, 1),
    )
    windows.submit_plan(session, liaison, first, LIANPING)
    windows.approve_plan(session, office, first, LIANPING)
    again = PlanData(Decimal(100), rows, reason="征地延后")
    revised = windows.draft_plan(
        session, liaison, project, 2026, again, NAMED, LIANPING, date(2026, 9, 1)
    )
    assert revised.kind == PlanKind.REVISION


def test_al5_an_approved_plan_is_locked_outside_the_windows(session, actors):
    project, liaison, _, _ = actors
    approved_first_plan(session, actors)
    for day in (date(2026, 4, 30), date(2026, 5, 11), date(2026, 6, 10), date(2026, 6, 21)):
        with pytest.raises(Conflict) as info:
            windows.draft_plan(
                session, liaison, project, 2026, quarterly(1200, "调整"), NAMED, ALXA, day
            )
        assert "05月01日至05月10日（5月初校准）、06月11日至06月20日（年中集中调整）" in str(
            info.value
        )


def test_al4_early_may_recalibration_is_signed_by_the_unit_head_before_it_is_sent(session, actors):
    project, liaison, head, office = actors
    approved_first_plan(session, actors)
    version = windows.draft_plan(
        session,
        liaison,
        project,
        2026,
        quarterly(1200, "按进度校准"),
        NAMED,
        ALXA,
        date(2026, 5, 6),
    )
    assert version.kind == PlanKind.CALIBRATION
    with pytest.raises(Conflict, match="须经牵头责任单位主要负责人签字后报送（AL4）"):
        windows.submit_plan(session, liaison, version, ALXA)
    with pytest.raises(PermissionDenied):
        windows.sign_plan(session, liaison, version)

    windows.sign_plan(session, head, version)
    windows.submit_plan(session, liaison, version, ALXA)
    windows.approve_plan(session, office, version, ALXA)
    assert version.signed_by_id == head.user_id
    assert plans.current_version(session, project.id, 2026) is version


def test_al5_mid_june_adjustment_records_the_request_and_the_governments_decision(session, actors):
    project, liaison, _, office = actors
    first = approved_first_plan(session, actors)
    day = date(2026, 6, 15)
    with pytest.raises(ValidationError) as info:
        windows.draft_plan(
            session, liaison, project, 2026, quarterly(900, "征地受阻"), NAMED, ALXA, day
        )
    assert info.value.by_field() == {"request": "不能为空"}

    records = windows.PlanRecords("王副县长", "李工", "阿左发改〔2026〕12号 调整申请")
    version = windows.draft_plan(
        session, liaison, project, 2026, quarterly(900, "征地受阻"), records, ALXA, day
    )
    windows.submit_plan(session, liaison, version, ALXA)
    with pytest.raises(ValidationError) as refused:
        windows.approve_plan(session, office, version, ALXA)
    assert "须记录政府研究决定" in refused.value.by_field()["government_decision"]
    assert version.status == PlanStatus.SUBMITTED

    windows.approve_plan(session, office, version, ALXA, decision="阿左政发〔2026〕30号")
    assert (version.kind, version.request) == (PlanKind.ADJUSTMENT, records.request)
    assert version.government_decision == "阿左政发〔2026〕30号"
    assert first.status == PlanStatus.SUPERSEDED
