"""Observation tours (DC4, GS2): the plan, score sheets and the hand-computed ranking with ties."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from keyproj.codes import TourState
from keyproj.errors import Conflict, NotFound, PermissionDenied, ValidationError
from keyproj.policy import load_profile
from keyproj.services.tours.guide import guide_lines
from keyproj.services.tours.plans import TourPlan, save_plan, tour_for, tours_for
from keyproj.services.tours.results import in_scope
from keyproj.services.tours.scoring import save_sheet, sheets_in_scope
from tests.builders.county import County
from tests.builders.tours import (
    CODES,
    NOW,
    TOUR_1,
    on_tour_day,
    plan,
    scored,
    tour_county,
    two_tours,
)

GS = load_profile("guangshan")


def _projects(results):
    return [(p["name"], p["mean"], p["rank"]) for p in results["projects"]]


def _units(results):
    return [(u["unit"], u["mean"], u["rank"]) for u in results["units"]]


def test_gs2_a_tours_projects_and_units_are_ranked_by_mean_score_with_ties(county: County):
    first, second = two_tours(county, GS)
    assert _projects(first.results) == [
        ("项目A", "84.00", 1),
        ("项目C", "84.00", 1),  # (91 + 77) ÷ 2, tied with A's (88 + 80) ÷ 2
        ("项目D", "70.00", 3),
    ]
    assert _units(first.results) == [
        ("城关镇", "84.00", 1),
        ("石桥镇", "84.00", 1),
        ("十里镇", "70.00", 3),
    ]
    assert _projects(second.results) == [
        ("项目B", "87.50", 1),
        ("项目C", "86.25", 2),
        ("项目A", "85.00", 3),
        ("项目D", "77.00", 4),  # one sheet only: the mean of the sheets given
    ]
    assert _units(second.results) == [
        ("城关镇", "86.25", 1),  # (87.50 + 85.00) ÷ 2
        ("石桥镇", "86.25", 1),
        ("十里镇", "77.00", 3),
    ]
    assert second.state == TourState.CLOSED


def test_dc4_the_plan_keeps_the_route_order_and_the_guide_prints_it(county: County):
    tour_county(county)
    tour = plan(county, load_profile("dancheng"), "5月观摩", "2026-05-08", ["D", "B", "A"])
    assert [s.project.name for s in tour.stops] == ["项目D", "项目B", "项目A"]
    lines = guide_lines(county.session, tour)
    assert lines[0] == "一、观摩时间：2026年5月8日"
    assert lines[3].startswith(f"1. 项目D（{CODES['D']}），责任单位：十里镇")
    assert "1号车，30座，驾驶员：王师傅" in lines
    assert (
        lines[-2]
        == "六、评分项目：形象进度30分、投资完成30分、现场管理20分、问题解决20分，满分100分。"
    )


def test_a_bad_plan_names_every_field_and_saves_nothing(county: County):
    tour_county(county)
    data = TourPlan("", "2026-02-30", "广场", ["NOPE"], ["nobody"], [{"name": "车", "seats": "x"}])
    with pytest.raises(ValidationError) as caught:
        save_plan(county.session, GS, county.people["zdb"], data, NOW)
    fields = caught.value.by_field()
    assert set(fields) == {"title", "tour_on", "project_codes", "scorer_usernames", "vehicles"}
    assert "NOPE" in fields["project_codes"]
    assert tours_for(county.session, county.people["zdb"]) == []


def test_marks_are_checked_against_each_criterions_full_marks(county: County):
    projects = tour_county(county)
    tour = plan(county, GS, "3月观摩", "2026-03-20", ["A"])
    scored(county, GS, projects, tour, {}, close=False)
    marks = {"image": "31", "investment": "abc", "site": "10.25", "problems": ""}
    with pytest.raises(ValidationError) as caught:
        save_sheet(
            county.session,
            county.people["leader01"],
            tour.id,
            projects["A"].id,
            marks,
            "",
            on_tour_day(tour, NOW),
        )
    assert caught.value.by_field() == {
        "marks.image": "应在0至30分之间",
        "marks.investment": "应为数字",
        "marks.site": "最多保留一位小数",
        "marks.problems": "不能为空",
    }


def test_a_sheet_is_replaced_until_scoring_closes_then_frozen(county: County):
    projects = tour_county(county)
    tour = plan(county, GS, "3月观摩", "2026-03-20", ["A", "C", "D"])
    scored(county, GS, projects, tour, TOUR_1, close=False)
    leader = county.people["leader01"]
    lower = {"image": "10", "investment": "10", "site": "10", "problems": "10"}
    day = on_tour_day(tour, NOW)
    save_sheet(county.session, leader, tour.id, projects["A"].id, lower, "复核后调整", day)
    sheets = sheets_in_scope(county.session, leader, tour)
    totals = {s.project_id: str(s.total) for s in sheets}
    assert totals[projects["A"].id] == "40.00"
    assert len(sheets) == 3  # the leader's own sheets only, one per project
    from keyproj.services.tours.results import close_scoring

    close_scoring(county.session, county.people["zdb"], tour.id, day)
    assert _projects(tour.results) == [
        ("项目C", "84.00", 1),
        ("项目D", "70.00", 2),
        ("项目A", "60.00", 3),  # (40 + 80) ÷ 2: the replaced sheet counts, not the first
    ]
    with pytest.raises(Conflict, match="不能打分"):
        save_sheet(county.session, leader, tour.id, projects["A"].id, lower, "", day)


def test_only_named_scorers_score_and_units_see_only_their_own_results(county: County):
    first, _ = two_tours(county, GS)
    projects = {s.project.name: s.project for s in first.stops}
    with pytest.raises(PermissionDenied):
        save_sheet(
            county.session, county.people["zdb"], first.id, projects["项目A"].id, {}, "", NOW
        )
    town = county.people["other"]  # 石桥镇
    assert [t.id for t in tours_for(county.session, town)] == [_.id, first.id]
    mine = in_scope(tour_for(county.session, town, first.id), town)
    assert mine is not None
    assert _projects(mine) == [("项目C", "84.00", 1)]
    assert _units(mine) == [("石桥镇", "84.00", 1)]
    assert _units(in_scope(first, county.people["leader02"])) == _units(first.results)


def test_a_unit_without_a_project_on_the_tour_does_not_see_it(county: County):
    projects = tour_county(county)
    tour = plan(county, GS, "3月观摩", "2026-03-20", ["C"])
    scored(county, GS, projects, tour, {}, close=False)
    with pytest.raises(NotFound):
        tour_for(county.session, county.people["town"], tour.id)  # 城关镇 has no stop on it
    assert tours_for(county.session, county.people["town"]) == []


def test_gs2_a_tour_is_not_scored_before_its_day(county: County):
    projects = tour_county(county)
    tour = plan(county, GS, "3月观摩", "2026-03-20", ["A"])
    scored(county, GS, projects, tour, {}, close=False)
    marks = {"image": "26", "investment": "25", "site": "17", "problems": "16"}
    leader = county.people["leader01"]
    eve = datetime(2026, 3, 19, 15, 59, tzinfo=UTC)  # 19 March, 23:59 in Beijing
    with pytest.raises(ValidationError) as refused:
        save_sheet(county.session, leader, tour.id, projects["A"].id, marks, "", eve)
    assert refused.value.by_field() == {"tour_on": "观摩活动定于2026年3月20日，当天起才能打分"}
    assert sheets_in_scope(county.session, leader, tour) == []
    midnight = datetime(2026, 3, 19, 16, 0, tzinfo=UTC)  # 20 March, 00:00 in Beijing
    sheet = save_sheet(county.session, leader, tour.id, projects["A"].id, marks, "", midnight)
    assert str(sheet.total) == "84.00"
