"""``keyproj import leaders|liaisons|teams FILE``: the registries from their Excel templates."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click
from sqlalchemy.orm import Session

from cli.context import pass_runtime
from cli.ledger import COUNTY_VIEWER, import_group
from cli.options import import_errors
from keyproj.clock import today_beijing
from keyproj.db.session import unit_of_work
from keyproj.runtime import Runtime
from keyproj.services.org.leaders import import_leaders
from keyproj.services.org.liaisons import import_liaisons
from keyproj.services.projects.teams import import_teams

FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _run(rt: Runtime, file: Path, what: str, importer: Callable[[Session, bytes], int]) -> None:
    """Import ``file`` in one transaction: every row, or none with each problem listed."""
    with import_errors("未导入任何数据。"), unit_of_work(rt.sessions) as session:
        count = importer(session, file.read_bytes())
    click.echo(f"导入完成：{what}{count}行")


def add_registry_imports() -> None:
    """Register ``import leaders|liaisons|teams`` on the import group."""
    for command in (leaders, liaisons, teams):
        import_group.add_command(command)


@click.command("leaders")
@click.argument("file", type=FILE)
@pass_runtime
def leaders(rt: Runtime, file: Path) -> None:
    """Register county leaders (姓名、职务、联系电话、用户名) from FILE (.xlsx)."""
    _run(rt, file, "县领导", lambda s, data: import_leaders(s, COUNTY_VIEWER, data))


@click.command("liaisons")
@click.argument("file", type=FILE)
@pass_runtime
def liaisons(rt: Runtime, file: Path) -> None:
    """Name each unit's liaison (单位、姓名、职务、联系电话、任职日期) from FILE (LP5, AL8); a
    construction unit's liaison leaves 单位 blank and names its project in 项目代码."""
    today = today_beijing()
    _run(rt, file, "联络员", lambda s, data: import_liaisons(s, COUNTY_VIEWER, data, today))


@click.command("teams")
@click.argument("file", type=FILE)
@pass_runtime
def teams(rt: Runtime, file: Path) -> None:
    """Replace the teams of the projects in FILE (项目代码、职责、姓名…) by the profile's roles."""
    _run(rt, file, "项目专班成员", lambda s, data: import_teams(s, COUNTY_VIEWER, data, rt.profile))
