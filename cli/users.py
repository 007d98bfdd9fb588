"""``keyproj users``: accounts for a real installation (the demo makes its own).

The commands call the same administration services as the pages, and are logged likewise.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

import click
from sqlalchemy import select

from cli.context import pass_runtime
from cli.options import RECORD_ID, BoundedInt
from keyproj.clock import BEIJING, now_utc
from keyproj.codes import ROLES, UNIT_KINDS
from keyproj.db.models import User
from keyproj.db.session import unit_of_work
from keyproj.errors import NotFound
from keyproj.runtime import Runtime
from keyproj.services.admin import api_tokens
from keyproj.services.admin import units as unit_admin
from keyproj.services.admin import users as user_admin
from keyproj.services.admin.changelog import CLI_ACTOR
from keyproj.services.org import tokens
from keyproj.services.org.accounts import NO_CLIENT
from keyproj.services.org.directory import UserData

TOKEN_COLUMNS = ("编号", "用户", "名称", "前缀", "签发时间", "有效期至", "最近使用", "状态")


@click.group("users")
def users_group() -> None:
    """用户与单位。"""


@users_group.command("create")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="姓名")
@click.option("--unit", "unit_code", required=True, help="单位编码，如 ZDB")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(sorted(ROLES)))
@click.option("--email")
@click.password_option(
    envvar="KEYPROJ_NEW_PASSWORD", help="密码（或环境变量 KEYPROJ_NEW_PASSWORD）"
)
@pass_runtime
def create(
    rt: Runtime,
    username: str,
    display_name: str,
    unit_code: str,
    roles: tuple[str, ...],
    email: str | None,
    password: str,
) -> None:
    """Create a user account (password policy: ≥ 8 characters, 3 of 4 character classes)."""
    data = UserData(username, display_name, unit_code, password, list(roles), email)
    with unit_of_work(rt.sessions) as session:
        user = user_admin.create(session, CLI_ACTOR, now_utc(), data)
    click.echo(f"已创建用户 {user.username}（{'、'.join(ROLES[r] for r in roles)}）")


@users_group.command("unit")
@click.argument("code")
@click.argument("name")
@click.option("--kind", required=True, type=click.Choice(sorted(UNIT_KINDS)))
@click.option("--parent", "parent_code", help="上级单位编码")
@pass_runtime
def unit(rt: Runtime, code: str, name: str, kind: str, parent_code: str | None) -> None:
    """Create or rename a unit (town, county department, office)."""
    with unit_of_work(rt.sessions) as session:
        unit_admin.save_from_command(session, CLI_ACTOR, now_utc(), code, name, kind, parent_code)
    click.echo(f"单位 {code} {name}（{UNIT_KINDS[kind]}）已保存")


@users_group.command("token")
@click.argument("username")
@click.option("--name", required=True, help="令牌名称，如“市重点项目系统”")
@click.option(
    "--days",
    type=BoundedInt("DAYS", 1, tokens.MAX_DAYS),
    help=f"有效天数，1至{tokens.MAX_DAYS}（默认长期有效）",
)
@pass_runtime
def token(rt: Runtime, username: str, name: str, days: int | None) -> None:
    """Issue a JSON API token for USERNAME and print it once (only its hash is stored)."""
    now = now_utc()
    expires_at = tokens.expiry_after(now, days)
    with unit_of_work(rt.sessions) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(f"用户“{username}”不存在")
        _, raw = api_tokens.issue(session, CLI_ACTOR, now, user.id, name, days)
    until = expires_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if expires_at else "长期"
    click.echo(f"已为用户 {username} 签发令牌“{name}”（有效期至：{until}）。")
    click.echo("令牌只显示这一次，请立即妥善保存：")
    click.echo(raw)


@users_group.command("tokens")
@click.argument("username", required=False)
@pass_runtime
def list_tokens(rt: Runtime, username: str | None) -> None:
    """List the API tokens (of USERNAME, or everyone's) with the ids revoke-token takes."""
    now = now_utc()
    with unit_of_work(rt.sessions) as session:
        listing = tokens.token_listing(session, username)
    if not listing:
        click.echo(f"用户 {username} 没有令牌" if username else "尚未签发任何令牌")
        return
    rows = [
        (
            str(t.id),
            t.username,
            t.name,
            f"{t.prefix}…",
            _when(t.created_at),
            _when(t.expires_at, "长期"),
            _when(t.last_used_at, "从未使用"),
            t.state(now) + (f"（{_when(t.revoked_at)}）" if t.revoked_at else ""),
        )
        for t in listing
    ]
    for line in _table([TOKEN_COLUMNS, *rows]):
        click.echo(line)
    click.echo(f"共{len(rows)}个令牌；吊销：keyproj users revoke-token 编号")


@users_group.command("revoke-token")
@click.argument("token_id", type=RECORD_ID)
@pass_runtime
def revoke_token(rt: Runtime, token_id: int) -> None:
    """Revoke the API token with TOKEN_ID (see keyproj users tokens) at once."""
    now = now_utc()
    with unit_of_work(rt.sessions) as session:
        revoked, revoked_now = api_tokens.revoke(session, CLI_ACTOR, now, token_id)
        label = f"{token_id}号令牌“{revoked.name}”（{revoked.prefix}…）"
        earlier = None if revoked_now else revoked.revoked_at
    if earlier is not None:
        click.echo(f"{label}此前已于 {_when(earlier)} 吊销")
    else:
        click.echo(f"{label}已吊销，使用它的请求将被拒绝")


@users_group.command("unlock")
@click.argument("username")
@pass_runtime
def unlock(rt: Runtime, username: str) -> None:
    """Lift the sign-in lockout of USERNAME (the way back when every administrator is locked out)."""
    with unit_of_work(rt.sessions) as session:
        user = session.scalar(select(User).where(User.username == username.strip()))
        if user is None:
            raise NotFound(f"用户“{username}”不存在")
        user, was_locked = user_admin.unlock(session, CLI_ACTOR, now_utc(), user.id, NO_CLIENT)
        name = user.username
    if was_locked:
        click.echo(f"已解除用户 {name} 的登录锁定，可立即登录")
    else:
        click.echo(f"用户 {name} 未被锁定，可以直接登录")


def _when(moment: datetime | None, missing: str = "—") -> str:
    """A stored time in Beijing time, to the minute."""
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if moment else missing


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    """The rows as lines of aligned columns."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]
