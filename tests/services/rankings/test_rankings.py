"""Rankings by investment completion rate (HD5, GS2, GS8) against hand-computed fixtures."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from docx import Document
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from keyproj.db.models import ReminderLetter
from keyproj.errors import PermissionDenied
from keyproj.policy import load_profile
from keyproj.services.access import viewer_for
from keyproj.services.rankings.compute import NO_PROJECT, ZERO_PLAN, Ranking, in_scope, rank
from keyproj.services.rankings.runs import (
    ack_due,
    acknowledge,
    issue_letters,
    letter_docx,
    letters_for,
    save_run,
)
from tests.builders import factories
from tests.builders.county import County
from tests.builders.rankings import handan_departments

NOW = datetime(2026, 4, 8, 2, tzinfo=UTC)  # 8 April 2026, 10:00 in Beijing


def _table(ranking: Ranking, group: str) -> list[tuple[str, str, int | None, list[str]]]:
    rows = next(g for g in ranking.groups if g.key == group).rows
    return [(r.unit, r.rate_text, r.rank, r.places) for r in rows]


def _reasons(ranking: Ranking, group: str) -> dict[str, str | None]:
    rows = next(g for g in ranking.groups if g.key == group).rows
    return {r.unit: r.reason for r in rows}


# --- Guangshan: towns and departments separately, top two and bottom two, monthly (GS2) -----


@pytest.fixture
def guangshan(county: County) -> County:
    """Towns and departments of Guangshan with their plans and weekly reports to March 2026."""
    s = county.session
    for code, name, kind in (
        ("T03", "十里镇", "town"),
        ("T04", "马畈镇", "town"),
        ("T05", "泼陂河镇", "town"),
        ("T06", "仙居乡", "town"),
        ("T07", "晏河乡", "town"),
        ("D02", "县水利局", "county_department"),
        ("D03", "县教育局", "county_department"),
    ):
        factories.unit(s, code, name, kind)
    months = ("2026-01", "2026-02", "2026-03", "2026-04")

    def project(unit: str, plan: tuple[str, str, str, str], week: str | None, annual: str) -> None:
        p = factories.project(s, unit, name=f"{unit}重点项目")
        county.plan(p, 2026, [(m, inv, "0") for m, inv in zip(months, plan, strict=True)])
        if week:
            county.report(p, "weekly", week, annual=annual)

    project("T01", ("100", "100", "200", "300"), "2026-W13", "300")  # 300 ÷ 400 = 75.00%
    unplanned = factories.project(s, "T01", name="城关镇未列入年度计划的项目")
    county.report(unplanned, "weekly", "2026-W13", annual="1000")  # no 2026 plan: not counted
    project("T02", ("100", "100", "100", "0"), "2026-W13", "270")  # 270 ÷ 300 = 90.00%
    project("T03", ("0", "0", "200", "0"), "2026-W09", "150")  # W13 missing: 150 ÷ 200 = 75.00%
    project("T04", ("0", "0", "0", "500"), "2026-W13", "0")  # nothing planned to March
    project("T06", ("0", "0", "100", "0"), "2026-W13", "120")  # 120 ÷ 100 = 120.00%
    project("T07", ("0", "100", "100", "0"), "2026-W13", "100")  # 100 ÷ 200 = 50.00%
    project("D01", ("300", "300", "400", "0"), "2026-W13", "800")  # 800 ÷ 1000 = 80.00%
    project("D02", ("0", "0", "500", "0"), "2026-W13", "600")  # 600 ÷ 500 = 120.00%
    project("D03", ("0", "200", "200", "0"), "2026-W13", "100")  # 100 ÷ 400 = 25.00%
    s.flush()
    return county


def test_gs2_towns_ranked_with_ties_sharing_a_rank_and_the_next_skipped(session, guangshan):
    ranking = rank(session, load_profile("guangshan"), "2026-03")
    # 120% first, 90% second; 城关镇 and 十里镇 tie at 75% (third), so 晏河乡 at 50% is fifth.
    # Top two: 仙居乡, 石桥镇. Bottom two with ties: 晏河乡 (none lower), 城关镇 and 十里镇 (one lower).
    assert _table(ranking, "towns")[:5] == [
        ("仙居乡", "120.00%", 1, ["top"]),
        ("石桥镇", "90.00%", 2, ["top"]),
        ("城关镇", "75.00%", 3, ["bottom"]),
        ("十里镇", "75.00%", 3, ["bottom"]),
        ("晏河乡", "50.00%", 5, ["bottom"]),
    ]
    assert "其后名次顺延" in ranking.rule


def test_gs2_gs8_a_town_without_projects_and_one_with_a_zero_plan_are_not_ranked(
    session, guangshan
):
    ranking = rank(session, load_profile("guangshan"), "2026-03")
    reasons = _reasons(ranking, "towns")
    assert reasons["泼陂河镇"] == NO_PROJECT
    assert reasons["马畈镇"] == ZERO_PLAN
    unranked = [row for row in _table(ranking, "towns") if row[2] is None]
    assert [u for u, *_ in unranked] == ["马畈镇", "泼陂河镇"]


def test_gs2_departments_ranked_apart_from_towns(session, guangshan):
    ranking = rank(session, load_profile("guangshan"), "2026-03")
    # Three departments, top two and bottom two: 县交通运输局 is both second and second-last.
    assert _table(ranking, "departments") == [
        ("县水利局", "120.00%", 1, ["top"]),
        ("县交通运输局", "80.00%", 2, ["top", "bottom"]),
        ("县教育局", "25.00%", 3, ["bottom"]),
    ]


def test_a_missing_report_is_counted_from_the_newest_one_and_said_so(session, guangshan):
    ranking = rank(session, load_profile("guangshan"), "2026-03")
    row = next(r for r in ranking.groups[0].rows if r.unit == "十里镇")
    (figure,) = row.projects
    assert (figure.planned, figure.completed, figure.report_period) == (200, 150, "2026-W09")
    assert figure.plan_periods == ["2026-01", "2026-02", "2026-03"]
    assert figure.note == "2026年第13周未报送，按2026-W09报告计"


def test_a_unit_sees_every_rank_but_only_its_own_projects(session, guangshan):
    guangshan.with_people("town", "zdb")
    ranking = rank(session, load_profile("guangshan"), "2026-03")
    towns = in_scope(ranking.groups, guangshan.people["town"])[0].rows
    assert {r.unit: bool(r.projects) for r in towns if r.rank} == {
        "仙居乡": False,
        "石桥镇": False,
        "城关镇": True,
        "十里镇": False,
        "晏河乡": False,
    }
    office = in_scope(ranking.groups, guangshan.people["zdb"])[0].rows
    assert all(r.projects for r in office if r.rank)


# --- Handan: quarterly over responsible departments, bottom three get a 提醒函 (HD5) ----------


@pytest.fixture
def handan(county: County) -> County:
    """Five departments' plans and monthly reports for the first quarter of 2026."""
    return handan_departments(county)


def test_hd5_departments_ranked_by_quarter_bottom_three_with_a_tie(session, handan):
    ranking = rank(session, load_profile("handan"), "2026-Q1")
    assert _table(ranking, "departments") == [
        ("市城管局", "110.00%", 1, []),
        ("县交通运输局", "80.00%", 2, []),
        ("市教育局", "50.00%", 3, ["bottom"]),
        ("市卫健委", "50.00%", 3, ["bottom"]),
        ("市水利局", "40.00%", 5, ["bottom"]),
    ]
    assert _reasons(ranking, "towns") == {"城关镇": NO_PROJECT, "石桥镇": NO_PROJECT}


def test_hd5_letters_numbered_laid_out_and_pointing_at_the_run(session, handan):
    handan.with_people("zdb")
    profile = load_profile("handan")
    run, _ = save_run(session, profile, "2026-Q1", handan.people["zdb"], NOW)
    letters = issue_letters(session, profile, run, handan.people["zdb"], NOW)
    assert [(x.unit.name, x.number) for x in letters] == [
        ("市教育局", "邯发改提醒〔2026〕1号"),
        ("市卫健委", "邯发改提醒〔2026〕2号"),
        ("市水利局", "邯发改提醒〔2026〕3号"),
    ]
    assert issue_letters(session, profile, run, handan.people["zdb"], NOW) == []  # once a run
    text = "\n".join(p.text for p in Document(BytesIO(letter_docx(letters[2]))).paragraphs)
    assert "邯发改提醒〔2026〕3号" in text
    assert "关于2026年第1季度政府投资项目投资完成情况的提醒函" in text
    assert "市水利局：" in text
    # (100 + 140) ÷ (400 + 200) = 40.00%, fifth of five.
    assert "计划投资600万元，完成投资240万元，完成计划投资率40.00%，排名第5位" in text
    assert "市发展改革委（代市政府）" in text
    assert "2026年4月8日" in text
    assert run.figures["departments"][4]["projects"][1]["report_period"] == "2026-02"


def test_hd5_the_unit_acknowledges_its_letter_with_measures(session, handan):
    handan.with_people("zdb", "dept", "town")
    profile = load_profile("handan")
    water = factories.user(session, "water", "D02", "unit_liaison")
    run, _ = save_run(session, profile, "2026-Q1", handan.people["zdb"], NOW)
    issue_letters(session, profile, run, handan.people["zdb"], NOW)
    mine = viewer_for(session, water)
    (letter,) = letters_for(session, mine)
    assert letters_for(session, handan.people["dept"]) == []  # 县交通运输局 got none
    with pytest.raises(PermissionDenied):
        acknowledge(session, handan.people["zdb"], letter.id, "加快进度", NOW)
    # Issued Wednesday 8 April 2026; five working days: 9, 10, 13, 14, 15 April.
    assert ack_due(session, profile, letter) == date(2026, 4, 15)
    acknowledge(session, mine, letter.id, "倒排工期，每周调度", NOW)
    assert (letter.measures, letter.acknowledged_by_id) == ("倒排工期，每周调度", water.id)


def test_hd5_letter_numbers_never_repeat_under_concurrent_runs(engine: Engine, handan, session):
    if engine.dialect.name != "postgresql":
        pytest.skip("the race needs two connections to one server")
    handan.with_people("zdb").committed()
    profile = load_profile("handan")
    numbers: list[str] = []

    def run_and_issue() -> None:
        with Session(engine) as own, own.begin():
            run, _ = save_run(own, profile, "2026-Q1", None, NOW)
            numbers.extend(x.number for x in issue_letters(own, profile, run, None, NOW))

    threads = [threading.Thread(target=run_and_issue) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(numbers) == sorted(f"邯发改提醒〔2026〕{n}号" for n in range(1, 7))
    assert session.scalar(select(func.count()).select_from(ReminderLetter)) == 6


# --- Lianping: monthly, no top places, a tie at the top and a department with a zero plan ----


def test_lianping_ties_at_first_and_a_zero_plan(session, county: County):
    county.with_projects("plant", "bridge")
    road = factories.project(session, "D01", name="县道改建工程")
    county.plan(county.projects["plant"], 2026, [("2026-02", "100", "0"), ("2026-03", "100", "0")])
    county.plan(county.bridge, 2026, [("2026-03", "200", "0")])
    county.plan(road, 2026, [("2026-05", "900", "0")])
    county.report(county.projects["plant"], "monthly", "2026-03", annual="100")  # 100 ÷ 200
    county.report(county.bridge, "monthly", "2026-03", annual="100")  # 100 ÷ 200
    ranking = rank(session, load_profile("lianping"), "2026-03")
    # Both towns at 50.00%: both first; no top places (top_n 0), both in the bottom three.
    assert _table(ranking, "towns") == [
        ("城关镇", "50.00%", 1, ["bottom"]),
        ("石桥镇", "50.00%", 1, ["bottom"]),
    ]
    assert _reasons(ranking, "departments") == {"县交通运输局": ZERO_PLAN}


def test_lianping_a_town_without_projects_and_a_month_without_a_report(session, county: County):
    county.with_projects("plant", "bridge")
    factories.unit(session, "T03", "十里镇", "town")  # no project at all
    plant = county.projects["plant"]
    county.plan(plant, 2026, [("2026-02", "100", "0"), ("2026-03", "100", "0")])
    county.plan(county.bridge, 2026, [("2026-03", "200", "0")])
    county.report(plant, "monthly", "2026-02", annual="80")  # March's report is missing
    county.report(county.bridge, "monthly", "2026-03", annual="100")
    ranking = rank(session, load_profile("lianping"), "2026-03")
    # By hand: 石桥镇 100 ÷ 200 = 50.00%; 城关镇 counted from February, 80 ÷ (100 + 100) = 40.00%.
    assert _table(ranking, "towns") == [
        ("石桥镇", "50.00%", 1, ["bottom"]),
        ("城关镇", "40.00%", 2, ["bottom"]),
        ("十里镇", "—", None, []),
    ]
    assert _reasons(ranking, "towns")["十里镇"] == NO_PROJECT
    (figure,) = next(r for r in ranking.groups[0].rows if r.unit == "城关镇").projects
    assert (figure.planned, figure.completed, figure.report_period) == (200, 80, "2026-02")
    assert figure.note == "2026年3月未报送，按2026-02报告计"


def test_hd5_a_department_with_nothing_planned_in_the_quarter_is_not_ranked(session, handan):
    factories.unit(session, "D06", "市住建局", "county_department")
    later = factories.project(session, "D06", name="市住建局四月开工项目")
    handan.plan(later, 2026, [("2026-04", "300", "0")])
    handan.report(later, "monthly", "2026-03", annual="0")
    ranking = rank(session, load_profile("handan"), "2026-Q1")
    assert _reasons(ranking, "departments")["市住建局"] == ZERO_PLAN
    # The five ranked departments keep their places (by hand in the test above).
    assert [(u, r) for u, _, r, _ in _table(ranking, "departments")] == [
        ("市城管局", 1),
        ("县交通运输局", 2),
        ("市教育局", 3),
        ("市卫健委", 3),
        ("市水利局", 5),
        ("市住建局", None),
    ]


def test_gs8_the_years_ranking_counts_the_whole_years_plan(session, guangshan):
    ranking = rank(session, load_profile("guangshan"), "2026", cycle="yearly")
    # Every plan period of the year counts, April's too: 城关镇 300 ÷ 700 = 42.86%, and
    # 马畈镇, with 500 planned for April and nothing done, is last at 0.00%.
    towns = _table(ranking, "towns")
    assert [(u, rate, r) for u, rate, r, _ in towns] == [
        ("仙居乡", "120.00%", 1),
        ("石桥镇", "90.00%", 2),
        ("十里镇", "75.00%", 3),
        ("晏河乡", "50.00%", 4),
        ("城关镇", "42.86%", 5),
        ("马畈镇", "0.00%", 6),
        ("泼陂河镇", "—", None),
    ]
    assert ranking.period.label == "2026年"
