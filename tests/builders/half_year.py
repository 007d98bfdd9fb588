"""The half-year and year-end composite (GS2) with hand-computed figures, under Guangshan's
[composite]: composite = investment score × 70% + tour score × 30%; investment score = rate ×
100, at most 100; a unit no tour visited takes its investment score for the tour part.

Each unit leads one project planned P in 2026-06 and P again in 2026-12; its week-26 report
gives the first half's completion, its week-52 report the year's. Tours are scored by leader01
alone, so a unit's tour score is its project's sheet total.

First half (plan to 30 June = P; tours of 20 March and 20 May):
  towns        rate              invest  tours          tour   composite
  城关镇 T01   360 ÷ 400 = 90%   90.00   80, 90         85.00  63.00 + 25.50 = 88.50  → 1
  石桥镇 T02   240 ÷ 200 = 120%  100.00  50, 60         55.00  70.00 + 16.50 = 86.50  → 2
  马畈镇 T04   85 ÷ 100 = 85%    85.00   not toured     —      85.00                  → 3
  十里镇 T03   400 ÷ 500 = 80%   80.00   95, 95         95.00  56.00 + 28.50 = 84.50  → 4
  晏河乡 T07   no key project: not ranked
  (the investment rate alone ranks 石桥镇 first and 城关镇 second)
  departments
  县交通运输局 D01 1000 ÷ 1000 = 100%  100.00  70, 70  70.00  70.00 + 21.00 = 91.00 → 1
  县水利局 D02     400 ÷ 500 = 80%     80.00   100, 100 100.00 56.00 + 30.00 = 86.00 → 2
  县教育局 D03     270 ÷ 300 = 90%     90.00   60, 80  70.00  63.00 + 21.00 = 84.00 → 3
  县卫健委 D04     100 ÷ 200 = 50%     50.00   90, 90  90.00  35.00 + 27.00 = 62.00 → 4
  Speakers (GS2, first two and last two): towns 城关镇、石桥镇 / 马畈镇、十里镇; departments
  县交通运输局、县水利局 / 县教育局、县卫健委.

The year (plan 2P; the third tour, 18 September, visits the three toured towns only):
  城关镇 720 ÷ 800 = 90%   90.00  80, 90, 100 → 90.00  63.00 + 27.00 = 90.00 → 1 (100万元)
  石桥镇 480 ÷ 400 = 120%  100.00 50, 60, 70 → 60.00  70.00 + 18.00 = 88.00 → 2 (50万元)
  马畈镇 170 ÷ 200 = 85%   85.00  not toured            85.00                → 3 (倒数第2名)
  十里镇 800 ÷ 1000 = 80%  80.00  95, 95, 95 → 95.00  56.00 + 28.50 = 84.50 → 4 (最后一名)
  On investment alone 石桥镇 (120%) would be first and 城关镇 (90%) second.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from keyproj.db.models import HalfYearEvaluation, Project
from keyproj.policy import load_profile
from keyproj.services.access import viewer_for
from keyproj.services.half_year.compute import build
from keyproj.services.tours.plans import TourPlan, open_scoring, save_plan
from keyproj.services.tours.results import close_scoring
from keyproj.services.tours.scoring import save_sheet
from tests.builders import factories
from tests.builders.county import County
from tests.builders.tours import on_tour_day

GS = load_profile("guangshan")
NOW = datetime(2026, 3, 10, 2, tzinfo=UTC)
NEW_UNITS = (
    ("T03", "十里镇", "town"),
    ("T04", "马畈镇", "town"),
    ("T07", "晏河乡", "town"),
    ("D02", "县水利局", "county_department"),
    ("D03", "县教育局", "county_department"),
    ("D04", "县卫健委", "county_department"),
)
# unit: (planned in each half, completed by week 26, completed by week 52), 万元
FIGURES = {
    "T01": ("400", "360", "720"),
    "T02": ("200", "240", "480"),
    "T03": ("500", "400", "800"),
    "T04": ("100", "85", "170"),
    "D01": ("1000", "1000", "2000"),
    "D02": ("500", "400", "800"),
    "D03": ("300", "270", "600"),
    "D04": ("200", "100", "200"),
}
# tour: its day and each toured unit's sheet total
TOURS = {
    "3月重点项目观摩": (
        "2026-03-20",
        {"T01": 80, "T02": 50, "T03": 95, "D01": 70, "D02": 100, "D03": 60, "D04": 90},
    ),
    "5月重点项目观摩": (
        "2026-05-20",
        {"T01": 90, "T02": 60, "T03": 95, "D01": 70, "D02": 100, "D03": 80, "D04": 90},
    ),
    "9月重点项目观摩": ("2026-09-18", {"T01": 100, "T02": 70, "T03": 95}),
}


def marks(total: int) -> dict[str, str]:
    """A sheet adding up to ``total``: each criterion the same share of its full marks."""
    share = total / 100
    return {
        k: f"{w * share:g}"
        for k, w in (("image", 30), ("investment", 30), ("site", 20), ("problems", 20))
    }


def composite_county(county: County) -> dict[str, Project]:
    """The units, their projects, plans and reports, and the three scored and closed tours."""
    s = county.session
    for code, name, kind in NEW_UNITS:
        factories.unit(s, code, name, kind)
    county.with_people(*(u for u in ("zdb", "town", "other", "dept") if u not in county.people))
    county.users["leader01"] = factories.user(s, "leader01", "XLD", "leader")
    county.people["leader01"] = viewer_for(s, county.users["leader01"])
    projects = {}
    for code, (half, first, year) in FIGURES.items():
        p = factories.project(s, code, name=f"{code}重点项目")
        county.plan(p, 2026, [("2026-06", half, "50"), ("2026-12", half, "100")])
        county.report(p, "weekly", "2026-W26", annual=first)
        county.report(p, "weekly", "2026-W52", annual=year)
        projects[code] = p
    s.flush()
    for title, (day, totals) in TOURS.items():
        _tour(county, projects, title, day, totals)
    return projects


def _tour(
    county: County, projects: dict[str, Project], title: str, day: str, totals: dict[str, int]
) -> None:
    office = county.people["zdb"]
    route = [projects[code].code for code in totals]
    tour = save_plan(
        county.session, GS, office, TourPlan(title, day, "县政府广场", route, ["leader01"]), NOW
    )
    open_scoring(county.session, office, tour.id, NOW)
    scored_at = on_tour_day(tour, NOW)  # sheets are scored on the tour's day, not before it
    for code, total in totals.items():
        leader = county.people["leader01"]
        save_sheet(
            county.session, leader, tour.id, projects[code].id, marks(total), "现场整洁", scored_at
        )
    close_scoring(county.session, office, tour.id, scored_at)


def stored_half_year(session: Session, now: datetime) -> int:
    """A stored, unpublished half-year evaluation of 2026's first half built under Guangshan's
    rules on whatever the database holds, written directly (the walk's profile has none)."""
    row = HalfYearEvaluation(
        profile="guangshan", year=2026, half=1, run_at=now, figures=build(session, GS, 2026, 1)
    )
    session.add(row)
    session.flush()
    return row.id
