"""Alxa Left Banner's 责任追究 (AL13) on the pages: the task's form starts with the triggers the
case met, a row is refused by its cell, and the records show on the unit's page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, select

from keyproj.db.models import HumanTask, Unit
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.forms import form
from tests.builders.web import client_under, login


@pytest.fixture
def alxa_client(engine: Engine, tmp_path: Path) -> Iterator[FlaskClient]:
    """A client of the app on the alxa_left profile (CSRF off)."""
    with client_under(engine, tmp_path, "alxa_left") as client:
        yield client


@pytest.fixture
def county(county: County) -> County:
    """Alxa's offices and units; committed for the app."""
    return county.under("alxa_left").with_people("dcs", "xfb").committed()


def at_accountability(county: County, clock) -> int:
    """A major problem's notice (AL13-3) routed to the banner government, which resolves it;
    the id of the 责任追究 task it then waits at."""
    case = county.open_case(county.road, clock.at(bj(2026, 3, 2, 9)))
    notice = form("issue_notice", routing="county_government", phase_unit_codes=[], major=True)
    county.complete("zdb", case, "issue_notice", notice, clock.at(bj(2026, 3, 2, 10)))
    assign = form("county_gov_assign")
    county.complete("xfb", case, "county_gov_assign", assign, clock.at(bj(2026, 3, 3, 10)))
    handle = form("county_gov_handle")
    county.complete("xfb", case, "county_gov_handle", handle, clock.at(bj(2026, 3, 4, 10)))
    return county.task("al13_accountability", case).id


def test_al13_the_form_proposes_the_triggers_and_the_records_reach_the_units_page(
    alxa_client, county, clock
):
    task_id = at_accountability(county, clock)
    clock.at(bj(2026, 3, 5, 10))
    login(alxa_client, "dcs")
    page = alxa_client.get(f"/tasks/{task_id}").get_data(as_text=True)
    ticked = re.findall(r'name="triggers" value="(\w+)" checked', page)
    assert ticked == ["major_problem"]  # the case met AL13's 三 only
    entry = {
        "triggers": ["major_problem"],
        "opinion": "项目开工即停工，牵头单位负有责任",
        "accountability-0-unit_code": "X99",
        "accountability-0-person": "王镇长",
        "accountability-0-trigger": "major_problem",
        "accountability-0-measures": ["admonition", "criticism"],
    }
    refused = alxa_client.post(f"/tasks/{task_id}/complete", data=entry)
    assert refused.status_code == 422
    assert "追究意见第1项·责任单位：未知单位“X99”" in refused.get_data(as_text=True)
    sent = alxa_client.post(
        f"/tasks/{task_id}/complete", data=entry | {"accountability-0-unit_code": "T01"}
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    town_id = county.session.scalars(select(Unit.id).where(Unit.code == "T01")).one()
    town = alxa_client.get(f"/supervision/units/{town_id}").get_data(as_text=True)
    assert "王镇长" in town
    assert "项目迟迟不开工、开工即停工、施工进度缓慢、出现资金挪用、安全事故等重大问题" in town
    assert "旗委诫勉谈话、通报批评" in town
    assert "AL13责任追究（案件" in town
    task = county.session.get_one(HumanTask, task_id)
    case_page = alxa_client.get(f"/cases/{task.case_id}").get_data(as_text=True)
    assert "责任人：王镇长，追究情形：项目迟迟不开工" in case_page  # the timeline's entry
