"""Workers on real PostgreSQL and Redis: a worker killed mid-scan, two sweeps at once (X6)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from celery import Celery

from keyproj.clock import now_utc, today_beijing
from keyproj.policy import load_profile
from keyproj.services.scan.run import evaluate
from tests.integration import workload
from tests.integration.procs import Process, keyproj_env, worker_argv

pytestmark = pytest.mark.slow

SUCCEEDED = r"Task {}\[[-0-9a-f]+\] succeeded"


def test_X6_worker_killed_mid_scan_reruns_it_without_duplicates_or_gaps(
    pg, pg_url: str, broker_url: str, processes: Callable[..., Process], tmp_path: Path
):
    factory = pg
    today = today_beijing()
    workload.county(factory)
    workload.projects_without_plans(factory, 400, today)
    # A short visibility timeout: the killed worker's unacknowledged scan is handed out again soon.
    # The county's own profile issues the first notices itself (issue 15), so the scan starts
    # one case per project in the batched loop this test kills half-way.
    profile = workload.automatic_profile(tmp_path)
    env = keyproj_env(
        tmp_path,
        pg_url,
        broker_url,
        KEYPROJ_BROKER_VISIBILITY_TIMEOUT="2",
        KEYPROJ_PROFILE=str(profile),
    )
    first = processes("worker-1", worker_argv("w1"), env)
    first.expect(r"ready\.")
    Celery(broker=broker_url).send_task("keyproj.scan", queue="keyproj")
    first.expect(r"已启动案件 \d+ 件")  # the warnings and a first batch of cases are committed
    first.kill()

    partial = workload.warning_and_case_counts(factory)
    assert partial["warnings"] >= 400
    assert 0 < partial["cases"] < partial["matters"], "the worker died with cases still to start"

    second = processes("worker-2", worker_argv("w2"), env)
    second.expect(SUCCEEDED.format("keyproj.scan"), timeout=120)

    done = workload.warning_and_case_counts(factory)
    with factory() as session:
        candidates, errors = evaluate(session, load_profile(str(profile)), today, now_utc())
    assert errors == {}
    assert done["warnings"] == len({c.key for c in candidates}) == partial["warnings"]
    assert done["cases"] == done["matters"] == 400  # one notice per project
    assert done["without_case"] == 0
    assert done["duplicated"] == 0


def test_X6_two_sweeps_at_once_fire_each_due_timer_once(
    pg, pg_url: str, broker_url: str, processes: Callable[..., Process], tmp_path: Path
):
    factory = pg
    workload.county(factory)
    workload.cases_with_due_timers(factory, 600, now_utc() - timedelta(days=30))
    env = keyproj_env(tmp_path, pg_url, broker_url)
    worker = processes("worker", worker_argv("sweeper", 2), env)
    worker.expect(r"ready\.")
    client = Celery(broker=broker_url)
    for _ in range(2):
        client.send_task("keyproj.sweep_timers", queue="keyproj")
    worker.expect(SUCCEEDED.format("keyproj.sweep_timers"), timeout=120, count=2)

    fired = workload.timer_firings(factory)
    per_case = Counter(case_id for case_id, _ in fired)
    assert len(per_case) == 600, "every case had a due timer"
    assert Counter(fired).most_common(1)[0][1] == 1, "no timer fired twice"
