"""A decided item's warning only carries its case: no warnings' list, count or colour shows it,
and the key office cannot merge a warning into an item's case (LP13 merges warnings only)."""

from __future__ import annotations

import pytest

from keyproj.errors import ValidationError
from keyproj.paging import Paging
from keyproj.services.cases.views.api import list_warnings
from keyproj.services.projects.views.projects import warning_list
from keyproj.services.triage.actions import merge_into_case
from keyproj.services.triage.queue import open_cases_of, queue_count
from tests.builders import factories
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.decisions import record, row


@pytest.fixture
def county(county: County) -> County:
    """The plant project, the key office; committed."""
    return county.with_projects("plant").with_people("zdb").committed()


def test_an_items_warning_is_on_no_list_and_in_no_count(county):
    plant = county.projects["plant"]
    [item] = record(county, bj(2026, 9, 28, 10), row(project_code=plant.code))
    office = county.people["zdb"]
    assert warning_list(county.session, plant.id, Paging()).total == 0
    assert list_warnings(county.session, office, Paging()).total == 0
    assert queue_count(county.session) == 0
    assert open_cases_of(county.session, [plant.id]) == {}
    assert item.warning_id  # the item's case hangs on it all the same


def test_a_warning_is_not_merged_into_an_items_case(county):
    plant = county.projects["plant"]
    [item] = record(county, bj(2026, 9, 28, 10), row(project_code=plant.code))
    warning = factories.warning(county.session, plant, "2026-08", status="open")
    county.session.commit()
    assert warning_list(county.session, plant.id, Paging()).total == 1  # the real one only
    with pytest.raises(ValidationError, match="只能并入同一项目的在办案件"):
        merge_into_case(
            county.session, county.people["zdb"], [warning.id], item.case_id, bj(2026, 9, 28, 11)
        )
