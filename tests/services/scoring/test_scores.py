"""Quarterly department scores (AL11, AL12) against hand-computed fixtures under three profiles."""

from __future__ import annotations

from decimal import Decimal

import pytest

from keyproj.errors import PermissionDenied, ValidationError
from keyproj.policy import load_profile
from keyproj.services.scoring.bonus import record_bonus
from keyproj.services.scoring.compute import (
    NO_PROJECT,
    DepartmentScore,
    QuarterScores,
    as_json,
    in_scope,
    score_quarter,
    year_end,
)
from tests.builders import factories
from tests.builders.county import County
from tests.builders.scoring import NOW, scored_departments


def _by_unit(scores: QuarterScores) -> dict[str, DepartmentScore]:
    return {d.unit: d for d in scores.departments}


def _components(dept: DepartmentScore) -> dict[str, dict[str, Decimal]]:
    return {p.name: {c.key: c.points for c in p.components} for p in dept.projects}


def test_al12_alxa_quarter_scores_by_hand(session, county):
    scored_departments(county, "semimonthly")
    scores = _by_unit(score_quarter(session, load_profile("alxa_left"), "2026-Q3"))
    d01 = scores["县交通运输局"]
    assert _components(d01) == {
        # 3/4 stages = 75; started; 300 ÷ 400 = 75; 6 of 6 on time; 1 of 2 issues solved = 50
        "甲公路": {
            "procedures": 75,
            "start_rate": 100,
            "milestones": 75,
            "reporting": 100,
            "issue_handling": 50,
        },
        # 3/4 stages; not started by Sep 30 although planned for Aug 1; 250 ÷ 200 capped at 100;
        # 5 of 6 = 83.33; no issues
        "乙物流园": {
            "procedures": 75,
            "start_rate": 0,
            "milestones": 100,
            "reporting": Decimal("83.33"),
            "issue_handling": 100,
        },
    }
    # 甲: 75×20% + 100×25% + 75×30% + 100×10% + 50×15% = 15 + 25 + 22.5 + 10 + 7.5 = 80
    # 乙: 15 + 0 + 30 + 8.33 + 15 = 68.33; mean (80 + 68.33) ÷ 2 = 74.165 → 74.17; bonus 2.5
    assert [p.score for p in d01.projects] == [Decimal("80.00"), Decimal("68.33")]
    assert (d01.mean, d01.bonus, d01.score) == (Decimal("74.17"), Decimal("2.5"), Decimal("76.67"))
    assert d01.bonuses[0].reason == "牵头完成跨部门协调"
    assert d01.bonuses[0].recorded_by is not None
    # 丙: no approvals reported 0; start not due 25; nothing planned to Sep 30 30;
    # first report late 5/6 → 8.33; no issues 15 → 78.33
    assert scores["县水利局"].score == Decimal("78.33")
    late = next(c for c in scores["县水利局"].projects[0].components if c.key == "reporting")
    assert "2026-07-1逾期报送（2026-08-10，应于2026-07-14前）" in late.inputs


@pytest.mark.parametrize(
    ("profile", "cycle"),
    [("alxa_left", "semimonthly"), ("handan", "monthly"), ("dancheng", "monthly")],
)
def test_al12_a_department_without_projects_is_not_scored(session, county, profile, cycle):
    scored_departments(county, cycle)
    scores = score_quarter(session, load_profile(profile), "2026-Q3")
    (row,) = [d for d in as_json(scores)["departments"] if d["unit"] == "县教育局"]
    assert (row["score"], row["reason"], row["projects"]) == (None, NO_PROJECT, [])


def test_al12_a_missing_report_is_named_in_the_reporting_component(session, county):
    scored_departments(county, "semimonthly")
    scores = _by_unit(score_quarter(session, load_profile("alxa_left"), "2026-Q3"))
    b = scores["县交通运输局"].projects[1]
    reporting = next(c for c in b.components if c.key == "reporting")
    assert reporting.inputs[0] == "应报6期，按时5期：按时期数 ÷ 应报期数 × 100"
    assert "2026-09-2未报送（应于2026-09-28前）" in reporting.inputs
    milestones = next(c for c in b.components if c.key == "milestones")
    assert "依据2026-09-1报告" in milestones.inputs[0]


def test_handan_quarter_scores_by_hand(session, county):
    scored_departments(county, "monthly")
    scores = _by_unit(score_quarter(session, load_profile("handan"), "2026-Q3"))
    # Weights 20/20/30/15/15. 甲: 15 + 20 + 22.5 + 15 + 7.5 = 80.
    # 乙: 15 + 0 + 30 + (2/3 = 66.67 × 15% = 10.0005 → 10.00) + 15 = 70; mean 75, bonus 2.5
    d01 = scores["县交通运输局"]
    assert [p.score for p in d01.projects] == [Decimal("80.00"), Decimal("70.00")]
    assert d01.score == Decimal("77.50")
    # 丙: 0 + 20 + 30 + 10.00 (07 due Aug 5, submitted Aug 10) + 15 = 75
    assert scores["县水利局"].score == Decimal("75.00")


def test_dancheng_quarter_scores_by_hand(session, county):
    scored_departments(county, "monthly")
    scores = _by_unit(score_quarter(session, load_profile("dancheng"), "2026-Q3"))
    # Weights 20/25/30/10/15. 甲: 15 + 25 + 22.5 + 10 + 7.5 = 80.
    # 乙: 15 + 0 + 30 + (66.67 × 10% = 6.667 → 6.67) + 15 = 66.67;
    # mean (80 + 66.67) ÷ 2 = 73.335 → 73.34; plus 2.5 = 75.84
    assert scores["县交通运输局"].score == Decimal("75.84")
    # 丙: 0 + 25 + 30 + 6.67 + 15 = 76.67
    assert scores["县水利局"].score == Decimal("76.67")


def _idle(county: County) -> None:
    """县水利局 with one project in the year's plan, no report at all, 100万 planned in December."""
    s = county.session
    factories.unit(s, "D02", "县水利局", "county_department")
    p = factories.project(s, "D02", name="丁泵站")
    county.plan(p, 2026, [("2026-12", "100", "0")])
    county.with_people("zdb")
    record_bonus(s, county.people["zdb"], p.lead_unit_id, "2026-Q3", "10", "防汛抢险表现突出", NOW)
    s.flush()


@pytest.mark.parametrize(
    ("profile", "quarters", "year"),
    [
        # Each quarter: procedures 0, start 0 (no report), reporting 0 (all missing), issues
        # full. Q1–Q3 milestones full (nothing planned yet), Q4 0 (100 planned, none done).
        # Alxa 20/25/30/10/15: Q1 = Q2 = 30 + 15 = 45, Q3 = 45 + 10 bonus = 55, Q4 = 15;
        # year = 0.2×45 + 0.2×45 + 0.3×55 + 0.3×15 = 9 + 9 + 16.5 + 4.5 = 39.00
        ("alxa_left", ["45.00", "45.00", "55.00", "15.00"], "39.00"),
        # Handan 20/20/30/15/15, equal weights: (45 + 45 + 55 + 15) ÷ 4 = 40.00
        ("handan", ["45.00", "45.00", "55.00", "15.00"], "40.00"),
    ],
)
def test_al11_the_year_end_score_weights_the_quarters(session, county, profile, quarters, year):
    _idle(county)
    (row,) = [r for r in year_end(session, load_profile(profile), 2026) if r["unit"] == "县水利局"]
    assert (row["quarters"], row["score"]) == (quarters, year)


def test_only_the_key_office_records_bonus_points_with_a_reason(session, county):
    _idle(county)
    county.with_people("dept")
    unit_id = county.people["dept"].unit_id
    with pytest.raises(PermissionDenied):
        record_bonus(session, county.people["dept"], unit_id, "2026-Q3", "5", "自评", NOW)
    with pytest.raises(ValidationError, match="加分理由"):
        record_bonus(session, county.people["zdb"], unit_id, "2026-Q3", "5", "  ", NOW)
    with pytest.raises(ValidationError, match="加分应"):
        record_bonus(session, county.people["zdb"], unit_id, "2026-Q3", "abc", "理由", NOW)
    with pytest.raises(ValidationError, match="季度"):
        record_bonus(session, county.people["zdb"], unit_id, "2026-13", "1", "理由", NOW)


def test_a_unit_sees_every_score_but_only_its_own_projects(session, county):
    scored_departments(county, "semimonthly")
    scores = score_quarter(session, load_profile("alxa_left"), "2026-Q3")
    seen = {d.unit: (d.score, len(d.projects)) for d in in_scope(scores, county.people["dept"])}
    assert seen["县交通运输局"] == (Decimal("76.67"), 2)  # the liaison's own department
    assert seen["县水利局"] == (Decimal("78.33"), 0)
