"""The broker's queue is declared before the worker and beat start (X6: scripts/run)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from keyproj.settings import Settings
from workers.factory import make_celery
from workers.prepare import declare_queues


def test_x6_the_queue_row_exists_once_after_declaring_twice(tmp_path: Path) -> None:
    broker = tmp_path / "broker.db"
    env = {"KEYPROJ_INSTANCE_DIR": str(tmp_path), "KEYPROJ_SECRET_KEY": "k"}
    app = make_celery(Settings.from_env({**env, "KEYPROJ_BROKER_URL": f"sqla+sqlite:///{broker}"}))
    assert declare_queues(app) == ["keyproj"]
    assert declare_queues(app) == ["keyproj"]  # a second run (a restart) finds it and goes on
    with create_engine(f"sqlite:///{broker}").connect() as conn:
        names = conn.execute(text("SELECT name FROM kombu_queue")).scalars().all()
    assert names == ["keyproj"]
