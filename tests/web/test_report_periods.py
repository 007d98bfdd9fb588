"""Part 9: the report form offers only periods that have no submitted report yet."""

from __future__ import annotations

import re
from datetime import timedelta

from keyproj import periods
from tests.builders import factories
from tests.builders.web import current_period, login


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
