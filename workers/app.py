"""The Celery app of the worker and beat processes, on this process's settings.

celery -A workers.app worker      # runs the tasks
celery -A workers.app beat        # enqueues the periodic ones (workers.schedule)
"""

from __future__ import annotations

from celery.signals import worker_process_init

from workers.factory import make_celery
from workers.runtime import forget_connections, settings


@worker_process_init.connect
def _after_fork(**_kwargs: object) -> None:
    forget_connections()


app = make_celery(settings())
