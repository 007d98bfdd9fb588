"""Declares the broker's queues once, before ``scripts/run`` starts the worker and beat.

On kombu's SQLite transport the first process to use a queue inserts its row; a worker and a
beat started together may both try, and the loser stops with a UNIQUE error. Declaring the
queues first, in one process, leaves them nothing to race for.

    python -m workers.prepare
"""

from __future__ import annotations

from celery import Celery


def declare_queues(app: Celery) -> list[str]:
    """Declare every queue the app's tasks go to; the names declared. Safe to run again."""
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        queues = list(app.amqp.queues.values())
        for queue in queues:
            queue(channel).declare()
    return [queue.name for queue in queues]


def main() -> None:
    """Declare the queues of the app the worker and beat will run."""
    from workers.app import app  # the process's settings: read only when run as a command

    declare_queues(app)


if __name__ == "__main__":
    main()
