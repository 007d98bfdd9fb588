"""A unit's home (issue 15): my tasks, reports due (LP8), my projects' warnings; the head's sign-offs (AL6)."""

from __future__ import annotations

from datetime import date

from keyproj.codes import Colour
from keyproj.paging import Paging
from keyproj.services.cases.views.inbox import inbox_filters, inbox_page
from keyproj.services.home.unit import unit_home
from keyproj.services.home.unit_head import unit_head_home
from keyproj.services.projects.views.projects import ProjectFilters, project_list
from tests.builders import factories
from tests.builders.clock import bj
from tests.builders.web import inbox_county

TODAY = date(2026, 3, 3)


def test_lp8_a_liaison_sees_tasks_reports_due_and_warning_colours(session, clock):
    county = inbox_county(session, clock)  # 城关镇: road (two cases), 石桥镇: bridge
    school = county.project("城关镇第二小学建设项目", approved_on=date(2026, 1, 1))
    late = county.project(
        "城关镇新建项目", approved_on=date(2026, 3, 1)
    )  # not yet on February's list
    county.report(county.road, "monthly", "2026-02")  # submitted: not due
    county.report(school, "monthly", "2026-02", status="draft")
    factories.warning(session, school, "2026-01", colour="yellow")
    session.commit()
    now = clock.at(bj(2026, 3, 3, 9))
    liaison = county.people["town"]

    home = unit_home(session, liaison, "monthly", now, TODAY)

    inbox = inbox_page(session, liaison, inbox_filters({}), now)
    overdue = inbox_page(session, liaison, inbox_filters({"status": "overdue"}), now)
    assert (home.tasks_open, home.tasks_overdue) == (inbox.total, overdue.total) == (2, 1)
    assert home.period.key == "2026-02"
    assert home.reports_due == 1
    assert [(r.project_name, r.status) for r in home.reports] == [
        ("城关镇第二小学建设项目", "draft")
    ]
    assert late.id not in [r.project_id for r in home.reports]
    assert home.open_warnings == 3  # two on the road, one on the school
    assert home.colours.by_colour[Colour.RED] == 1
    assert home.colours.by_colour[Colour.YELLOW] == 1
    assert home.colours.no_warning == 1  # the project approved in March
    # Each colour count is what the project list filtered by that colour shows.
    for colour, n in home.colours.by_colour.items():
        listed = project_list(session, liaison, ProjectFilters(colour=colour), Paging(1, 50))
        assert listed.page.total == n, colour


def test_al6_the_unit_head_sees_only_their_units_reports_waiting_to_be_signed(session, county):
    county.with_people("town-head").with_projects("road", "bridge")
    county.report(county.road, "monthly", "2026-01", status="pending_sign_off")
    county.report(county.road, "monthly", "2026-02", status="pending_sign_off")
    county.report(county.road, "monthly", "2025-12")  # submitted
    county.report(county.bridge, "monthly", "2026-02", status="pending_sign_off")  # 石桥镇's

    home = unit_head_home(session, county.people["town-head"])

    assert home.waiting == 2
    assert [r.period for r in home.reports] == ["2026-01", "2026-02"]
