"""Annual plans (LP6, AL4, AL5, HD1): breakdown checks, versions, approval by the key office."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from keyproj.errors import Conflict, PermissionDenied, ValidationError
from keyproj.services.access import viewer_for
from keyproj.services.projects import plans
from keyproj.services.projects.plans import PlanData, PlanPeriodData
from tests.builders import factories


def current_investment(session: Session, project_id: int) -> Decimal:
    """The annual investment of the project's current 2026 plan, which must exist."""
    version = plans.current_version(session, project_id, 2026)
    assert version is not None
    return version.annual_investment


def monthly(amounts: list[int], pcts: list[int]) -> list[PlanPeriodData]:
    return [
        PlanPeriodData(f"2026-{m:02d}", Decimal(a), Decimal(p))
        for m, (a, p) in enumerate(zip(amounts, pcts, strict=True), start=1)
    ]


@pytest.fixture
def actors(session):
    factories.unit(session, "T01")
    project = factories.project(session, "T01")
    liaison = viewer_for(session, factories.user(session, "liaison", "T01", "unit_liaison"))
    office = viewer_for(session, factories.user(session, "office", "ZDB", "key_office"))
    return project, liaison, office


def test_lp6_plan_goes_from_draft_to_approved_current_version(session, actors):
    project, liaison, office = actors
    data = PlanData(Decimal(600), monthly([100, 200, 300], [10, 30, 60]), milestones="6月主体封顶")
    version = plans.draft_version(session, liaison, project, 2026, data, "monthly")
    assert plans.current_version(session, project.id, 2026) is None
    plans.submit_version(session, liaison, version)
    with pytest.raises(PermissionDenied):
        plans.approve_version(session, liaison, version)
    plans.approve_version(session, office, version, "同意")
    session.commit()
    current = plans.current_version(session, project.id, 2026)
    assert current is not None
    assert current.id == version.id
    assert [p.period for p in current.periods] == ["2026-01", "2026-02", "2026-03"]


def test_al5_adjustment_needs_a_reason_and_supersedes_the_old_version(session, actors):
    project, liaison, office = actors
    first = plans.file_approved(session, project, 2026, PlanData(Decimal(600)), "monthly")
    with pytest.raises(ValidationError) as info:
        plans.draft_version(session, liaison, project, 2026, PlanData(Decimal(500)), "monthly")
    assert "调整须说明原因" in info.value.by_field()["reason"]
    second = plans.draft_version(
        session,
        liaison,
        project,
        2026,
        PlanData(Decimal(500), reason="征地延后，调减投资"),
        "monthly",
    )
    plans.submit_version(session, liaison, second)
    plans.approve_version(session, office, second)
    assert (first.status, second.status, second.number) == ("superseded", "approved", 2)
    assert current_investment(session, project.id) == Decimal(500)


def test_rejection_needs_an_opinion_and_keeps_the_old_plan(session, actors):
    project, liaison, office = actors
    plans.file_approved(session, project, 2026, PlanData(Decimal(600)), "monthly")
    draft = plans.draft_version(
        session, liaison, project, 2026, PlanData(Decimal(900), reason="追加"), "monthly"
    )
    plans.submit_version(session, liaison, draft)
    with pytest.raises(ValidationError, match="写明意见"):
        plans.reject_version(session, office, draft, "")
    plans.reject_version(session, office, draft, "追加资金来源未落实")
    assert current_investment(session, project.id) == Decimal(600)
    with pytest.raises(Conflict):
        plans.approve_version(session, office, draft)


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        (PlanData(Decimal(-1)), "annual_investment", "不能为负数"),
        (PlanData(Decimal(600), monthly([100, 200], [10, 30])), "periods", "不一致"),
        (
            PlanData(Decimal(300), monthly([100, 200], [40, 30])),
            "planned_progress_pct",
            "低于上一期",
        ),
        (PlanData(Decimal(300), monthly([100, 200], [40, 130])), "planned_progress_pct", "0到100"),
        (
            PlanData(Decimal(100), [PlanPeriodData("2027-01", Decimal(100), Decimal(5))]),
            "periods",
            "不属于2026年",
        ),
        (
            PlanData(Decimal(100), [PlanPeriodData("2026-Q1", Decimal(100), Decimal(5))]),
            "periods",
            "应如 2026-03",
        ),
    ],
)
def test_bad_plan_is_refused_with_field_and_reason(session, actors, data, field, reason):
    project, liaison, _ = actors
    with pytest.raises(ValidationError) as info:
        plans.draft_version(session, liaison, project, 2026, data, "monthly")
    assert reason in info.value.by_field()[field]


def test_al4_quarterly_breakdown(session, actors):
    project, liaison, _ = actors
    data = PlanData(
        Decimal(400),
        [PlanPeriodData(f"2026-Q{q}", Decimal(100), Decimal(25 * q)) for q in range(1, 5)],
    )
    version = plans.draft_version(session, liaison, project, 2026, data, "quarterly")
    assert [p.period_end.month for p in version.periods] == [3, 6, 9, 12]


# --- hostile input: each refused with the field and the reason ----------------------------


def test_lp6_plan_periods_take_ascii_digits_and_a_sensible_year(session, actors):
    project, liaison, _ = actors
    full_width = PlanData(Decimal(10), [PlanPeriodData("２０２６-01", Decimal(10), Decimal(5))])
    with pytest.raises(ValidationError) as info:
        plans.draft_version(session, liaison, project, 2026, full_width, "monthly")
    assert "半角数字" in info.value.by_field()["periods"]
    with pytest.raises(ValidationError) as year:
        plans.draft_version(session, liaison, project, 0, PlanData(Decimal(10)), "monthly")
    assert "年份应在2000年至2100年之间" in year.value.by_field()["year"]


def test_lp6_plan_figures_are_finite_and_fit_the_column(session, actors):
    project, liaison, _ = actors
    nan = PlanData(Decimal(10), [PlanPeriodData("2026-01", Decimal(10), Decimal("NaN"))])
    with pytest.raises(ValidationError) as info:
        plans.draft_version(session, liaison, project, 2026, nan, "monthly")
    assert info.value.by_field()["planned_progress_pct"] == "不能是 NaN 或无穷大"
    huge = PlanData(Decimal("1e14"))
    with pytest.raises(ValidationError) as big:
        plans.draft_version(session, liaison, project, 2026, huge, "monthly")
    assert big.value.by_field() == {"annual_investment": "不能超过 99,999,999,999,999.9999 万元"}
    assert plans.plan_for(session, project.id, 2026) is None


def test_an_annual_plan_above_the_total_investment_is_refused_naming_the_field(session, actors):
    project, liaison, _ = actors
    too_much = project.total_investment + 1
    with pytest.raises(ValidationError) as info:
        plans.draft_version(session, liaison, project, 2026, PlanData(too_much), "monthly")
    assert info.value.by_field() == {
        "annual_investment": f"年度计划投资 {too_much.normalize():f} 万元超过项目总投资 "
        f"{project.total_investment.normalize():f} 万元"
    }
    assert plans.plan_for(session, project.id, 2026) is None
