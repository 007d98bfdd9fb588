"""The README's run command on the embedded default: SQLite for data and as the broker (X6).

One run serves, works and is stopped with Ctrl-C, as a new user would do it.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from celery import Celery
from sqlalchemy import func, select

from keyproj.codes import WarningStatus
from keyproj.db.models import Case, EarlyWarning
from keyproj.db.session import make_engine
from tests.builders.ports import free_port
from tests.integration.procs import ROOT, Process

pytestmark = pytest.mark.slow


def test_X6_scripts_run_serves_web_worker_and_beat_without_any_server_and_stops_on_ctrl_c(
    processes: Callable[..., Process], tmp_path: Path, monkeypatch
):
    for name in ("KEYPROJ_DATABASE_URL", "KEYPROJ_BROKER_URL"):
        monkeypatch.delenv(name, raising=False)  # the defaults are what is under test
    instance = tmp_path / "instance"
    port = free_port()
    env = {
        "KEYPROJ_INSTANCE_DIR": str(instance),
        "KEYPROJ_PORT": str(port),
        "KEYPROJ_BEAT_TICK_SECONDS": "2",
    }
    run = processes("run", [str(ROOT / "scripts" / "run")], env)
    run.expect(r"系统已启动", timeout=300)
    run.expect(rf"Listening at: http://127\.0\.0\.1:{port}\b", timeout=60)  # gunicorn has bound
    run.expect(r"\[worker\] .*ready\.", timeout=120)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
        assert json.load(answer) == {"status": "ok"}
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/favicon.ico", timeout=10) as answer:
        assert answer.status == 200
    # beat enqueues the frequent jobs through the SQLite broker and the worker runs them
    run.expect(r"\[worker\] .*Task keyproj\.sweep_timers\[[-0-9a-f]+\] succeeded", timeout=60)

    Celery(broker=f"sqla+sqlite:///{instance / 'broker.db'}").send_task(
        "keyproj.scan", queue="keyproj"
    )
    run.expect(r"\[worker\] .*Task keyproj\.scan\[[-0-9a-f]+\] succeeded", timeout=300)
    engine = make_engine(f"sqlite:///{instance / 'keyproj.db'}")
    with engine.connect() as conn:
        queued = select(func.count()).where(
            EarlyWarning.status == WarningStatus.OPEN, EarlyWarning.case_id.is_(None)
        )
        # Issue 15: the demo's warnings wait in the key office's triage, none has a case yet.
        assert (conn.scalar(queued) or 0) > 0, "the demo county's warnings wait in triage"
        assert conn.scalar(select(func.count()).select_from(Case)) == 0
    engine.dispose()

    seconds = run.interrupt()
    log = run.log_path.read_text(encoding="utf-8")
    assert seconds <= 5, f"Ctrl-C took {seconds:.1f} s\n{run.tail()}"
    assert "Shutting down: Master" in log  # the web server stopped by itself,
    assert "[worker] worker: Warm shutdown" in log  # the worker too, still heard while stopping
    for noise in ("SIGKILL", "Traceback", '/favicon.ico HTTP/1.1" 404'):
        assert noise not in log, noise
    # the engine ran (the scan started cases) without writing its task state changes to the log
    assert "State changed to" not in log
