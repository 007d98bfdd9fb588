"""``keyproj users``: accounts for a real installation (the demo makes its own)."""

from __future__ import annotations

import click

from cli.context import AppContext, pass_app
from keyproj.codes import ROLES, UNIT_KINDS
from keyproj.db.session import unit_of_work
from keyproj.services.org import UserData, create_user, save_unit


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
@pass_app
def create(
    app: AppContext,
    username: str,
    display_name: str,
    unit_code: str,
    roles: tuple[str, ...],
    email: str | None,
    password: str,
) -> None:
    """Create a user account (password policy: ≥ 8 characters, 3 of 4 character classes)."""
    with unit_of_work(app.sessions) as session:
        user = create_user(
            session, UserData(username, display_name, unit_code, password, list(roles), email)
        )
    click.echo(f"已创建用户 {user.username}（{'、'.join(ROLES[r] for r in roles)}）")


@users_group.command("unit")
@click.argument("code")
@click.argument("name")
@click.option("--kind", required=True, type=click.Choice(sorted(UNIT_KINDS)))
@click.option("--parent", "parent_code", help="上级单位编码")
@pass_app
def unit(app: AppContext, code: str, name: str, kind: str, parent_code: str | None) -> None:
    """Create or rename a unit (town, county department, office)."""
    with unit_of_work(app.sessions) as session:
        save_unit(session, code, name, kind, parent_code)
    click.echo(f"单位 {code} {name}（{UNIT_KINDS[kind]}）已保存")
