"""A broken or unknown profile stops start-up with a message naming the place."""

from __future__ import annotations

from click.testing import CliRunner

from cli.main import cli


def test_unknown_active_profile_stops_the_command(tmp_path, monkeypatch):
    monkeypatch.setenv("KEYPROJ_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("KEYPROJ_PROFILE", "atlantis")
    result = CliRunner().invoke(cli, ["profiles"])
    assert result.exit_code == 1
    assert "KEYPROJ_PROFILE" in result.output
    assert "atlantis" in result.output


def test_all_shipped_profiles_validate(tmp_path, monkeypatch):
    monkeypatch.setenv("KEYPROJ_INSTANCE_DIR", str(tmp_path))
    result = CliRunner().invoke(cli, ["profiles", "--check"])
    assert result.exit_code == 0, result.output
    assert result.output.count("通过校验") == 5
