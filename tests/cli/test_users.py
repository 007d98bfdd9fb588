"""Units, accounts, unlocking and API tokens from the command line (password policy enforced)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from cli.main import cli
from keyproj.clock import now_utc
from keyproj.db.models import AuthEvent
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


# Unlocking, and API tokens listed with their ids.


def cli_session(tmp_path: Path) -> Session:
    """A session on the database of the ``run`` fixture."""
    return Session(make_engine(f"sqlite:///{tmp_path / 'cli.db'}"))


def make_user(run, username: str, role: str = "admin", unit: str = "ZDB") -> None:
    made = run(
        "users", "create", username, "--name", f"用户{username}", "--unit", unit,
        "--role", role, "--password", "Admin#2026pass",
    )  # fmt: skip
    assert made.exit_code == 0, made.output


def test_the_last_administrator_locked_out_is_let_back_in_from_the_command_line(run, tmp_path):
    make_user(run, "admin")
    with cli_session(tmp_path) as session:
        for _ in range(5):
            sign_in(session, "admin", "Wrong#2026", now_utc())
        assert "已锁定" in (sign_in(session, "admin", "Admin#2026pass", now_utc()).message or "")
        session.commit()
    unlocked = run("users", "unlock", "admin")
    assert unlocked.exit_code == 0, unlocked.output
    assert "已解除用户 admin 的登录锁定" in unlocked.output
    with cli_session(tmp_path) as session:
        assert sign_in(session, "admin", "Admin#2026pass", now_utc()).ok
        events = session.scalars(select(AuthEvent).where(AuthEvent.kind == "unlocked")).all()
        assert [e.actor for e in events] == ["命令行"]
    again = run("users", "unlock", "admin")
    assert again.exit_code == 0
    assert "未被锁定" in again.output
    unknown = run("users", "unlock", "nobody")
    assert unknown.exit_code == 1
    assert "用户“nobody”不存在" in unknown.output


def issue(run, username: str, name: str, *days: str) -> str:
    issued = run("users", "token", username, "--name", name, *days)
    assert issued.exit_code == 0, issued.output
    return issued.output.strip().splitlines()[-1]


def test_tokens_are_listed_with_the_ids_that_revoke_them(run, tmp_path):
    make_user(run, "li", "key_office")
    make_user(run, "wang", "key_office")
    first = issue(run, "li", "市重点项目系统", "--days", "30")
    issue(run, "wang", "省平台")
    third = issue(run, "li", "旧接口")
    listed = run("users", "tokens")
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert lines[0].split() == [
        "编号",
        "用户",
        "名称",
        "前缀",
        "签发时间",
        "有效期至",
        "最近使用",
        "状态",
    ]
    rows = [line.split() for line in lines[1:4]]
    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("li", "市重点项目系统", f"{first[:10]}…"),
        ("wang", "省平台", rows[1][3]),
        ("li", "旧接口", f"{third[:10]}…"),
    ]
    assert [r[-1] for r in rows] == ["有效"] * 3
    assert "长期" in lines[2]
    assert "从未使用" in lines[1]
    assert lines[-1].startswith("共3个令牌")
    assert first not in listed.output
    assert third not in listed.output
    revoked = run("users", "revoke-token", rows[2][0])
    assert revoked.exit_code == 0, revoked.output
    assert f"{rows[2][0]}号令牌“旧接口”" in revoked.output
    mine = run("users", "tokens", "li").output.splitlines()
    assert len(mine) == 4  # the header, li's two tokens, the total
    assert mine[2].split()[0] == rows[2][0]
    assert "已吊销" in mine[2]
    assert "有效" in mine[1]
    again = run("users", "revoke-token", rows[2][0])
    assert again.exit_code == 0
    assert "此前已于" in again.output


def test_listing_tokens_when_there_are_none_or_the_user_is_unknown(run):
    make_user(run, "li", "key_office")
    assert run("users", "tokens").output.strip() == "尚未签发任何令牌"
    assert run("users", "tokens", "li").output.strip() == "用户 li 没有令牌"
    unknown = run("users", "tokens", "nobody")
    assert unknown.exit_code == 1
    assert "用户“nobody”不存在" in unknown.output


OUT_OF_RANGE = "超出范围，应在 1 至 3650 之间"


@pytest.mark.parametrize(
    ("days", "reason"),
    [
        ("99999999", OUT_OF_RANGE),
        ("0", OUT_OF_RANGE),
        ("-5", OUT_OF_RANGE),
        ("3651", OUT_OF_RANGE),
        ("abc", "不是整数"),
        ("１２", "不是整数"),
        ("1_000", "不是整数"),
        ("9" * 40, "不是整数"),
    ],
)
def test_a_token_lifetime_out_of_bounds_is_a_usage_error_in_chinese(run, days, reason):
    make_user(run, "li", "key_office")
    result = run("users", "token", "li", "--name", "市系统", "--days", days)
    assert result.exit_code == 2
    assert "--days" in result.output
    assert reason in result.output
    assert "Traceback" not in result.output
    assert run("users", "tokens").output.strip() == "尚未签发任何令牌"


def test_a_ten_year_token_is_issued(run):
    make_user(run, "li", "key_office")
    issued = run("users", "token", "li", "--name", "市系统", "--days", "3650")
    assert issued.exit_code == 0, issued.output


@pytest.mark.parametrize(
    ("token_id", "code", "message"),
    [
        ("999", 1, "令牌 999 不存在"),
        ("99999999999", 2, "超出范围，应在 1 至 2147483647 之间"),
        ("0", 2, "超出范围，应在 1 至 2147483647 之间"),
        ("x", 2, "“x”不是整数"),
    ],
)
def test_revoking_a_token_that_does_not_exist_says_so(run, token_id, code, message):
    result = run("users", "revoke-token", token_id)
    assert result.exit_code == code
    assert message in result.output
