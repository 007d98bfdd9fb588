"""Asking the workers for work right away, from any process, without depending on the broker.

The work itself was promised in the database (keyproj.services.reference.outbox); this only saves
waiting for the next periodic relay. A broker that is down costs a log line, nothing more.
"""

from __future__ import annotations

import logging
from functools import cache

from celery import Celery

from keyproj.runtime import RequestScan
from keyproj.settings import Settings
from workers.factory import make_celery

log = logging.getLogger(__name__)


def kick(app: Celery, task_name: str) -> bool:
    """Enqueue ``task_name`` now; False (and a warning in the log) if the broker is unreachable."""
    try:
        app.send_task(task_name, retry=False)
    except Exception as exc:  # any broker failure: the outbox still holds the request
        log.warning("无法连接消息队列，%s 将由定时转发补发：%s", task_name, exc)
        return False
    return True


def kick_scan(app: Celery) -> bool:
    """Ask for the scan that follows a submitted report."""
    return kick(app, "keyproj.relay_outbox")


def scan_requester(settings: Settings) -> RequestScan:
    """The Runtime's ``request_scan`` for ``settings``: a Celery app on their broker, made on first use."""

    @cache
    def celery() -> Celery:
        return make_celery(settings)

    return lambda: kick_scan(celery())
