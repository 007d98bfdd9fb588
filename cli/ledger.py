"""``keyproj import projects`` and ``keyproj export projects``: the project ledger as .xlsx."""

from __future__ import annotations

from pathlib import Path

import click

from cli.context import pass_runtime
from cli.options import YEAR, import_errors
from cli.progress import RowProgress
from keyproj.clock import today_beijing
from keyproj.codes import Role
from keyproj.db.session import unit_of_work
from keyproj.periods import CYCLE_LABELS
from keyproj.runtime import Runtime
from keyproj.services.access import Viewer
from keyproj.services.projects.ledger.export import export_projects as export_ledger
from keyproj.services.projects.ledger.export import export_template as ledger_template
from keyproj.services.projects.ledger.importing import import_projects as import_ledger

# Exports from the command line are county-wide: whoever runs it administers the installation.
COUNTY_VIEWER = Viewer(user_id=0, unit_id=0, roles=frozenset({Role.ADMIN}))
YEAR_HELP = "年度计划所属年度（2000–2100），默认为北京时间当年"


@click.group("import")
def import_group() -> None:
    """导入台账。"""


@click.group("export")
def export_group() -> None:
    """导出台账。"""


def add_ledger_commands(group: click.Group) -> None:
    """Register the import and export groups on the top-level command."""
    group.add_command(import_group)
    group.add_command(export_group)


@import_group.command("projects")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=YEAR, help=YEAR_HELP)
@pass_runtime
def import_projects(rt: Runtime, file: Path, year: int | None) -> None:
    """Create or update projects from a ledger workbook FILE; any bad row imports nothing."""
    year = year or today_beijing().year
    breakdown = rt.profile.plans.breakdown
    with (
        import_errors("未导入任何数据。"),
        unit_of_work(rt.sessions) as session,
        RowProgress() as progress,
    ):
        result = import_ledger(session, file, year, breakdown, progress)
    click.echo(
        f"导入完成：新增{result.created}个，更新{result.updated}个，"
        f"新登记领导{result.leaders_added}名，导入年度计划{result.plans_filed}个（{year}年）"
    )


@export_group.command("projects")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=YEAR, help=YEAR_HELP)
@pass_runtime
def export_projects(rt: Runtime, file: Path, year: int | None) -> None:
    """Write the ledger of all projects, with the approved plans of the year, to FILE (.xlsx)."""
    year = year or today_beijing().year
    folder = file.parent
    if not folder.is_dir():
        raise click.ClickException(f"目录“{folder}”不存在，请先创建该目录或换一个保存位置")
    with rt.sessions() as session:
        content = export_ledger(session, COUNTY_VIEWER, year)
    write_file(file, content)
    click.echo(f"已导出重点项目台账（{year}年度计划）：{file}")


@export_group.command("template")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=YEAR, help=YEAR_HELP)
@pass_runtime
def export_template(rt: Runtime, file: Path, year: int | None) -> None:
    """Write an empty ledger to fill in (with its plan breakdown sheet) to FILE (.xlsx)."""
    year = year or today_beijing().year
    folder = file.parent
    if not folder.is_dir():
        raise click.ClickException(f"目录“{folder}”不存在，请先创建该目录或换一个保存位置")
    write_file(file, ledger_template(rt.profile.plans.breakdown, year))
    click.echo(
        f"已导出台账模板（{year}年度计划分解，按{CYCLE_LABELS[rt.profile.plans.breakdown]}）：{file}"
    )


def write_file(file: Path, content: bytes) -> None:
    """Write ``content`` to ``file``; a folder that cannot be written to is a message, not a traceback."""
    try:
        file.write_bytes(content)
    except OSError as exc:
        raise click.ClickException(f"无法写入“{file}”：{exc.strerror or exc}") from None
