"""Guangshan's year-end evaluation (GS8, GS2) against hand-computed figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from keyproj.db.models import AwardRecord
from keyproj.errors import Conflict, PermissionDenied, ValidationError
from keyproj.policy import load_profile
from keyproj.services.awards.evaluations import confirm, items_in_scope, propose
from keyproj.services.awards.pledges import score, service_ranking
from tests.builders.awards import NOW, TODAY, guangshan_year, service_units
from tests.builders.county import County

PROFILE = load_profile("guangshan")


@pytest.fixture
def guangshan(county: County) -> County:
    """The year's towns, departments and service units."""
    return service_units(guangshan_year(county))


def _items(county: County, username: str = "zdb") -> list[tuple[str, str, str | None, str]]:
    row = propose(county.session, PROFILE, county.people["zdb"], 2026, NOW, TODAY)
    return [
        (p.item.unit, p.item.kind_label, p.item.amount, p.item.clause)
        for p in items_in_scope(row, county.people[username])
    ]


def test_gs8_gs2_prizes_penalties_merits_and_criticism_by_the_years_ranking(guangshan):
    assert _items(guangshan) == [
        # 城关镇 and 石桥镇 tie at 120.00%: both first, both earn the first place's 100万;
        # 十里镇 (90.00%) is third, outside the first two places.
        ("城关镇", "奖励资金", "100", "GS8"),
        ("城关镇", "记三等功", None, "GS8"),
        ("石桥镇", "奖励资金", "100", "GS8"),
        ("石桥镇", "记三等功", None, "GS8"),
        # 泼陂河镇 50.00% second-last: 50万; 仙居乡 30.00% last: 100万, criticised, no 评先.
        ("泼陂河镇", "罚款", "50", "GS8"),
        ("仙居乡", "罚款", "100", "GS8"),
        ("仙居乡", "通报批评", None, "GS8"),
        ("仙居乡", "取消评先评优资格", None, "GS8"),
        # 晏河乡 has no key project: not ranked, no 评先, next year's funding cut by 20% (GS2).
        ("晏河乡", "取消评先评优资格", None, "GS2"),
        ("晏河乡", "减少下一年度财政拨付经费", None, "GS2"),
        # Departments: 100.00% completes the year's task; 80.00% does not.
        ("县交通运输局", "记三等功", None, "GS8"),
        ("县水利局", "通报批评", None, "GS8"),
        ("县水利局", "取消评先评优资格", None, "GS8"),
        # Service units: 85.00 and 84.33 first and second; 67.50 last with its pledge not kept.
        ("县教育局", "记三等功", None, "GS8"),
        ("县卫健委", "记三等功", None, "GS8"),
        ("县自然资源局", "通报批评", None, "GS8"),
        ("县自然资源局", "诫勉谈话", None, "GS8"),
    ]


def test_gs8_the_rules_quote_the_figures_they_rest_on(guangshan):
    row = propose(guangshan.session, PROFILE, guangshan.people["zdb"], 2026, NOW, TODAY)
    rules = {(i["unit"], i["kind"]): i["rule"] for i in row.figures["items"]}
    # GS2: no tour in this year, so each town's composite is its investment score (50% → 50.00).
    assert rules[("泼陂河镇", "penalty")] == (
        "年度综合得分50.00（投资完成率50.00%，投资得分50.00，全年未被观摩，观摩得分按投资得分计），"
        "乡镇第5名（倒数第2名）；年终考评后2名分别罚款50万元、100万元"
    )
    assert rules[("石桥镇", "prize")] == (
        "年度综合得分100.00（投资完成率120.00%，投资得分100.00，全年未被观摩，观摩得分按投资得分计），"
        "乡镇第1名；年度综合考评前2名分别奖励100万元、50万元"
    )
    assert "减少下一年度20%的财政拨付经费" in rules[("晏河乡", "funding_cut")]
    assert rules[("县卫健委", "merit")].startswith(
        "服务协调单位综合得分84.33（3个单位打分），第2名"
    )
    assert rules[("县水利局", "criticism")].startswith(
        "年度完成投资400万元，计划500万元，完成率80.00%，未完成年度建设任务"
    )


def test_gs8_service_units_mean_and_rank(guangshan):
    rows = service_ranking(guangshan.session, 2026)
    assert [(r.unit, r.mean, r.count, r.rank, r.last) for r in rows] == [
        ("县教育局", Decimal("85.00"), 2, 1, False),
        ("县卫健委", Decimal("84.33"), 3, 2, False),  # (95 + 70 + 88) ÷ 3 = 84.333…
        ("县自然资源局", Decimal("67.50"), 2, 3, True),
    ]


def test_gs8_a_scorer_replaces_its_score_and_a_service_unit_cannot_score_itself(guangshan):
    s = guangshan.session
    d05 = next(r for r in service_ranking(s, 2026) if r.unit == "县自然资源局")
    score(s, guangshan.people["other"], d05.pledge_id, "95", "改进明显", NOW)  # was 75
    again = next(r for r in service_ranking(s, 2026) if r.unit == "县自然资源局")
    assert (again.mean, again.count) == (Decimal("77.50"), 2)  # (60 + 95) ÷ 2
    with pytest.raises(ValidationError, match="得分"):
        score(s, guangshan.people["town"], d05.pledge_id, "101", "超出", NOW)


def test_confirming_writes_each_item_once_and_strikes_with_a_reason(guangshan):
    s, office = guangshan.session, guangshan.people["zdb"]
    row = propose(s, PROFILE, office, 2026, NOW, TODAY)
    with pytest.raises(ValidationError, match="删除理由"):
        confirm(s, office, row.id, {3: "  "}, NOW)
    written = confirm(s, office, row.id, {3: "石桥镇并列第一，奖金另行研究"}, NOW)
    assert len(written) == 16  # 17 items, one struck
    assert ("石桥镇", "prize") not in {(r.unit.name, r.kind) for r in written}
    prize = next(r for r in written if r.unit.name == "城关镇" and r.kind == "prize")
    assert (prize.amount, prize.year, prize.clause) == (Decimal("100"), 2026, "GS8")
    assert confirm(s, office, row.id, {}, NOW) == written  # once: nothing more is written
    assert s.scalar(select(func.count()).select_from(AwardRecord)) == 16
    with pytest.raises(Conflict, match="已确认"):
        propose(s, PROFILE, office, 2026, NOW, TODAY)
    d05 = next(r for r in service_ranking(s, 2026) if r.unit == "县自然资源局")
    with pytest.raises(Conflict, match="不能再修改"):
        score(s, guangshan.people["other"], d05.pledge_id, "95", "改进明显", NOW)


def test_only_the_key_office_proposes_and_a_town_sees_its_own_items(guangshan):
    with pytest.raises(PermissionDenied):
        propose(guangshan.session, PROFILE, guangshan.people["town"], 2026, NOW, TODAY)
    assert _items(guangshan, "town") == [
        ("城关镇", "奖励资金", "100", "GS8"),
        ("城关镇", "记三等功", None, "GS8"),
    ]
