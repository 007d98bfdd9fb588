"""Creating units and accounts from the command line, with the password policy enforced."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy.orm import Session

from cli.main import cli
from keyproj.clock import now_utc
from keyproj.db.session import make_engine
from keyproj.services.org.auth import sign_in


def test_admin_creates_a_unit_and_a_user_who_can_sign_in(tmp_path, monkeypatch):
    monkeypatch.setenv("KEYPROJ_INSTANCE_DIR", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'u.db'}"
    monkeypatch.setenv("KEYPROJ_DATABASE_URL", url)
    runner = CliRunner()
    assert runner.invoke(cli, ["init"]).exit_code == 0
    made = runner.invoke(cli, ["users", "unit", "TOWN01", "城关镇", "--kind", "town"])
    assert made.exit_code == 0
    assert "城关镇" in made.output

    weak = runner.invoke(
        cli,
        ["users", "create", "li", "--name", "李四", "--unit", "TOWN01", "--role", "unit_liaison"],
        env={"KEYPROJ_NEW_PASSWORD": "short"},
    )
    assert weak.exit_code == 1
    assert "至少8位" in weak.output

    ok = runner.invoke(
        cli,
        ["users", "create", "li", "--name", "李四", "--unit", "TOWN01", "--role", "unit_liaison"],
        env={"KEYPROJ_NEW_PASSWORD": "Liaison#2026"},
    )
    assert ok.exit_code == 0, ok.output
    with Session(make_engine(url)) as session:
        user = sign_in(session, "li", "Liaison#2026", now_utc()).user
        assert user is not None
        assert user.unit.name == "城关镇"
        assert user.roles == {"unit_liaison"}
        assert sign_in(session, "li", "wrong", now_utc()).user is None
