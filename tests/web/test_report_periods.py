"""Part 9: the report form offers only periods that have no submitted report yet."""

from __future__ import annotations

import re
from datetime import timedelta

from keyproj import periods
from tests.builders import factories
from tests.builders.web import current_period, login, report_form


def _offered(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="period".*?</select>', html, re.S)
    assert select is not None
    return re.findall(r'<option[^>]*value="([^"]+)"', select.group(0))


def _previous_period() -> str:
    start = periods.parse("monthly", current_period()).start
    return periods.containing("monthly", start - timedelta(days=1)).key


def test_part9_a_submitted_period_is_not_offered_again(client, county, session):
    factories.report(session, county.road, current_period())
    session.commit()
    login(client, "chengguan")
    html = client.get(f"/projects/{county.road.id}/reports/new").get_data(as_text=True)
    offered = _offered(html)
    assert current_period() not in offered
    assert offered[0] == _previous_period()  # the newest open period is the one chosen
    assert re.search(rf'<option[^>]*selected[^>]*value="{_previous_period()}"', html)


def test_part9_a_draft_period_and_another_projects_periods_stay_offered(client, county, session):
    factories.report(session, county.road, current_period(), status="draft")
    factories.report(session, county.school, _previous_period())
    session.commit()
    login(client, "chengguan")
    html = client.get(f"/projects/{county.road.id}/reports/new").get_data(as_text=True)
    offered = _offered(html)
    assert offered[:2] == [current_period(), _previous_period()]


def _selected(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="period".*?</select>', html, re.S)
    assert select is not None
    return re.findall(r'<option[^>]*selected[^>]*value="([^"]*)"', select.group(0)) + re.findall(
        r'<option[^>]*value="([^"]*)"[^>]*selected', select.group(0)
    )


def test_issue15_the_form_defaults_to_the_newest_ended_period_not_the_month_under_way(
    client, county
):
    login(client, "chengguan")
    html = client.get(f"/projects/{county.road.id}/reports/new").get_data(as_text=True)
    assert current_period() in _offered(html)  # LP8: this month's report may still be filed
    assert _selected(html) == [_previous_period()]


def test_issue15_with_every_ended_period_reported_the_form_asks_for_a_choice(
    client, county, session
):
    start = periods.parse("monthly", current_period()).start
    for _ in range(5):  # the five ended periods the form offers
        start = periods.containing("monthly", start - timedelta(days=1)).start
        factories.report(session, county.road, periods.containing("monthly", start).key)
    session.commit()
    login(client, "chengguan")
    page = client.get(f"/projects/{county.road.id}/reports/new")
    html = page.get_data(as_text=True)
    assert _offered(html) == [current_period()]
    assert _selected(html) in ([], [""])  # the prompt, never the month under way
    assert "请选择期次" in html

    posted = client.post(
        f"/projects/{county.road.id}/reports/new", data=report_form(period="")
    ).get_data(as_text=True)
    assert re.search(r'<a href="#period">期次</a>：请选择期次', posted)
    assert "Not a valid choice" not in posted
