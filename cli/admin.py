"""``keyproj init``, ``keyproj profiles`` and ``keyproj log``: the database, the policy profiles
and the administration change log."""

from __future__ import annotations

import click

from cli.context import CommandContext, pass_runtime
from cli.options import BoundedInt
from keyproj.clock import BEIJING
from keyproj.paging import MAX_PAGE, Paging
from keyproj.runtime import Runtime

LOG_PAGE = 50  # changes on one page of ``keyproj log``


@click.command()
@pass_runtime
def init(rt: Runtime) -> None:
    """Create or upgrade the database and seed reference data (safe to repeat)."""
    from keyproj.services.reference.setup import init_database

    result = init_database(rt.engine)
    click.echo(f"数据库已就绪：{rt.settings.database_url}")
    if result.calendar_years_added:
        years = result.calendar_years_added
        click.echo(f"已载入节假日数据：{years[0]}–{years[-1]}年")
    if result.offices_added:
        click.echo(f"已创建办公室单位：{', '.join(result.offices_added)}")
    click.echo(f"流程定义：{'、'.join(result.definitions)}")


@click.command("profiles")
@click.option("--check", "check_all", is_flag=True, help="Validate every shipped profile.")
@click.pass_context
def profiles(ctx: click.Context, check_all: bool) -> None:
    """Show the active policy profile, or validate all of them."""
    from keyproj.policy import available_profiles, load_profile

    # Settings only: checking every profile must work while the active one is broken.
    active = ctx.ensure_object(CommandContext).settings.profile
    names = available_profiles() if check_all else [active]
    for name in names:
        profile = load_profile(name)
        click.echo(f"{name}: {profile.profile.name}《{profile.profile.document}》 通过校验")


@click.command("log")
@click.option("--page", type=BoundedInt("PAGE", 1, MAX_PAGE), default=1, help="第几页（每页50条）")
@pass_runtime
def log(rt: Runtime, page: int) -> None:
    """Show the administration change log, newest first: who changed what, and when."""
    from keyproj.services.admin.changelog import log_page

    with rt.sessions() as session:
        listing = log_page(session, Paging(page, LOG_PAGE))
        rows = [
            (
                c.occurred_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M"),
                c.actor,
                c.action.label,
                c.target + (f"：{c.details}" if c.details else ""),
            )
            for c in listing.items
        ]
    for row in rows:
        click.echo("  ".join(row))
    click.echo(f"共{listing.total}条记录；第{listing.page}/{listing.pages}页")
