"""Observation tours (DC4, GS2) with hand-computed results: three towns, two tours, ties.

Marks per sheet are (形象进度 /30, 投资完成 /30, 现场管理 /20, 问题解决 /20).

Tour 1, 20 March 2026 (A, C, D):
  A 城关镇: 88 and 80 → 84.00;  C 石桥镇: 91 and 77 → 84.00;  D 十里镇: 70 and 70 → 70.00
  projects: A 1, C 1 (tied), D 3;  units: 城关镇 1, 石桥镇 1 (tied), 十里镇 3
Tour 2, 22 April 2026 (B, A, C, D; B first on the route):
  B 城关镇: 90 and 85 → 87.50;  A: 84.0 and 86 → 85.00;  C: 86 and 86.5 → 86.25;
  D: 77 (the second leader left no sheet) → 77.00
  projects: B 1, C 2, A 3, D 4;  units: 城关镇 (87.50 + 85.00) ÷ 2 = 86.25 1, 石桥镇 86.25 1,
  十里镇 77.00 3
The year (and its first half): 城关镇 (84.00 + 86.25) ÷ 2 = 85.125 → 85.13, 石桥镇 the same,
  both first; 十里镇 (70.00 + 77.00) ÷ 2 = 73.50, third.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyproj.clock import BEIJING
from keyproj.db.models import Project, Tour, User
from keyproj.policy import PolicyProfile, load_profile
from keyproj.services.access import viewer_for
from keyproj.services.inspections.groups import save_group, set_up
from keyproj.services.inspections.records import Inspection, record
from keyproj.services.tours.plans import TourPlan, open_scoring, save_plan
from keyproj.services.tours.results import close_scoring
from keyproj.services.tours.scoring import save_sheet
from tests.builders import factories
from tests.builders.county import County

NOW = datetime(2026, 3, 10, 2, tzinfo=UTC)
GS = load_profile("guangshan")
CRITERIA = ("image", "investment", "site", "problems")
CODES = {k: f"2026-411522-48-01-90000{n}" for n, k in enumerate("ABCD", start=1)}
Sheets = dict[str, dict[str, tuple[str, ...]]]
TOUR_1: Sheets = {
    "A": {"leader01": ("27", "26", "18", "17"), "leader02": ("25", "24", "16", "15")},
    "C": {"leader01": ("28", "27", "18", "18"), "leader02": ("24", "23", "16", "14")},
    "D": {"leader01": ("20", "20", "15", "15"), "leader02": ("22", "21", "14", "13")},
}
TOUR_2: Sheets = {
    "B": {"leader01": ("27", "27", "18", "18"), "leader02": ("26", "25", "17", "17")},
    "A": {"leader01": ("25.5", "25", "17", "16.5"), "leader02": ("26", "26", "17", "17")},
    "C": {"leader01": ("26", "26", "17", "17"), "leader02": ("26.5", "26", "17", "17")},
    "D": {"leader01": ("23", "22", "16", "16")},
}


def tour_county(county: County) -> dict[str, Project]:
    """The office, two scoring leaders, 十里镇 and four projects: A, B of 城关镇, C of 石桥镇,
    D of 十里镇."""
    s = county.session
    factories.unit(s, "T03", "十里镇", "town")
    county.with_people(*(u for u in ("zdb", "town", "other") if u not in county.people))
    for name in ("leader01", "leader02"):
        county.users[name] = factories.user(s, name, "XLD", "leader")
    for name in ("leader01", "leader02"):
        county.people[name] = viewer_for(s, county.users[name])
    units = {"A": "T01", "B": "T01", "C": "T02", "D": "T03"}
    projects = {
        key: factories.project(s, unit, code=CODES[key], name=f"项目{key}")
        for key, unit in units.items()
    }
    s.flush()
    return projects


def plan(county: County, profile: PolicyProfile, title: str, day: str, route: list[str]) -> Tour:
    """A drafted tour over ``route`` (project keys) scored by both leaders."""
    data = TourPlan(
        title=title,
        tour_on=day,
        meeting_point="县政府广场",
        project_codes=[CODES[k] for k in route],
        scorer_usernames=["leader01", "leader02"],
        vehicles=[{"name": "1号车", "seats": "30", "driver": "王师傅"}],
        notes="统一着装",
    )
    return save_plan(county.session, profile, county.people["zdb"], data, NOW)


def scored(
    county: County,
    profile: PolicyProfile,
    projects: dict[str, Project],
    tour: Tour,
    sheets: Sheets,
    close: bool = True,
) -> Tour:
    """Open scoring, write every sheet on the tour's day, and close unless told."""
    open_scoring(county.session, county.people["zdb"], tour.id, NOW)
    day = on_tour_day(tour, NOW)
    for key, by in sheets.items():
        for scorer, marks in by.items():
            save_sheet(
                county.session,
                county.people[scorer],
                tour.id,
                projects[key].id,
                dict(zip(CRITERIA, marks, strict=True)),
                f"{key}现场整洁",
                day,
            )
    if close:
        close_scoring(county.session, county.people["zdb"], tour.id, day)
    return tour


def on_tour_day(tour: Tour, now: datetime) -> datetime:
    """``now``, or 18:00 (Beijing) on the tour's day when that is later: sheets are scored on
    the tour (GS2, DC4), never before it."""
    return max(now, datetime.combine(tour.tour_on, time(18), tzinfo=BEIJING))


def two_tours(county: County, profile: PolicyProfile) -> tuple[Tour, Tour]:
    """Both tours of the module's docstring, scored and closed."""
    projects = tour_county(county)
    first = plan(county, profile, "3月重点项目观摩", "2026-03-20", ["A", "C", "D"])
    scored(county, profile, projects, first, TOUR_1)
    second = plan(county, profile, "4月重点项目观摩", "2026-04-22", ["B", "A", "C", "D"])
    scored(county, profile, projects, second, TOUR_2)
    return first, second


def stored_tour_and_group(session: Session, project: Project, now: datetime) -> tuple[int, int]:
    """For the pages: a tour over ``project`` scored by 王强 (the leader) and the office, with a
    sheet of each and its results; group 1 checking it, with one finding. Guangshan's rules."""
    office = viewer_for(session, session.scalars(select(User).where(User.username == "zdb")).one())
    leader = session.scalars(select(User).where(User.username == "wangqiang")).one()
    data = TourPlan(
        "3月重点项目观摩", "2026-03-19", "县政府广场", [project.code], ["wangqiang", "zdb"]
    )
    tour = save_plan(session, GS, office, data, now)
    open_scoring(session, office, tour.id, now)
    marks = dict(zip(CRITERIA, ("26", "25", "17", "16"), strict=True))
    day = on_tour_day(tour, now)
    save_sheet(session, viewer_for(session, leader), tour.id, project.id, marks, "进度较快", day)
    save_sheet(session, office, tour.id, project.id, marks, "现场整洁", day)
    close_scoring(session, office, tour.id, day)
    first = set_up(session, GS, office)[0]
    save_group(session, office, first.id, ["张组长"], [project.code])
    finding = Inspection(first.id, project.id, "2026-03-17", True, True, "塔吊未拆除", "serious")
    record(session, office, finding, now)
    session.commit()
    return tour.id, first.id
