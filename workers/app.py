"""The Celery app of the worker and beat processes, on this process's settings.

celery -A workers.app worker      # runs the tasks
celery -A workers.app beat        # enqueues the periodic ones (workers.schedule)
"""

from __future__ import annotations

import gc

from celery.signals import beat_init, worker_process_init, worker_ready

from workers.factory import make_celery
from workers.runtime import forget_connections, settings


@worker_process_init.connect
def _after_fork(**_kwargs: object) -> None:
    forget_connections()


@worker_ready.connect
@beat_init.connect
def _set_aside_startup_objects(**_kwargs: object) -> None:
    # What start-up built lives as long as the process: keeping it out of the collector's
    # walks saves seconds at exit, so Ctrl-C stops the process promptly.
    gc.freeze()


app = make_celery(settings())
