"""The commands docker-compose.yml names, run as local processes on PostgreSQL and Redis (X6).

Docker itself cannot run here; what the containers would run can, so the compose file
cannot name a command that does not work.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from celery import Celery
from sqlalchemy import func, select

from keyproj.db.models import EarlyWarning
from tests.builders.ports import free_port
from tests.integration.procs import BIN, ROOT, Process

pytestmark = pytest.mark.slow

COMPOSE = ROOT / "docker-compose.yml"


def compose_services() -> dict[str, dict]:
    """The services of the compose file, anchors and merge keys resolved."""
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]


def local(argv: list[str]) -> list[str]:
    """The container's command with the project's virtualenv in place of the image's PATH."""
    found = BIN / argv[0]
    return [str(found) if found.exists() else argv[0], *argv[1:]]


def test_compose_file_has_the_six_services_with_health_checks():
    services = compose_services()
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker", "beat"}
    for name in ("postgres", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert (
            services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        )
        env = services[name]["environment"]
        assert env["KEYPROJ_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert env["KEYPROJ_BROKER_URL"].startswith("redis://redis:6379")


def test_X6_compose_commands_serve_health_and_a_scan_through_redis_starts_cases(
    pg, pg_url: str, broker_url: str, processes: Callable[..., Process], tmp_path: Path
):
    factory = pg
    services = compose_services()
    port = free_port()
    env = {
        "KEYPROJ_DATABASE_URL": pg_url,
        "KEYPROJ_BROKER_URL": broker_url,
        "KEYPROJ_INSTANCE_DIR": str(tmp_path / "instance"),
        "KEYPROJ_PROFILE": "lianping",
        "KEYPROJ_SECRET_KEY": "compose-test",
        "KEYPROJ_PORT": str(port),
    }
    migrate = processes("migrate", local(services["migrate"]["command"]), env)
    assert migrate.proc.wait(timeout=120) == 0, migrate.tail()
    demo = processes("demo", [str(BIN / "keyproj"), "demo"], env)  # a county with lagging projects
    assert demo.proc.wait(timeout=300) == 0, demo.tail()

    web = processes("web", local(services["web"]["command"]), env)
    worker = processes("worker", local(services["worker"]["command"]), env)
    beat = processes(
        "beat",
        local(services["beat"]["command"]),
        {**env, "KEYPROJ_INSTANCE_DIR": str(tmp_path / "beat")},
    )
    web.expect(r"Booting worker")
    worker.expect(r"ready\.")
    beat.expect(r"beat: Starting")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
        assert answer.status == 200
        assert json.load(answer) == {"status": "ok"}

    Celery(broker=broker_url).send_task("keyproj.scan", queue="keyproj")
    worker.expect(r"Task keyproj\.scan\[[-0-9a-f]+\] succeeded", timeout=300)
    with factory() as session:
        # LP13: the scan's warnings wait in the key office's triage.
        assert (session.scalar(select(func.count()).select_from(EarlyWarning)) or 0) > 0
