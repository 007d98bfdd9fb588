"""LP10 spot checks: every project of 5亿元 or more in every cycle's plan, a reproducible random
draw of the others, and no way to take a big project out."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keyproj.errors import PermissionDenied, ValidationError
from keyproj.policy import load_profile
from keyproj.services.spot_checks.plans import (
    add_project,
    draw,
    draw_plan,
    ensure_current_plan,
    remove_project,
)
from keyproj.services.spot_checks.views import plan_view, uncovered
from tests.builders.county import County

NOW = datetime(2026, 3, 10, 2, tzinfo=UTC)  # 10 March 2026, 10:00 in Beijing
LIANPING = load_profile("lianping")
RULES = LIANPING.spot_checks
LIMIT = Decimal(50000)

investments = st.lists(
    st.decimals(min_value=0, max_value=200000, places=4, allow_nan=False), max_size=40
)


@settings(max_examples=200, deadline=None)
@given(amounts=investments, seed=st.integers(min_value=1, max_value=2**31 - 1))
def test_lp10_every_project_of_5_yi_or_more_is_in_the_draw(amounts, seed):
    assert RULES is not None
    projects = list(enumerate(amounts, start=1))
    result = draw(projects, LIMIT, RULES, seed)
    big = {p for p, amount in projects if amount >= LIMIT}
    small = {p for p, amount in projects if amount < LIMIT}
    assert set(result.covered) == big
    assert set(result.sampled) <= small
    # 20% of the others rounded up, at least 2, never more than there are.
    expected = min(len(small), max(2, -(-len(small) // 5)))
    assert len(result.sampled) == expected
    assert draw(list(reversed(projects)), LIMIT, RULES, seed) == result


def test_lp10_the_same_seed_draws_the_same_sample_and_another_seed_may_not():
    assert RULES is not None
    projects = [(i, Decimal(1000)) for i in range(1, 21)]  # twenty small projects: four drawn
    first = draw(projects, LIMIT, RULES, 20260310)
    assert len(first.sampled) == 4
    assert draw(projects, LIMIT, RULES, 20260310) == first
    others = {tuple(draw(projects, LIMIT, RULES, seed).sampled) for seed in range(1, 30)}
    assert len(others) > 1


@pytest.fixture
def lianping(county: County) -> County:
    """Five projects of 城关镇: two of 5亿元 or more (one exactly 5亿), three below."""
    county.with_people("zdb", "town")
    for name, amount in (
        ("城关镇产业园区基础设施工程", "80000"),
        ("城关镇安置房建设工程", "50000"),
        ("城关镇农贸市场改造", "49999.99"),
        ("城关镇背街小巷改造", "3000"),
        ("城关镇污水管网工程", "12000"),
    ):
        county.projects[name] = county.project(name, total_investment=Decimal(amount))
    return county


def test_lp10_the_drawn_plan_holds_both_big_projects_and_two_others(lianping, session):
    office = lianping.people["zdb"]
    plan = draw_plan(session, LIANPING, office, date(2026, 3, 10), NOW, seed=7)
    assert plan.cycle == "2026-03"
    assert plan.seed == 7
    reasons = {e.project.name: e.reason.value for e in plan.entries}
    assert reasons["城关镇产业园区基础设施工程"] == "threshold"
    assert reasons["城关镇安置房建设工程"] == "threshold"
    # three others: 20% rounds up to 1, the minimum of 2 wins
    assert sorted(reasons.values()) == ["sampled", "sampled", "threshold", "threshold"]
    assert uncovered(session, LIANPING, "2026-03") == []


def test_lp10_a_big_project_cannot_be_removed_and_a_small_one_can_with_a_reason(lianping, session):
    office = lianping.people["zdb"]
    plan = draw_plan(session, LIANPING, office, date(2026, 3, 10), NOW, seed=7)
    big = lianping.projects["城关镇安置房建设工程"]
    with pytest.raises(ValidationError) as refused:
        remove_project(session, LIANPING, office, plan.id, big.id, "本月已现场督导", NOW)
    assert "不能移出" in str(refused.value)
    small = next(e for e in plan.entries if e.reason.value == "sampled")
    with pytest.raises(ValidationError, match="移出理由"):
        remove_project(session, LIANPING, office, plan.id, small.project_id, " ", NOW)
    remove_project(session, LIANPING, office, plan.id, small.project_id, "项目停工待复工", NOW)
    view = plan_view(session, LIANPING, office, "2026-03", date(2026, 3, 10))
    removed = [e for e in view.entries if e.removed]
    assert [(e.project_id, e.removal_reason) for e in removed] == [
        (small.project_id, "项目停工待复工")
    ]
    assert uncovered(session, LIANPING, "2026-03") == []


def test_lp10_a_project_that_reaches_5_yi_after_the_draw_is_put_in_by_the_daily_job(
    lianping, session
):
    assert ensure_current_plan(session, LIANPING, NOW) == 4  # drawn: 2 big + 2 sampled
    grown = lianping.projects["城关镇农贸市场改造"]
    late = lianping.project("城关镇新建物流园", total_investment=Decimal("60000"))
    grown.total_investment = Decimal("50000")
    session.flush()
    assert set(uncovered(session, LIANPING, "2026-03")) <= {grown.id, late.id}
    assert late.id in uncovered(session, LIANPING, "2026-03")
    assert ensure_current_plan(session, LIANPING, NOW) >= 1
    assert uncovered(session, LIANPING, "2026-03") == []
    assert ensure_current_plan(session, LIANPING, NOW) == 0


def test_lp10_the_office_adds_a_project_with_a_reason_and_units_may_not(lianping, session):
    office, town = lianping.people["zdb"], lianping.people["town"]
    plan = draw_plan(session, LIANPING, office, date(2026, 3, 10), NOW, seed=7)
    planned = {e.project_id for e in plan.entries}
    outside = next(p for p in lianping.projects.values() if p.id not in planned)
    with pytest.raises(PermissionDenied):
        add_project(session, town, plan.id, outside.id, "群众反映", NOW)
    entry = add_project(session, office, plan.id, outside.id, "群众反映施工扰民", NOW)
    assert (entry.reason.value, entry.note) == ("added", "群众反映施工扰民")


def test_a_county_without_lp10_has_no_spot_check_plan(county, session):
    with pytest.raises(PermissionDenied):
        draw_plan(session, load_profile("handan"), None, date(2026, 3, 10), NOW)
    assert ensure_current_plan(session, load_profile("handan"), NOW) == 0
