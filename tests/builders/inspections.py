"""Joint inspection groups on the test county (GS5): the profile's six groups with projects
assigned the way the key office assigns them, and records made by the supervision office."""

from __future__ import annotations

from datetime import datetime

from keyproj.db.models import InspectionGroup, InspectionRecord
from keyproj.policy import load_profile
from keyproj.services.inspections.groups import save_group, set_up
from keyproj.services.inspections.records import Inspection, record
from tests.builders.clock import bj
from tests.builders.county import County

GS = load_profile("guangshan")
NOW = bj(2026, 3, 12, 17)  # Thursday of week 11 (9–15 March 2026)


def grouped(county: County, assigned: dict[int, list[str]]) -> list[InspectionGroup]:
    """The six groups, group n checking the projects ``assigned[n]`` (keys of county.projects);
    the key office's grouping (分组方案), not the profile's."""
    office = county.people["zdb"]
    rows = set_up(county.session, GS, office)
    for number, keys in assigned.items():
        codes = [county.projects[k].code for k in keys]
        save_group(county.session, office, rows[number - 1].id, [f"组长{number}"], codes)
    return rows


def inspected(
    county: County,
    key: str,
    day: str,
    group: int,
    now: datetime = NOW,
    **kw: object,
) -> InspectionRecord:
    """Group ``group``'s inspection of project ``key`` on ``day``, recorded by "dcs"; nothing
    found unless ``severity`` and ``findings`` say otherwise."""
    values: dict[str, object] = {
        "milestone_verified": True,
        "image_checked": True,
        "findings": None,
        "severity": "none",
    }
    values.update(kw)
    group_id = set_up(county.session, GS, county.people["zdb"])[group - 1].id
    data = Inspection(group_id, county.projects[key].id, day, **values)  # type: ignore[arg-type]
    return record(county.session, county.people["dcs"], data, now)
