"""``keyproj``: init, demo, serve, calendar, import/export, profiles, users."""

from __future__ import annotations

import sys
from datetime import datetime

import click

from cli.context import AppContext, pass_app
from keyproj.errors import DomainError


@click.group()
@click.pass_context
def cli(ctx: click.Context) -> None:
    """重点项目预警与协调处置系统 keyproj."""
    ctx.obj = AppContext()


@cli.command()
@pass_app
def init(app: AppContext) -> None:
    """Create or upgrade the database and seed reference data (safe to repeat)."""
    from keyproj.services.setup import init_database

    result = init_database(app.engine)
    click.echo(f"数据库已就绪：{app.settings.database_url}")
    if result.calendar_years_added:
        years = result.calendar_years_added
        click.echo(f"已载入节假日数据：{years[0]}–{years[-1]}年")
    if result.offices_added:
        click.echo(f"已创建办公室单位：{', '.join(result.offices_added)}")


def main() -> None:
    """Entry point that turns domain errors into a message and exit code 1."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except DomainError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(1)


def parse_moment(text: str) -> datetime:
    """An ISO-8601 moment; a missing offset is refused rather than guessed."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise click.BadParameter("需要带时区的时间，如 2025-09-30T10:00:00+08:00")
    return moment
