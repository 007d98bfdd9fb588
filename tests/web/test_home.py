"""The home page (issue 15): sign-in lands on it, and each role's section shows its counts."""

from __future__ import annotations

import re

from keyproj.clock import now_utc
from keyproj.policy import load_profile
from keyproj.services.access import viewer_for
from keyproj.services.home.page import home_page
from tests.builders import factories
from tests.builders.web import login

PROFILE = load_profile("lianping")


def counts(html: str) -> dict[str, str]:
    """Every count on the page by its name."""
    return dict(re.findall(r'data-count="([^"]+)">([^<]*)<', html))


def test_sign_in_lands_on_the_home_page(client, county):
    response = login(client, "zdb")
    assert response.headers["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>首页</h1>" in html
    assert 'href="/" aria-current="page"' in html


def test_the_key_office_home_shows_the_service_counts(client, county, session):
    factories.warning(session, county.road, "2026-01")
    session.commit()
    login(client, "zdb")
    shown = counts(client.get("/").get_data(as_text=True))
    expected = home_page(session, county.people["zdb"], PROFILE, now_utc()).key_office
    assert expected is not None
    assert shown["triage"] == str(expected.triage) == "1"
    assert shown["notice-tasks"] == str(expected.notices.tasks)


def test_a_liaison_sees_the_unit_section_only(client, county, session):
    factories.warning(session, county.road, "2026-01", colour="yellow")
    session.commit()
    login(client, "chengguan")
    html = client.get("/").get_data(as_text=True)
    shown = counts(html)
    assert "triage" not in shown
    assert shown["unit-colour-yellow"] == "1"
    assert shown["unit-warnings"] == "1"
    assert 'href="/projects?colour=yellow" data-count="unit-colour-yellow"' in html


def test_a_user_with_several_roles_sees_each_section(client, county, session):
    user = factories.user(session, "both", "T01", "unit_liaison", "unit_head")
    session.commit()
    login(client, "both")
    html = client.get("/").get_data(as_text=True)
    assert viewer_for(session, user).has("unit_liaison", "unit_head")
    assert 'id="home-unit"' in html
    assert 'id="home-unit-head"' in html
    assert counts(html)["sign-off"] == "0"


def test_the_waiting_list_shows_only_the_users_cases(client, county):
    now = now_utc()
    county.open_case(county.road, now)
    county.open_case(county.bridge, now)
    login(client, "zdb")
    html = client.get("/waiting?task=issue_notice").get_data(as_text=True)
    assert "共 2 项" in html
    client.post("/logout")
    login(client, "shiqiao")
    html = client.get("/waiting?task=issue_notice").get_data(as_text=True)
    assert "共 1 项" in html  # 石桥镇 answers for its bridge's case, not for the road's
    assert county.bridge.name in html
    assert county.road.name not in html


def test_a_bad_waiting_filter_is_refused_naming_it(client, county):
    login(client, "zdb")
    response = client.get("/waiting?task=drop_table&unit=x")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "办理环节" in html
    assert "单位" in html
