"""The timer sweep as the worker runs it: on its shard's cases only, when the beat names one (X6)."""

from __future__ import annotations

from tests.builders.clock import bj
from tests.builders.county import County


def test_x6_the_sweep_job_fires_the_timers_of_its_shard_and_a_whole_sweep_the_rest(
    worker_under, county: County
):
    from workers import tasks

    county.with_warning_case().start(bj(2025, 9, 30, 10))
    ids = [county.case.id, *county.more_cases(3)]
    county.session.commit()
    odd = sum(1 for i in ids if i % 2)
    county.at(bj(2025, 10, 12, 9))  # every notice's deadline has passed
    worker_under("lianping")
    assert tasks.sweep_timers(1, 2) == {"cases": odd, "timers": odd, "skipped": 0}
    assert tasks.sweep_timers(1, 2)["cases"] == 0  # its shard is done
    even = len(ids) - odd
    assert tasks.sweep_timers() == {"cases": even, "timers": even, "skipped": 0}
