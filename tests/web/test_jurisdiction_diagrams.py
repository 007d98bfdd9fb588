"""Each jurisdiction's cases run on its own diagram (issue 11, part 6): the case page names it,
marks where the case stands on it and serves that pinned diagram, and the replay reproduces it."""

from __future__ import annotations

import pytest

from keyproj.policy import available_profiles, load_profile
from keyproj.services.cases import audit as case_audit
from tests.builders.clock import bj
from tests.builders.web import casework_county, login

TITLES = {  # each shipped diagram's name, as the case page shows it
    "warning_case": "重点项目预警协调处置",
    "guangshan_case": "光山县重点项目预警协调处置",
    "handan_case": "邯郸市重点项目预警协调处置",
    "alxa_left_case": "阿拉善左旗重点项目预警协调处置",
    "dancheng_case": "郸城县重点项目预警协调处置",
}


def test_every_jurisdiction_names_a_diagram_of_its_own():
    named = {name: load_profile(name).process.diagram for name in available_profiles()}
    assert named == {
        "lianping": "warning_case",
        "guangshan": "guangshan_case",
        "handan": "handan_case",
        "alxa_left": "alxa_left_case",
        "dancheng": "dancheng_case",
    }


@pytest.mark.parametrize("profile", sorted(available_profiles()))
def test_the_case_page_shows_the_jurisdictions_diagram_and_the_case_replays(
    client, session, clock, profile
):
    county = casework_county(session).under(profile)
    case = county.open_case(county.road, clock.at(bj(2026, 9, 29, 9)))
    county.notify(case, clock.at(bj(2026, 9, 29, 10)))
    clock.at(bj(2026, 9, 30, 9))
    diagram = county.profile.process.diagram
    assert case.definition.key == diagram
    login(client, "zdb")
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"{TITLES[diagram]}（第1版）" in html
    assert 'data-active="respond"' in html  # the lead unit's response is where it stands
    xml = client.get(f"/cases/{case.id}/diagram.bpmn").get_data(as_text=True)
    assert f'<bpmn:process id="{diagram}"' in xml
    report = case_audit.replay_case(session, case.id)
    assert report.chain_problem is None
    assert report.first_mismatch is None
    assert report.final_matches_stored
