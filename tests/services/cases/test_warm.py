"""Instances kept warm between a case's transactions: used only while the stored state is theirs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from keyproj.services.cases import commands as cases
from keyproj.services.cases import repository, warm
from tests.builders.cases import PROFILE
from tests.builders.clock import bj
from tests.builders.forms import form


@pytest.fixture(autouse=True)
def nothing_kept() -> Iterator[None]:
    """Each test starts and ends with no instance kept (cases of other tests share ids)."""
    warm.forget_all()
    yield
    warm.forget_all()


def test_the_next_step_of_a_case_in_this_process_takes_the_instance_it_saved(county):
    case = county.start(bj(2026, 2, 12, 9))
    now = county.at(bj(2026, 2, 12, 10))
    first = repository.open_case(county.session, case.id, now)
    assert first is not None
    repository.save(county.session, first)
    county.session.commit()
    second = repository.open_case(county.session, case.id, now)
    assert second is not None
    assert second.instance is first.instance
    county.session.rollback()
    warm.forget_all()  # a process that has not seen the case decodes it
    third = repository.open_case(county.session, case.id, now)
    assert third is not None
    assert third.instance is not first.instance
    assert third.instance.digest() == first.instance.digest()


def test_a_state_written_by_another_process_is_read_not_the_kept_instance(county, monkeypatch):
    county.start(bj(2026, 2, 12, 9))  # this process keeps the instance waiting for the notice
    with monkeypatch.context() as elsewhere:  # another process neither sees nor fills our store
        elsewhere.setattr(warm, "take", lambda *args: None)
        elsewhere.setattr(warm, "keep", lambda *args: None)
        assert county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10)).accepted
    # The kept instance still waits for the notice: used, it would refuse the response as late.
    result = county.submit("town", "respond", bj(2026, 2, 14, 9))
    assert result.accepted, result.message
    assert result.now_waiting_for == ["报告协调成效", "受理并开展协调"]  # the town's, the dept's
    assert county.waiting() == ["report_outcome", "respond"]


def test_after_a_rolled_back_save_the_step_is_taken_again_from_the_stored_state(county):
    county.start(bj(2026, 2, 12, 9))
    county.submit("zdb", "issue_notice", bj(2026, 2, 13, 10))
    now = county.at(bj(2026, 2, 14, 9))
    row = county.task("respond")
    result = cases.complete_task(
        county.session, county.people["town"], row.id, form("respond"), PROFILE, now
    )
    assert result.accepted  # saved, and its instance kept, but then …
    county.session.rollback()  # … a later part of the request failed
    assert county.waiting() == ["respond", "respond"]
    # The kept instance has the response done: used, it would refuse the response as late.
    again = county.submit("town", "respond", bj(2026, 2, 14, 10))
    assert again.accepted, again.message
    assert county.waiting() == ["report_outcome", "respond"]
