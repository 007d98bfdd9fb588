"""The Celery app and its beat schedule, declared as data and built from Settings (X6)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from celery.schedules import crontab

from keyproj.settings import Settings
from workers.factory import make_celery
from workers.schedule import periodic_jobs


def _settings(tmp_path, **env: str) -> Settings:
    return Settings.from_env(
        {"KEYPROJ_INSTANCE_DIR": str(tmp_path), "KEYPROJ_SECRET_KEY": "k", **env}
    )


def test_every_scheduled_job_names_a_registered_task(tmp_path):
    app = make_celery(_settings(tmp_path))
    app.loader.import_default_modules()
    for name, entry in app.conf.beat_schedule.items():
        assert entry["task"] in app.tasks, name


def test_default_broker_is_sqlite_through_kombu_and_redis_when_configured(tmp_path):
    assert (
        make_celery(_settings(tmp_path)).conf.broker_url
        == f"sqla+sqlite:///{tmp_path / 'broker.db'}"
    )
    redis = _settings(tmp_path, KEYPROJ_BROKER_URL="redis://127.0.0.1:6379/3")
    assert make_celery(redis).conf.broker_url == "redis://127.0.0.1:6379/3"


def test_tasks_are_acknowledged_late_and_handed_back_when_a_worker_dies(tmp_path):
    settings = _settings(
        tmp_path,
        KEYPROJ_BROKER_URL="redis://127.0.0.1:6379/3",
        KEYPROJ_BROKER_VISIBILITY_TIMEOUT="900",
    )
    conf = make_celery(settings).conf
    assert conf.task_acks_late
    assert conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.broker_transport_options["visibility_timeout"] == 900
    assert conf.timezone == "Asia/Shanghai"


def test_daily_scan_runs_at_the_configured_beijing_time_and_the_sweep_every_tick(tmp_path):
    conf = make_celery(
        _settings(tmp_path, KEYPROJ_SCAN_TIME="05:45", KEYPROJ_BEAT_TICK_SECONDS="30")
    ).conf
    scan = conf.beat_schedule["daily-scan"]["schedule"]
    assert isinstance(scan, crontab)
    assert scan.hour == {5}
    assert scan.minute == {45}
    assert conf.beat_schedule["timer-sweep"]["schedule"] == timedelta(seconds=30)


def test_every_job_says_why_it_runs_and_runs_one_way():
    jobs = periodic_jobs(time(6), time(8, 30))
    assert len({j.name for j in jobs}) == len(jobs)
    for job in jobs:
        assert job.why
        assert (job.seconds is None) != (job.at is None), job.name


def test_a_bad_scan_time_names_the_variable(tmp_path):
    with pytest.raises(ValueError, match="KEYPROJ_SCAN_TIME"):
        _settings(tmp_path, KEYPROJ_SCAN_TIME="six")


def test_frequent_jobs_expire_when_the_next_run_is_due_but_never_before_a_broker_poll():
    jobs = {j.name: j for j in periodic_jobs(time(6), time(8, 30), tick_s=60)}
    assert jobs["timer-sweep"].expires_s == 60
    fast = {j.name: j for j in periodic_jobs(time(6), time(8, 30), tick_s=2)}
    assert fast["timer-sweep"].expires_s == 30


def test_the_daily_digest_runs_once_a_day_at_the_reminders_time():
    jobs = {j.name: j for j in periodic_jobs(time(6), time(8, 30))}
    job = jobs["notification-digest"]
    assert (job.task, job.at, job.seconds) == ("keyproj.notification_digest", time(8, 30), None)


def test_LP19_GS1_bulletins_are_issued_by_a_daily_job_after_the_reminders():
    jobs = {j.name: j for j in periodic_jobs(time(6), time(8, 30))}
    job = jobs["bulletin-issue"]
    assert (job.task, job.at, job.seconds) == ("keyproj.issue_bulletins", time(8, 30), None)


def test_hd6_interviews_are_proposed_after_the_scan_and_reminded_with_the_reminders():
    jobs = {j.name: j for j in periodic_jobs(time(6), time(8, 30))}
    proposals, reminders = jobs["interview-proposals"], jobs["interview-reminders"]
    assert (proposals.task, proposals.at) == ("keyproj.propose_interviews", time(6))
    assert (reminders.task, reminders.at) == ("keyproj.interview_reminders", time(8, 30))


def test_dc3_meetings_are_opened_asked_and_reminded_by_a_daily_job():
    jobs = {j.name: j for j in periodic_jobs(time(6), time(8, 30))}
    job = jobs["meeting-beat"]
    assert (job.task, job.at, job.seconds) == ("keyproj.meeting_beat", time(8, 30), None)


def test_gs2_the_half_year_evaluation_is_drafted_by_a_daily_job_after_the_scan():
    jobs = {j.name: j for j in periodic_jobs(time(6), time(8, 30))}
    job = jobs["half-year-draft"]
    assert (job.task, job.at, job.seconds) == ("keyproj.half_year_draft", time(6), None)


def test_x6_two_sweeps_share_the_timers_on_postgresql_and_one_sweeps_them_on_sqlite(tmp_path):
    """The worker runs two processes: on PostgreSQL two sweeps a tick, each on its half of the
    cases; SQLite has one writer, so one sweep; the number can be set."""
    sqlite = make_celery(_settings(tmp_path)).conf.beat_schedule
    assert [n for n in sqlite if n.startswith("timer-sweep")] == ["timer-sweep"]
    assert "args" not in sqlite["timer-sweep"]
    postgres = _settings(tmp_path, KEYPROJ_DATABASE_URL="postgresql+psycopg://db/keyproj")
    schedule = make_celery(postgres).conf.beat_schedule
    sweeps = {n: e for n, e in schedule.items() if n.startswith("timer-sweep")}
    assert {n: (e["task"], e["args"]) for n, e in sweeps.items()} == {
        "timer-sweep-1-of-2": ("keyproj.sweep_timers", (0, 2)),
        "timer-sweep-2-of-2": ("keyproj.sweep_timers", (1, 2)),
    }
    three = _settings(tmp_path, KEYPROJ_SWEEP_SHARDS="3")
    assert three.sweep_shards == 3
    assert len([n for n in make_celery(three).conf.beat_schedule if "sweep" in n]) == 3


@pytest.mark.parametrize("shards", ["0", "17", "two"])
def test_x6_a_bad_number_of_sweeps_is_refused_naming_the_variable(tmp_path, shards):
    with pytest.raises(ValueError, match="KEYPROJ_SWEEP_SHARDS"):
        _settings(tmp_path, KEYPROJ_SWEEP_SHARDS=shards)
