"""GS2 半年评比: the half-year's composite ranking, the unranked town, the speakers, the stored
and published record, and the worker's draft (hand-computed in tests/builders/half_year.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from keyproj.errors import Conflict, PermissionDenied, ValidationError
from keyproj.policy import load_profile
from keyproj.services.half_year import records
from keyproj.services.half_year.compute import build
from tests.builders.county import County
from tests.builders.half_year import GS, composite_county

JULY = datetime(2026, 7, 2, 2, tzinfo=UTC)


@pytest.fixture
def gs(county: County) -> County:
    """The composite county: four towns and one without a project, four departments, tours."""
    composite_county(county)
    return county


def _rows(figures, key):
    return [
        (r["unit"], r["investment"], r["tour"], r["score"], r["rank"])
        for r in figures["composite"][key]
    ]


def test_gs2_half_year_towns_rank_on_the_composite_and_the_town_without_a_project_is_not_ranked(
    gs,
):
    figures = build(gs.session, GS, 2026, 1)
    assert _rows(figures, "towns") == [
        ("城关镇", "90.00", "85.00", "88.50", 1),  # 90 × 0.7 + (80 + 90) ÷ 2 × 0.3
        ("石桥镇", "100.00", "55.00", "86.50", 2),  # 120% capped at 100; (50 + 60) ÷ 2
        ("马畈镇", "85.00", None, "85.00", 3),  # not toured: the investment score throughout
        ("十里镇", "80.00", "95.00", "84.50", 4),  # 56.00 + 28.50
        ("晏河乡", None, None, None, None),
    ]
    unranked = figures["composite"]["towns"][-1]
    assert unranked["reason"] == "无重点项目，不参与排名"
    # The investment ranking it was built from still puts 石桥镇 (120%) before 城关镇 (90%).
    by_rate = {r["unit"]: r["rank"] for r in figures["ranking"]["towns"]}
    assert (by_rate["石桥镇"], by_rate["城关镇"]) == (1, 2)


def test_gs2_half_year_departments_are_ranked_apart_and_take_only_the_half_years_tours(gs):
    figures = build(gs.session, GS, 2026, 1)
    assert _rows(figures, "departments") == [
        ("县交通运输局", "100.00", "70.00", "91.00", 1),
        ("县水利局", "80.00", "100.00", "86.00", 2),  # above 县教育局 (90%) through its tours
        ("县教育局", "90.00", "70.00", "84.00", 3),
        ("县卫健委", "50.00", "90.00", "62.00", 4),
    ]
    assert [t["title"] for t in figures["tours"]["tours"]] == ["3月重点项目观摩", "5月重点项目观摩"]


def test_gs2_the_first_two_speak_of_their_experience_and_the_last_two_make_pledges(gs):
    speakers = build(gs.session, GS, 2026, 1)["speakers"]
    assert speakers["towns"] == {"top": ["城关镇", "石桥镇"], "bottom": ["马畈镇", "十里镇"]}
    assert speakers["departments"] == {
        "top": ["县交通运输局", "县水利局"],
        "bottom": ["县教育局", "县卫健委"],
    }


def test_gs2_the_second_half_counts_the_september_tour_and_the_years_figures(gs):
    towns = _rows(build(gs.session, GS, 2026, 2), "towns")
    # The second half's span holds the September tour only: 城关镇 100, 石桥镇 70, 十里镇 95;
    # the ranking runs to 31 December (城关镇 720 ÷ 800 = 90%).
    assert towns[:4] == [
        ("城关镇", "90.00", "100.00", "93.00", 1),  # 63.00 + 30.00
        ("石桥镇", "100.00", "70.00", "91.00", 2),  # 70.00 + 21.00
        ("马畈镇", "85.00", None, "85.00", 3),
        ("十里镇", "80.00", "95.00", "84.50", 4),  # 56.00 + 28.50
    ]


def test_gs2_a_published_evaluation_is_frozen_and_a_second_run_is_refused(gs):
    office = gs.people["zdb"]
    row = records.run(gs.session, GS, office, 2026, 1, JULY)
    assert row.figures["composite"]["towns"][0]["unit"] == "城关镇"
    records.publish(gs.session, office, row.id, JULY)
    assert row.confirmed_at is not None
    with pytest.raises(Conflict, match="2026年上半年评比已确认发布"):
        records.run(gs.session, GS, office, 2026, 1, JULY)
    assert records.publish(gs.session, office, row.id, JULY) is row  # confirming again: no-op


def test_gs2_only_the_key_office_runs_and_publishes(gs):
    with pytest.raises(PermissionDenied):
        records.run(gs.session, GS, gs.people["town"], 2026, 1, JULY)
    row = records.run(gs.session, GS, gs.people["zdb"], 2026, 1, JULY)
    with pytest.raises(PermissionDenied):
        records.publish(gs.session, gs.people["town"], row.id, JULY)


def test_gs2_a_half_other_than_1_or_2_is_refused_naming_the_field(gs):
    with pytest.raises(ValidationError) as caught:
        records.run(gs.session, GS, gs.people["zdb"], 2026, 3, JULY)
    assert caught.value.by_field() == {"half": "请选择上半年（1）或下半年（2）"}


def test_a_unit_sees_every_units_scores_and_only_its_own_projects_figures(gs):
    row = records.run(gs.session, GS, gs.people["zdb"], 2026, 1, JULY)
    seen = records.figures_in_scope(row, gs.people["other"])  # 石桥镇
    projects = {r["unit"]: len(r["projects"]) for r in seen["ranking"]["towns"]}
    assert projects["石桥镇"] == 1
    assert projects["城关镇"] == 0
    assert len(seen["composite"]["towns"]) == 5
    assert len(row.figures["ranking"]["towns"][0]["projects"]) == 1  # the stored figures intact


def test_gs2_the_worker_drafts_the_half_year_that_ended_once(gs):
    first = records.draft_due(gs.session, GS, date(2026, 7, 1), JULY)
    assert first is not None
    assert (first.year, first.half, first.run_by_id) == (2026, 1, None)
    assert records.draft_due(gs.session, GS, date(2026, 7, 2), JULY) is None


def test_dc4_profiles_whose_tours_do_not_count_have_no_half_year_evaluation(gs):
    dancheng = load_profile("dancheng")
    with pytest.raises(Conflict, match="本地制度未设半年评比"):
        records.run(gs.session, dancheng, gs.people["zdb"], 2026, 1, JULY)
    assert records.draft_due(gs.session, dancheng, date(2026, 7, 1), JULY) is None
