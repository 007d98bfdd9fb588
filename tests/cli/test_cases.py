"""``keyproj cases verify / replay / sweep`` as an auditor or operator runs them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import update

from cli.main import cli
from keyproj.db.models import CaseEvent
from tests.builders.clock import bj
from tests.builders.county import County
from tests.builders.database import url_of


@pytest.fixture
def county(county: County) -> County:
    """The county of one warning case (as in tests/services/cases)."""
    return county.with_warning_case()


def run(county: County, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *args: str) -> Result:
    """The command on the county's database."""
    monkeypatch.setenv("KEYPROJ_DATABASE_URL", url_of(county.session.get_bind().engine))
    monkeypatch.setenv("KEYPROJ_INSTANCE_DIR", str(tmp_path))
    return CliRunner().invoke(cli, list(args))


def test_x4_verify_and_replay_report_an_intact_case_then_a_tampered_one(
    county, monkeypatch, tmp_path
):
    county.start(bj(2025, 9, 30, 10))
    county.submit("zdb", "issue_notice", bj(2025, 9, 30, 15))
    case_id = str(county.case.id)
    ok = run(county, monkeypatch, tmp_path, "cases", "verify", case_id)
    assert ok.exit_code == 0
    assert "记录链完整" in ok.output
    replayed = run(county, monkeypatch, tmp_path, "cases", "replay", case_id)
    assert replayed.exit_code == 0, replayed.output
    assert "每一步均与记录一致" in replayed.output
    assert "issue_notice" in replayed.output

    county.session.execute(
        update(CaseEvent)
        .where(CaseEvent.case_id == county.case.id, CaseEvent.seq == 3)
        .values(actor_id=None)
    )
    county.session.commit()
    tampered = run(county, monkeypatch, tmp_path, "cases", "verify", case_id)
    assert tampered.exit_code == 1
    assert "第3条" in tampered.output


def test_sweep_command_fires_due_timers(county, monkeypatch, tmp_path):
    county.start(bj(2025, 9, 30, 10))
    county.at(bj(2025, 10, 13, 9))
    result = run(county, monkeypatch, tmp_path, "cases", "sweep")
    assert result.exit_code == 0
    assert "触发计时器 1 个" in result.output


@pytest.mark.parametrize("command", ["verify", "replay"])
@pytest.mark.parametrize("case_id", ["0", "2147483648", "99999999999", "１"])
def test_a_case_id_outside_the_database_range_is_a_usage_error(
    tmp_path, monkeypatch, command, case_id
):
    monkeypatch.setenv("KEYPROJ_INSTANCE_DIR", str(tmp_path))
    result = CliRunner().invoke(cli, ["cases", command, case_id])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "CASE_ID" in result.output
    assert not (tmp_path / "keyproj.db").exists()  # refused before touching the database
