"""Every jurisdiction's diagram through the services (issue 11, part 6), on SQLite and
PostgreSQL: the same matters taken by the same people end the way each regulation says, each
jurisdiction adding its own step (HD5/HD6 measure, AL13 accountability, DC1–DC2 leader), and
every case replays (X4).

A case is driven as people would: each open task taken, oldest first, by someone who may take
it, with the builders' valid form and the scenario's choices.
"""

from __future__ import annotations

import pytest

from keyproj.policy import available_profiles
from tests.builders.diagram_paths import SCENARIOS, run_scenario

OWN_STEPS = {"hd_measure", "al13_accountability", "leader_onsite", "tv_inquiry"}
# How each case ends, and the jurisdiction's own steps it passed through.
EXPECTED: dict[str, dict[str, tuple[str, set[str]]]] = {
    "lianping": {
        "resolved": ("handled", set()),
        "long_term": ("handled", set()),
        "not_accepted_to_supervision": ("supervised", set()),
        "late_lead_to_county": ("county_resolved", set()),
        "routed_onsite_meeting": ("county_resolved", set()),
    },
    "guangshan": {
        "resolved": ("handled", set()),
        "long_term": ("handled", set()),
        "not_accepted_to_supervision": ("supervised", set()),
        "late_lead_to_county": ("county_resolved", set()),
        "routed_onsite_meeting": ("county_resolved", set()),
    },
    "handan": {  # HD5/HD6: a unit's failing gets a measure; the matter's level does not
        "resolved": ("handled", set()),
        "long_term": ("handled", set()),
        "not_accepted_to_supervision": ("supervised", {"hd_measure"}),
        "late_lead_to_county": ("county_resolved", {"hd_measure"}),
        "routed_onsite_meeting": ("county_resolved", set()),
    },
    "alxa_left": {  # AL13 二: a late lead unit is held to account
        "resolved": ("handled", set()),
        "long_term": ("handled", set()),
        "not_accepted_to_supervision": ("supervised", set()),
        "late_lead_to_county": ("county_resolved", {"al13_accountability"}),
        "routed_onsite_meeting": ("county_resolved", set()),
    },
    "dancheng": {  # DC1–DC2: the 分包领导 coordinates an escalated case first
        "resolved": ("handled", set()),
        "long_term": ("handled", set()),
        "not_accepted_to_supervision": ("supervised", {"leader_onsite"}),
        "late_lead_to_county": ("leader_resolved", {"leader_onsite"}),
        "routed_onsite_meeting": ("county_resolved", set()),
    },
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("profile", sorted(available_profiles()))
def test_each_jurisdictions_diagram_ends_each_matter_its_way(county, profile, scenario):
    c = county.under(profile)
    taken = run_scenario(c, scenario)
    c.session.refresh(c.case)
    outcome, own = EXPECTED[profile][scenario]
    assert (c.case.status, c.case.outcome) == ("closed", outcome), taken
    assert set(taken) & OWN_STEPS == own
    assert c.case.definition.key == c.profile.process.diagram
    c.assert_replays()
