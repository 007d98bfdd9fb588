"""Asking the workers for work right away, from the web app, without depending on the broker.

The work itself was promised in the database (keyproj.services.reference.outbox); this only saves
waiting for the next periodic relay. A broker that is down costs a log line, nothing more.
"""

from __future__ import annotations

import logging

from celery import Celery

log = logging.getLogger(__name__)


def kick(task_name: str, app: Celery | None = None) -> bool:
    """Enqueue ``task_name`` now; False (and a warning in the log) if the broker is unreachable."""
    if app is None:
        from workers.app import app as default  # built from the environment on first use

        app = default
    try:
        app.send_task(task_name, retry=False)
    except Exception as exc:  # any broker failure: the outbox still holds the request
        log.warning("无法连接消息队列，%s 将由定时转发补发：%s", task_name, exc)
        return False
    return True


def kick_scan(app: Celery | None = None) -> bool:
    """Ask for the scan that follows a submitted report."""
    return kick("keyproj.relay_outbox", app)
