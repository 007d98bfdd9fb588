"""``keyproj users``: accounts for a real installation (the demo makes its own)."""

from __future__ import annotations

from datetime import timedelta

import click
from sqlalchemy import select

from cli.context import pass_runtime
from keyproj.clock import BEIJING, now_utc
from keyproj.codes import ROLES, UNIT_KINDS
from keyproj.db.models import User
from keyproj.db.session import unit_of_work
from keyproj.errors import NotFound
from keyproj.runtime import Runtime
from keyproj.services.org import tokens
from keyproj.services.org.directory import UserData, create_user, save_unit


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
    with unit_of_work(rt.sessions) as session:
        user = create_user(
            session, UserData(username, display_name, unit_code, password, list(roles), email)
        )
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
        save_unit(session, code, name, kind, parent_code)
    click.echo(f"单位 {code} {name}（{UNIT_KINDS[kind]}）已保存")


@users_group.command("token")
@click.argument("username")
@click.option("--name", required=True, help="令牌名称，如“市重点项目系统”")
@click.option("--days", type=click.IntRange(min=1), help="有效天数（默认长期有效）")
@pass_runtime
def token(rt: Runtime, username: str, name: str, days: int | None) -> None:
    """Issue a JSON API token for USERNAME and print it once (only its hash is stored)."""
    now = now_utc()
    expires_at = now + timedelta(days=days) if days else None
    with unit_of_work(rt.sessions) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(f"用户“{username}”不存在")
        raw = tokens.issue_token(session, user, name, now, expires_at)
    until = expires_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if expires_at else "长期"
    click.echo(f"已为用户 {username} 签发令牌“{name}”（有效期至：{until}）。")
    click.echo("令牌只显示这一次，请立即妥善保存：")
    click.echo(raw)


@users_group.command("revoke-token")
@click.argument("token_id", type=int)
@pass_runtime
def revoke_token(rt: Runtime, token_id: int) -> None:
    """Revoke the API token with TOKEN_ID at once."""
    with unit_of_work(rt.sessions) as session:
        revoked = tokens.revoke(session, token_id, now_utc())
        label = f"{revoked.name}（{revoked.prefix}…）"
    click.echo(f"令牌 {label} 已吊销")
