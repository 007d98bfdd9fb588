"""The ``keyproj`` group: a database that is not set up or not reachable is a message."""

from __future__ import annotations

from click.testing import CliRunner

from cli.main import cli


def test_a_database_not_yet_initialised_says_to_run_init(tmp_path, monkeypatch):
    monkeypatch.setenv("KEYPROJ_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("KEYPROJ_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    result = CliRunner().invoke(cli, ["calendar", "show", "2026"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "数据库尚未初始化" in result.output
    assert "keyproj init" in result.output


def test_an_unreachable_database_is_a_message(tmp_path, monkeypatch):
    monkeypatch.setenv("KEYPROJ_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("KEYPROJ_DATABASE_URL", f"sqlite:///{tmp_path / 'no' / 'such' / 'k.db'}")
    result = CliRunner().invoke(cli, ["calendar", "show", "2026"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "无法使用数据库" in result.output
    assert "KEYPROJ_DATABASE_URL" in result.output
