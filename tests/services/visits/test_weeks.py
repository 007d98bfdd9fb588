"""GS3 and DC2 site visits: each calendar week (Monday–Sunday, Beijing time) a project needs its
chief once and assistant twice (GS3), or its leader's on-site office once (DC2); a short week is
flagged to the key office once."""

from __future__ import annotations

from datetime import date

import pytest

from keyproj import periods
from keyproj.errors import NotFound, ValidationError
from keyproj.policy import load_profile
from keyproj.services.projects.project import TeamMemberData, set_team
from keyproj.services.visits.records import VisitData, record_visit
from keyproj.services.visits.weeks import check_last_week, flagged_weeks, flags_of_week
from tests.builders.clock import bj
from tests.builders.notifications import notified

GUANGSHAN = load_profile("guangshan")
DANCHENG = load_profile("dancheng")
WEEK = periods.parse("weekly", "2026-W11")  # Monday 9 to Sunday 15 March 2026


@pytest.fixture
def plant(county):
    county.with_people("zdb", "zdb2", "town", "other").with_leader("李明")
    project = county.with_projects("plant").projects["plant"]
    set_team(
        county.session,
        project,
        [
            TeamMemberData("chief", "李明", leader_name="李明"),
            TeamMemberData("assistant", "王助理"),
        ],
    )
    county.session.flush()
    return project


def _lead(county, project):
    """The team's chief 李明 is also the project's leader in charge (DC2's 分包领导)."""
    project.leader_id = project.team[0].leader_id
    county.session.flush()
    county.session.expire(project, ["leader"])


def _visit(county, project, role, day, kind="onsite_office", who="town"):
    now = county.at(bj(day.year, day.month, day.day, 18))
    data = VisitData(project.id, role, day, kind)
    return record_visit(county.session, county.people[who], county.profile, data, now)


def test_gs3_chief_once_and_assistant_once_flags_the_assistant(county, plant):
    assert WEEK.start == date(2026, 3, 9)
    assert WEEK.end == date(2026, 3, 15)
    _visit(county, plant, "chief", date(2026, 3, 10))
    _visit(county, plant, "assistant", date(2026, 3, 12), kind="inspection")
    _visit(county, plant, "assistant", date(2026, 3, 8))  # Sunday before: last week's
    _visit(county, plant, "assistant", date(2026, 3, 16))  # Monday after: next week's
    office = county.people["zdb"]
    # Sunday 23:30 in Beijing is still the week: the run checks the week before (the chief
    # never came, the assistant once on the 8th), not this one.
    check_last_week(county.session, GUANGSHAN, county.at(bj(2026, 3, 15, 23, 30)))
    assert flags_of_week(county.session, office, "2026-W11") == []
    earlier = flags_of_week(county.session, office, "2026-W10")
    assert [(f.role_label, f.made) for f in earlier] == [("项目长", 0), ("项目长助理", 1)]
    monday = county.at(bj(2026, 3, 16, 0, 30))  # Sunday 16:30 UTC, Monday in Beijing
    assert check_last_week(county.session, GUANGSHAN, monday) == 2  # zdb and zdb2
    flags = flags_of_week(county.session, office, "2026-W11")
    assert [(f.role_label, f.person, f.required, f.made) for f in flags] == [
        ("项目长助理", "王助理", 2, 1)
    ]
    sent = notified(county.session, "visits_short")
    assert sorted(sent) == ["zdb", "zdb2"]
    assert len(sent["zdb"]) == 2  # W10's and W11's
    assert sent["zdb"][1].title == "城关镇污水处理厂提标改造工程：2026年第11周现场走访次数不足"
    assert "项目长助理王助理到现场1次，应不少于2次" in sent["zdb"][1].body
    # Run again on Tuesday: the week was flagged once.
    assert check_last_week(county.session, GUANGSHAN, county.at(bj(2026, 3, 17, 9))) == 0
    assert len(flags_of_week(county.session, office, "2026-W11")) == 1
    assert flagged_weeks(county.session, office) == [("2026-W11", 1), ("2026-W10", 1)]


def test_gs3_a_week_with_both_roles_met_is_not_flagged(county, plant):
    for day, role in ((9, "chief"), (11, "assistant"), (15, "assistant")):
        _visit(county, plant, role, date(2026, 3, day))
    assert check_last_week(county.session, GUANGSHAN, county.at(bj(2026, 3, 16, 9))) == 0
    assert flags_of_week(county.session, county.people["zdb"], "2026-W11") == []


def _unit_office(county, project, day):
    """城关镇's on-site office at its project (DC2: 责任单位每周至少现场办公1次)."""
    now = county.at(bj(day.year, day.month, day.day, 18))
    data = VisitData(project.id, "unit", day, "onsite_office", person="城关镇张镇长")
    return record_visit(county.session, county.people["town"], county.profile, data, now)


def test_dc2_only_the_leaders_on_site_office_counts(county, plant):
    _lead(county, plant)
    _unit_office(county, plant, date(2026, 3, 11))
    _visit(county, plant, "leader", date(2026, 3, 10), kind="inspection")
    assert check_last_week(county.session, DANCHENG, county.at(bj(2026, 3, 16, 9))) == 2
    flags = flags_of_week(county.session, county.people["zdb"], "2026-W11")
    assert [(f.role_label, f.person, f.made) for f in flags] == [("分包领导", "李明", 0)]


def test_dc2_an_on_site_office_meets_the_week(county, plant):
    _lead(county, plant)
    _visit(county, plant, "leader", date(2026, 3, 14))  # Saturday
    _unit_office(county, plant, date(2026, 3, 9))
    assert check_last_week(county.session, DANCHENG, county.at(bj(2026, 3, 16, 9))) == 0


def test_dc2_the_responsible_unit_holds_its_own_weekly_on_site_office(county, plant):
    _lead(county, plant)
    _visit(county, plant, "leader", date(2026, 3, 14))
    assert check_last_week(county.session, DANCHENG, county.at(bj(2026, 3, 16, 9))) == 2
    flags = flags_of_week(county.session, county.people["zdb"], "2026-W11")
    assert [(f.role_label, f.required, f.made) for f in flags] == [("责任单位", 1, 0)]
    unnamed = VisitData(plant.id, "unit", date(2026, 3, 17), "onsite_office")
    with pytest.raises(ValidationError, match="走访人员"):  # the unit names who went
        record_visit(
            county.session,
            county.people["town"],
            county.profile,
            unnamed,
            county.at(bj(2026, 3, 17)),
        )


def test_a_county_without_visit_rules_flags_nothing(county, plant):
    assert (
        check_last_week(county.session, load_profile("lianping"), county.at(bj(2026, 3, 16))) == 0
    )


def test_a_visit_is_refused_with_named_fields_and_only_from_its_writers(county, plant):
    now = county.at(bj(2026, 3, 12, 9))
    bad = VisitData(plant.id, "driver", date(2026, 3, 13), "onsite_office")
    with pytest.raises(ValidationError) as refused:
        record_visit(county.session, county.people["town"], county.profile, bad, now)
    assert refused.value.by_field().keys() == {"role", "visited_on"}
    good = VisitData(plant.id, "chief", date(2026, 3, 12), "onsite_office")
    with pytest.raises(NotFound):  # 石桥镇 neither sees nor writes 城关镇's project
        record_visit(county.session, county.people["other"], county.profile, good, now)
    assert record_visit(county.session, county.people["zdb"], county.profile, good, now).person == (
        "李明"
    )


def test_gs3_dc2_a_role_the_countys_regulation_does_not_name_is_refused(county, plant):
    """The form offers only the county's roles; the service refuses any other by itself."""
    now = county.at(bj(2026, 3, 12, 9))
    dancheng_role = VisitData(plant.id, "leader", date(2026, 3, 12), "onsite_office", "李明")
    with pytest.raises(ValidationError) as refused:
        record_visit(county.session, county.people["zdb"], GUANGSHAN, dancheng_role, now)
    assert refused.value.by_field() == {
        "role": "取值“leader”无效，可选：chief（项目长）、assistant（项目长助理）"
    }
    chief = VisitData(plant.id, "chief", date(2026, 3, 12), "onsite_office")
    assert record_visit(county.session, county.people["zdb"], GUANGSHAN, chief, now).role == "chief"


def test_a_unit_sees_only_flags_of_its_own_projects(county, plant):
    county.with_projects("bridge")
    check_last_week(county.session, GUANGSHAN, county.at(bj(2026, 3, 16, 9)))
    mine = flags_of_week(county.session, county.people["other"], "2026-W11")
    assert {f.project_name for f in mine} == {"石桥镇跨河大桥工程"}
    assert {f.person for f in mine} == {None}  # the bridge names no team
