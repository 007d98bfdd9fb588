"""Stopping promptly on the SQLite broker, which the worker polls instead of being told of messages.

Celery's polling loop looks at the stop request only between polls of two seconds, and polls
once more after it: a stopping worker would wait up to four seconds with nothing to do. A
message ends a poll at once, so a worker asked to stop sends itself two that do nothing.
"""

from __future__ import annotations

import threading
from typing import Any

from celery import Celery, current_app, shared_task
from celery.signals import worker_shutting_down

WAKE = "keyproj.wake"


@shared_task(name=WAKE, ignore_result=True)
def wake() -> None:
    """Do nothing: arriving is the point (see the module's docstring)."""


@worker_shutting_down.connect
def _wake_the_polling_loop(**_kwargs: Any) -> None:
    app = current_app._get_current_object()  # the worker's app (current only in this thread)
    if not str(app.conf.broker_url).startswith("sqla+"):
        return  # other brokers tell the worker of messages: it stops at once anyway
    # Sent from a thread: this runs in the signal handler, perhaps amid a poll of the broker.
    threading.Thread(target=_send_two_wakes, args=(app,), name="wake", daemon=True).start()


def _send_two_wakes(app: Celery) -> None:
    for _ in range(2):  # one ends the current poll, one the poll after the stop request
        app.send_task(WAKE, retry=False)
