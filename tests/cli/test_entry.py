"""The entry points that wire the parts together: the console command and the WSGI app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cli.context import CommandContext
from cli.main import cli
from keyproj.settings import Settings
from keyproj_entry.main import scan_requester
from keyproj_entry.wsgi import build_app

ROOT = Path(__file__).parents[2]


def env_settings(tmp_path: Path, broker: str = "memory://") -> dict[str, str]:
    """The environment of an installation in ``tmp_path``."""
    return {
        "KEYPROJ_INSTANCE_DIR": str(tmp_path),
        "KEYPROJ_DATABASE_URL": f"sqlite:///{tmp_path / 'e.db'}",
        "KEYPROJ_SECRET_KEY": "k",
        "KEYPROJ_BROKER_URL": broker,
    }


def test_the_console_command_offers_serve_and_the_others():
    result = subprocess.run(
        [sys.executable, "-c", "from keyproj_entry.main import main; main()", "--help"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    for command in ("serve", "scan", "demo", "init", "users"):
        assert f"  {command} " in result.stdout


def test_a_command_run_through_the_entry_asks_the_workers_for_scans(tmp_path, monkeypatch):
    for name, value in env_settings(tmp_path).items():
        monkeypatch.setenv(name, value)
    context = CommandContext(scan_requester)
    assert CliRunner().invoke(cli, ["init"], obj=context).exit_code == 0
    assert context.runtime.request_scan() is True  # sent to the (in-memory) broker
    assert CommandContext().runtime.request_scan() is False  # no workers to ask: the relay will
    context.runtime.engine.dispose()


def test_the_wsgi_app_is_built_on_the_given_settings(tmp_path):
    app = build_app(Settings.from_env(env_settings(tmp_path)))
    runtime = app.extensions["keyproj"]
    assert runtime.settings.database_url == f"sqlite:///{tmp_path / 'e.db'}"
    assert app.test_client().get("/healthz").get_json() == {"status": "ok"}
    assert runtime.request_scan() is True
    runtime.engine.dispose()
