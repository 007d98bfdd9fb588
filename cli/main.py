"""The ``keyproj`` command group: init, demo, calendar, import/export, profiles, users, cases, scan, log, process, colours, bulletin."""

from __future__ import annotations

from typing import IO, Any

import click
from sqlalchemy.exc import DBAPIError, OperationalError

from cli.admin import init, log, profiles
from cli.bulletin import bulletin_command
from cli.calendar import calendar_group
from cli.cases import cases_group
from cli.colours import colours
from cli.context import CommandContext
from cli.demo import demo
from cli.ledger import add_ledger_commands
from cli.process import process_group
from cli.rank import rank_command
from cli.registries import add_registry_imports
from cli.scan import scan
from cli.score import score_command
from cli.users import users_group
from keyproj.errors import DomainError, ValidationError


class DomainFailure(click.ClickException):
    """A domain error shown as a Chinese message with exit code 1."""

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the message after 错误：, without click's "Error:"."""
        click.echo(f"错误：{self.format_message()}", err=True)


class KeyprojGroup(click.Group):
    """A command group that turns domain errors into messages instead of tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a domain error becomes a DomainFailure."""
        try:
            return super().invoke(ctx)
        except ValidationError as exc:
            # One line a problem: a refused file may have many.
            raise DomainFailure("\n".join(str(e) for e in exc.errors)) from exc
        except DomainError as exc:
            raise DomainFailure(str(exc)) from exc
        except DBAPIError as exc:
            message = database_problem(exc)
            if message is None:
                raise
            raise DomainFailure(message) from exc


def database_problem(exc: DBAPIError) -> str | None:
    """What the user can do about a database that is missing, not set up or unreachable."""
    reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc).__name__
    if "no such table" in reason or getattr(exc.orig, "sqlstate", None) == "42P01":
        return f"数据库尚未初始化（{reason}），请先运行 keyproj init"
    if isinstance(exc, OperationalError):
        return f"无法使用数据库（{reason}），请检查 KEYPROJ_DATABASE_URL 和数据库服务"
    return None


@click.group(cls=KeyprojGroup)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """重点项目预警与协调处置系统 keyproj."""
    # An entry point may have passed a context that knows how to reach the workers.
    ctx.ensure_object(CommandContext)


for command in (init, profiles, demo, calendar_group, users_group, cases_group, scan, log):
    cli.add_command(command)
cli.add_command(rank_command)  # HD5, GS2
cli.add_command(score_command)  # AL11, AL12
cli.add_command(process_group)  # X3: keyproj process validate
cli.add_command(colours)  # HD3: keyproj colours --period 2026-09
cli.add_command(bulletin_command)  # LP19, DC7, GS1: keyproj bulletin --period 2026-09
add_ledger_commands(cli)
add_registry_imports()
