"""A worker asked to stop on the polled SQLite broker sends itself two messages that end its polls."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from celery import Celery, current_app
from celery.signals import worker_shutting_down

from keyproj.settings import Settings
from workers.factory import make_celery
from workers.wake import WAKE


@pytest.fixture
def celery_on(tmp_path: Path) -> Iterator[Callable[[str], Celery]]:
    """Make the app on a broker current, as it is in a worker; the previous one is restored."""
    previous = current_app._get_current_object()

    def make(broker: str) -> Celery:
        env = {"KEYPROJ_INSTANCE_DIR": str(tmp_path), "KEYPROJ_SECRET_KEY": "k"}
        app = make_celery(Settings.from_env({**env, "KEYPROJ_BROKER_URL": broker}))
        app.set_current()
        return app

    yield make
    previous.set_current()


def stop_requested() -> None:
    """What the worker's Ctrl-C handler announces; waits for the messages to be sent."""
    worker_shutting_down.send(sender="celery@test", sig="SIGINT", how="Warm", exitcode=1)
    for thread in threading.enumerate():
        if thread.name == "wake":
            thread.join(timeout=10)


def queued_tasks(app: Celery) -> list[str]:
    """The names of the tasks waiting in the workers' queue."""
    names = []
    with app.connection_for_read() as conn:
        queue = conn.SimpleQueue("keyproj")
        while queue.qsize():
            message = queue.get(timeout=1)
            names.append(message.headers["task"])
            message.ack()
    return names


def test_a_stopping_worker_on_the_sqlite_broker_wakes_its_two_polls(celery_on, tmp_path):
    app = celery_on(f"sqla+sqlite:///{tmp_path / 'broker.db'}")
    stop_requested()
    assert queued_tasks(app) == [WAKE, WAKE]


def test_other_brokers_are_left_alone(celery_on):
    app = celery_on("memory://")
    queued_tasks(app)  # the in-memory broker is shared by the whole test process: start empty
    stop_requested()
    assert queued_tasks(app) == []
