"""GS2: the tours' results count in the half-year and year-end evaluation, listed beside the
investment ranking (hand-computed in tests/builders/tours.py)."""

from __future__ import annotations

from datetime import date

from keyproj.policy import load_profile
from keyproj.services.awards.evaluations import propose
from keyproj.services.tours.evaluation import half_year, tour_component
from tests.builders.awards import NOW, TODAY
from tests.builders.county import County
from tests.builders.tours import plan, tour_county, two_tours

GS = load_profile("guangshan")


def _units(component):
    return [(u["unit"], u["mean"], u["rank"], len(u["scores"])) for u in component["units"]]


def test_gs2_the_year_end_evaluation_shows_each_units_tour_score_and_its_ranking(county: County):
    two_tours(county, GS)
    row = propose(county.session, GS, county.people["zdb"], 2026, NOW, TODAY)
    tours = row.figures["tours"]
    assert [t["title"] for t in tours["tours"]] == ["3月重点项目观摩", "4月重点项目观摩"]
    assert _units(tours) == [
        ("城关镇", "85.13", 1, 2),  # (84.00 + 86.25) ÷ 2 = 85.125, half up
        ("石桥镇", "85.13", 1, 2),  # (84.00 + 86.25) ÷ 2: tied, both first
        ("十里镇", "73.50", 3, 2),  # (70.00 + 77.00) ÷ 2
    ]
    # Counted: the profile's [composite] weighs them with investment (70 / 30).
    assert "计入综合得分（投资70%、观摩30%）" in tours["note"]
    assert {r["unit"] for r in row.figures["towns"]} >= {"城关镇", "石桥镇", "十里镇"}


def test_gs2_the_half_year_takes_only_the_tours_of_its_half(county: County):
    two_tours(county, GS)
    july = plan(county, GS, "7月观摩", "2026-07-15", ["A"])  # drafted, never scored
    assert july.results is None
    first = tour_component(county.session, GS, *half_year(2026, 1))
    assert first is not None
    assert _units(first) == [
        ("城关镇", "85.13", 1, 2),
        ("石桥镇", "85.13", 1, 2),
        ("十里镇", "73.50", 3, 2),
    ]
    second = tour_component(county.session, GS, *half_year(2026, 2))
    assert second is not None
    assert second["units"] == []  # the July tour is not closed: nothing counts yet


def test_dc4_dancheng_tours_do_not_feed_its_evaluation(county: County):
    dc = load_profile("dancheng")
    tour_county(county)
    assert tour_component(county.session, dc, date(2026, 1, 1), date(2026, 12, 31)) is None
    row = propose(county.session, dc, county.people["zdb"], 2026, NOW, TODAY)
    assert "tours" not in row.figures
