"""The Celery app's configuration, built from the same Settings as the web app and the command."""

from __future__ import annotations

from celery import Celery

from keyproj.settings import Settings
from workers.schedule import beat_schedule


def make_celery(settings: Settings) -> Celery:
    """A Celery app on ``settings.broker_url`` (kombu's SQLite transport by default, Redis in production)."""
    app = Celery("keyproj", broker=settings.broker_url, include=["workers.tasks", "workers.wake"])
    settings.instance_dir.mkdir(parents=True, exist_ok=True)
    app.conf.update(
        timezone="Asia/Shanghai",
        enable_utc=True,
        task_default_queue="keyproj",
        task_ignore_result=True,
        # A task is acknowledged when it has finished, and handed back if its worker dies:
        # every task is idempotent, so running one again is safe and nothing is lost.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=3,
        broker_transport_options=_transport_options(settings),
        beat_schedule=beat_schedule(
            settings.scan_at, settings.reminders_at, settings.beat_tick_s, settings.sweep_shards
        ),
        beat_schedule_filename=str(settings.instance_dir / "celerybeat-schedule"),
    )
    return app


def _transport_options(settings: Settings) -> dict[str, int]:
    if not settings.broker_url.startswith(("redis://", "rediss://")):
        return {}  # kombu's SQLAlchemy transport hands its options to create_engine
    # Redis hands an unacknowledged task to another worker after this long; it must exceed
    # the longest task's time limit, or a slow task would run twice. The sweep for such
    # tasks runs every 5 s, so a dead worker's task is picked up soon after the timeout.
    return {
        "visibility_timeout": settings.broker_visibility_timeout,
        "unacked_restore_interval": 5,
        "unacked_restore_throttle": 1,
    }
