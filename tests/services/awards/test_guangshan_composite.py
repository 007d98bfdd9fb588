"""GS2 with GS8: Guangshan's year-end prizes and penalties follow the towns' composite of the
whole year (investment 70%, the year's tours 30%), hand-computed in tests/builders/half_year.py."""

from __future__ import annotations

from keyproj.services.awards.evaluations import items_in_scope, propose
from tests.builders.awards import NOW, TODAY
from tests.builders.county import County
from tests.builders.half_year import GS, composite_county


def test_gs2_gs8_the_first_prize_goes_to_the_first_on_the_composite_not_on_investment(
    county: County,
):
    composite_county(county)
    row = propose(county.session, GS, county.people["zdb"], 2026, NOW, TODAY)
    towns = {"城关镇", "石桥镇", "十里镇", "马畈镇", "晏河乡"}
    items = [
        (p.item.unit, p.item.kind_label, p.item.amount)
        for p in items_in_scope(row, county.people["zdb"])
        if p.item.unit in towns
    ]
    assert items == [
        # 城关镇 90% is second on investment alone, first on the composite (90.00): 100万.
        ("城关镇", "奖励资金", "100"),
        ("城关镇", "记三等功", None),
        # 石桥镇 120% would be first on investment; second on the composite (88.00): 50万.
        ("石桥镇", "奖励资金", "50"),
        ("石桥镇", "记三等功", None),
        # 马畈镇 85.00 (never toured) second-last: 50万; 十里镇 84.50 last: 100万 and criticised.
        ("马畈镇", "罚款", "50"),
        ("十里镇", "罚款", "100"),
        ("十里镇", "通报批评", None),
        ("十里镇", "取消评先评优资格", None),
        ("晏河乡", "取消评先评优资格", None),
        ("晏河乡", "减少下一年度财政拨付经费", None),
    ]


def test_gs2_the_year_end_rules_quote_the_composite_and_its_parts(county: County):
    composite_county(county)
    row = propose(county.session, GS, county.people["zdb"], 2026, NOW, TODAY)
    rules = {(i["unit"], i["kind"]): i["rule"] for i in row.figures["items"]}
    assert rules[("城关镇", "prize")].startswith(
        # 90 × 0.7 + (80 + 90 + 100) ÷ 3 × 0.3 = 63.00 + 27.00
        "年度综合得分90.00（投资完成率90.00%，投资得分90.00，全年观摩得分90.00），乡镇第1名"
    )
    scores = [(r["unit"], r["score"], r["rank"]) for r in row.figures["composite"]["towns"]]
    assert scores == [
        ("城关镇", "90.00", 1),
        ("石桥镇", "88.00", 2),  # 70.00 + (50 + 60 + 70) ÷ 3 × 0.3 = 70.00 + 18.00
        ("马畈镇", "85.00", 3),
        ("十里镇", "84.50", 4),
        ("晏河乡", None, None),
    ]
    assert "综合得分 = 投资得分 × 70% ＋ 观摩得分 × 30%" in row.figures["composite"]["rule"]
