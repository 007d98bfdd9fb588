"""Asking the workers for a scan from another process: the request reaches their queue."""

from __future__ import annotations

from keyproj.settings import Settings
from workers.factory import make_celery
from workers.publish import scan_requester


def test_a_scan_request_puts_the_relay_task_on_the_workers_queue(tmp_path):
    config = Settings.from_env(
        {
            "KEYPROJ_INSTANCE_DIR": str(tmp_path),
            "KEYPROJ_SECRET_KEY": "k",
            "KEYPROJ_BROKER_URL": "memory://",
        }
    )
    assert scan_requester(config)() is True
    with make_celery(config).connection_for_read() as conn:
        message = conn.SimpleQueue("keyproj").get(timeout=1)
    assert message.headers["task"] == "keyproj.relay_outbox"
    message.ack()
