"""A report submitted while the broker is down: saved, and scanned once the broker is back (X6)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from keyproj.clock import today_beijing
from keyproj.db.models import EarlyWarning, Report
from keyproj.db.models.outbox import OutboxMessage
from keyproj.policy import load_profile
from keyproj.services.projects import reports
from keyproj.services.projects.reports import ReportData
from keyproj.services.reference import outbox
from keyproj.settings import Settings
from tests.builders import factories
from tests.builders.ports import free_port
from tests.integration import workload
from tests.integration.procs import Process, keyproj_env, worker_argv
from workers.factory import make_celery
from workers.publish import kick_scan

pytestmark = pytest.mark.slow

REDIS_SERVER = shutil.which("redis-server")


def _submit_report(factory, today) -> int:
    with factory() as session, session.begin():
        project = factories.project(session, "T01", approved_on=today.replace(year=today.year - 1))
        report = reports.submit_report(
            session,
            None,
            project,
            f"{today.year}-{today.month:02d}",
            ReportData(
                total_investment=Decimal("12000"),
                cumulative_completed=Decimal("3000"),
                annual_plan_investment=Decimal("5000"),
                annual_completed=Decimal("1200"),
                start_status="started",
                started_on=today.replace(day=1),
                progress_pct=Decimal("25"),
            ),
            load_profile("lianping"),
            today,
        )
        return report.project_id


@pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed")
def test_X6_report_submitted_with_the_broker_down_is_scanned_when_it_is_back(
    pg, pg_url: str, processes: Callable[..., Process], tmp_path: Path, monkeypatch
):
    factory = pg
    today = today_beijing()
    workload.county(factory)
    port = free_port()  # nothing listens here yet: the broker is down
    broker = f"redis://127.0.0.1:{port}/0"
    monkeypatch.setenv("KEYPROJ_BROKER_URL", broker)
    monkeypatch.setenv("KEYPROJ_INSTANCE_DIR", str(tmp_path / "instance"))

    project_id = _submit_report(factory, today)
    # What the web app does after the commit: ask the workers now, if the broker answers.
    assert kick_scan(make_celery(Settings.from_env())) is False
    with factory() as session:
        assert (
            session.scalar(select(Report.status).where(Report.project_id == project_id))
            == "submitted"
        )
        assert outbox.pending_count(session, outbox.SCAN) == 1
        assert session.scalars(select(EarlyWarning)).all() == []

    server = processes(
        "redis",
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        {},
    )
    server.expect(r"Ready to accept connections")
    env = keyproj_env(tmp_path, pg_url, broker, KEYPROJ_BEAT_TICK_SECONDS="1")
    worker = processes(
        "worker", worker_argv("relay", 1, "--beat", f"--schedule={tmp_path / 'beat-schedule'}"), env
    )
    worker.expect(
        r"Task keyproj\.relay_outbox\[[-0-9a-f]+\] succeeded in [0-9.]+s: \{'requests': 1",
        timeout=90,
    )

    with factory() as session:
        request = session.scalars(select(OutboxMessage)).one()
        assert request.done_at is not None
        assert request.last_error is None
        raised = session.scalars(
            select(EarlyWarning).where(EarlyWarning.project_id == project_id)
        ).all()
    assert raised, "the follow-up scan raised the project's warnings"
