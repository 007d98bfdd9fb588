"""HD3: the four-colour evaluation of every project for a month, its board and its 专报 (DOCX)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from sqlalchemy import update

from keyproj.db.models import PlanPeriod
from keyproj.errors import NotFound
from keyproj.policy import load_profile
from keyproj.policy.model import ColourBand
from keyproj.services.documents.layout import to_docx
from keyproj.services.evaluation.colours import colour_board, project_evaluation
from keyproj.services.evaluation.special_report import special_report

Q3 = [  # 1000 万元 and 10 points of physical progress a month from July
    ("2026-07", "1000", "10"),
    ("2026-08", "1000", "20"),
    ("2026-09", "1000", "30"),
    ("2026-10", "1000", "40"),
]


@pytest.fixture
def seven(county):
    """One project of each outcome for September 2026 (plan to date 3000 万元, 30%)."""
    county.with_projects("plant", "road", "school", "bridge").with_people("zdb", "town")
    p = county.projects
    for key in ("plant", "road", "school", "bridge"):
        county.plan(p[key], 2026, Q3)
    county.report(p["plant"], "monthly", "2026-09", "3000", "30")  # 3000/3000 = 100%: green
    county.report(p["road"], "monthly", "2026-09", "2790", "30")  # 2790/3000 = 93%: blue
    county.report(p["school"], "monthly", "2026-09", "2400", "30")  # 2400/3000 = 80%: yellow
    county.report(p["bridge"], "monthly", "2026-09", "1500", "15")  # 1500/3000 = 50%: red
    unplanned = county.project("城关镇无计划项目")
    county.report(unplanned, "monthly", "2026-09", "100", "5")  # no plan for 2026
    silent = county.project("城关镇未报送项目")
    county.plan(silent, 2026, Q3)
    county.report(silent, "monthly", "2026-08", "2000", "20")  # August's is not September's
    county.report(silent, "monthly", "2026-09", "3000", "30", status="draft")  # not submitted
    later = county.project("城关镇十月开工项目")
    county.plan(later, 2026, [("2026-10", "1000", "10")])  # nothing planned by 30 September
    county.report(later, "monthly", "2026-09", "0", "0")
    county.session.flush()
    return county


def outcomes(board):
    return {e.name: e.outcome for e in board.evaluations}


def test_HD3_every_project_is_evaluated_and_the_unjudged_are_not_green(session, seven):
    board = colour_board(session, seven.people["zdb"], load_profile("lianping"), "2026-09")

    assert outcomes(board) == {
        "城关镇污水处理厂提标改造工程": "green",
        "城关镇环城路改建工程": "blue",
        "城关镇第二小学建设项目": "yellow",
        "石桥镇跨河大桥工程": "red",
        "城关镇无计划项目": "no_plan",
        "城关镇未报送项目": "no_report",
        "城关镇十月开工项目": "zero_plan",
    }
    assert board.counts == {
        "green": 1,
        "blue": 1,
        "yellow": 1,
        "red": 1,
        "no_plan": 1,
        "no_report": 1,
        "zero_plan": 1,
    }
    rows = {r.unit_name: (r.counts, r.total) for r in board.units}
    assert rows["石桥镇"] == (
        {
            "green": 0,
            "blue": 0,
            "yellow": 0,
            "red": 1,
            "no_plan": 0,
            "no_report": 0,
            "zero_plan": 0,
        },
        1,
    )
    assert rows["城关镇"][1] == 6


def test_HD3_a_project_opens_to_its_evidence(session, seven):
    road = seven.projects["road"]
    session.execute(
        update(PlanPeriod).where(PlanPeriod.period == "2026-09").values(milestone="路基完成")
    )
    _, e = project_evaluation(
        session, seven.people["zdb"], load_profile("handan"), "2026-09", road.id
    )

    s = e.standing
    assert s is not None
    assert (s.report_period, s.as_of) == ("2026-09", date(2026, 9, 30))
    assert (s.planned, s.completed) == (Decimal("3000"), Decimal("2790"))
    assert s.investment_ratio == Decimal("0.93")  # 2790 ÷ 3000
    assert (e.outcome, e.band_min, e.milestone) == ("blue", Decimal("0.9"), "路基完成")


def test_HD3_a_town_sees_only_its_own_projects(session, seven):
    board = colour_board(session, seven.people["town"], load_profile("lianping"), "2026-09")

    assert "石桥镇跨河大桥工程" not in outcomes(board)
    assert [r.unit_name for r in board.units] == ["城关镇"]
    with pytest.raises(NotFound):
        project_evaluation(
            session, seven.people["town"], load_profile("lianping"), "2026-09", seven.bridge.id
        )


def test_HD3_the_bands_come_from_the_profile(session, seven):
    """A profile with three bands (≥100% green, ≥85% yellow, else red) colours the same figures
    differently: the road's 93% falls to yellow, the school's 80% to red."""
    profile = load_profile("lianping")
    bands = [
        ColourBand(colour="green", min_ratio=1.0),
        ColourBand(colour="yellow", min_ratio=0.85),
        ColourBand(colour="red", min_ratio=0.0),
    ]
    profile = profile.model_copy(
        update={"warnings": profile.warnings.model_copy(update={"colour_bands": bands})}
    )
    board = colour_board(session, seven.people["zdb"], profile, "2026-09")

    got = outcomes(board)
    assert (got["城关镇环城路改建工程"], got["城关镇第二小学建设项目"]) == ("yellow", "red")
    assert board.outcomes == ["green", "yellow", "red", "no_plan", "no_report", "zero_plan"]


def test_HD3_handan_a_quarterly_plan_counts_the_quarter_under_way_by_days(session, county):
    """31 August: 62 of Q3's 92 days gone, plan to date 3000 × 62/92 = 2021.7391 万元 and
    30 × 62/92 = 20.2174%; 1600 万元 is 1600/2021.7391 = 79.1% (yellow), 20% is 98.9%."""
    county.with_people("zdb")
    project = county.project()
    county.plan(project, 2026, [("2026-Q3", "3000", "30"), ("2026-Q4", "3000", "60")], "quarterly")
    county.report(project, "monthly", "2026-08", "1600", "20")

    _, e = project_evaluation(
        session, county.people["zdb"], load_profile("handan"), "2026-08", project.id
    )

    assert e.standing is not None
    assert (e.standing.planned, e.standing.planned_pct) == (
        Decimal("2021.7391"),
        Decimal("20.2174"),
    )
    assert e.outcome == "yellow"


def test_GS7_guangshan_weekly_reports_the_last_week_ending_in_the_month_counts(session, county):
    """Week 39 (21–27 Sep) is September's last week to end in it: plan to date 2000 + 1000 ×
    27/30 = 2900 万元 and 20 + 10 × 27/30 = 29%; 2610 万元 is exactly 90% (blue). Week 40 ends
    on 4 October and belongs to October; week 38's lower figures are superseded."""
    county.with_people("zdb")
    project = county.project()
    county.plan(project, 2026, Q3)
    county.report(project, "weekly", "2026-W38", "1000", "10")
    county.report(project, "weekly", "2026-W39", "2610", "29")
    county.report(project, "weekly", "2026-W40", "9000", "90")

    _, e = project_evaluation(
        session, county.people["zdb"], load_profile("guangshan"), "2026-09", project.id
    )

    assert e.standing is not None
    assert (e.standing.report_period, e.standing.planned) == ("2026-W39", Decimal("2900"))
    assert e.outcome == "blue"


def test_HD3_the_special_report_docx_lists_red_and_yellow_projects(session, seven):
    profile = load_profile("handan")
    board = colour_board(session, seven.people["zdb"], profile, "2026-09")
    doc = special_report(session, profile, board, date(2026, 10, 8))

    text = "\n".join(p.text for p in docx.Document(BytesIO(to_docx(doc))).paragraphs)

    assert "重点项目四色评价专报（2026年9月）" in text
    assert (
        "2026年9月共评价重点项目7个：绿色1个，蓝色1个，黄色1个，红色1个，"
        "无年度计划1个，未报送1个，序时计划为零1个。"
    ) in text
    assert "二、红色项目（1个）" in text
    assert (
        "石桥镇跨河大桥工程（石桥镇）：截至2026-09-30年度完成投资1,500万元，序时计划3,000万元，"
        "完成50.0%；形象进度15%，序时计划30%，完成50.0%。"
    ) in text
    assert "三、黄色项目（1个）" in text
    assert "城关镇第二小学建设项目（城关镇）" in text
    assert "城关镇环城路改建工程" not in text  # blue is counted, not listed
    assert "2026年10月8日" in text


@pytest.mark.parametrize(
    ("profile", "cycle", "before", "within"),
    [
        ("lianping", "monthly", "2026-08", "2026-09"),
        ("handan", "monthly", "2026-08", "2026-09"),
        ("guangshan", "weekly", "2026-W35", "2026-W39"),  # W35 ends on 30 August
    ],
)
def test_HD3_a_month_without_a_report_a_zero_plan_and_towns_without_projects(
    session, county, profile, cycle, before, within
):
    county.with_people("zdb")
    silent = county.project("城关镇未报送项目")
    county.plan(silent, 2026, Q3)
    county.report(silent, cycle, before, "2000", "20")  # none ends in September
    later = county.project("城关镇十月开工项目")
    county.plan(later, 2026, [("2026-10", "1000", "10")])  # nothing planned by 30 September
    county.report(later, cycle, within, "0", "0")
    board = colour_board(session, county.people["zdb"], load_profile(profile), "2026-09")

    assert outcomes(board) == {"城关镇未报送项目": "no_report", "城关镇十月开工项目": "zero_plan"}
    # 石桥镇 and 县交通运输局 lead no project: no row of the board, nothing counted for them.
    assert [(r.unit_name, r.total) for r in board.units] == [("城关镇", 2)]
    assert sum(board.counts.values()) == 2
